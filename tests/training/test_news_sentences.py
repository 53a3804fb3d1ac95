"""The written German news sentences added to the NER training data."""

from streams.evaluation.runner import DEV_SET, load_annotated
from streams.training import news_sentences


def test_written_sentences_are_annotated_and_leave_the_german_dev_set_names_out() -> None:
    written = news_sentences.sentences(200)
    assert len(written) == 200
    for words, tags in written:
        assert len(words) == len(tags)
        assert all(t == "O" or t[:2] in ("B-", "I-") for t in tags)
    gold_names = set()
    for row in load_annotated(DEV_SET):
        if row["gold"]["language"] != "de":
            continue  # the German model never reads the others
        for key in ("persons", "places"):
            for name in row["gold"].get(key, []):
                gold_names.add(name)
                gold_names.update(name.split())
    lists = {
        *news_sentences.FIRST,
        *news_sentences.SURNAMES,
        *news_sentences.INTL_FIRST,
        *news_sentences.INTL_SURNAMES,
        *news_sentences.PLACES,
    }
    assert not lists & gold_names
