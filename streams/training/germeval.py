"""GermEval 2014 as spaCy training data: reading the files, the label mapping, the fixed split.

Labels (outer level only): PER, LOC, ORG as published, OTH -> MISC; the LOCderiv place
adjectives before a noun ("Münchner Konzern", "Pariser Start-up") -> LOC. The other ``*deriv``
labels (adjectives such as "deutschen", demonyms such as "Franzosen") and the ``*part`` labels
(words containing a name, such as "EU-Kommission" or "Nvidia-Chef") become O: they do not name
the entity itself, and an ORG span on "Nvidia-Chef" would make a deal party of a person.

Split (fixed, by file position): the first 1,500 sentences of ``NER-de-dev.tsv`` are held out
— never trained or tuned on, only scored at the end; the other 700 dev sentences are the tuning
set (best checkpoint, early stopping); all 5,100 sentences of ``NER-de-test.tsv`` are training
data.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span

from streams.training import news_sentences

DEV_FILE = "NER-de-dev.tsv"
TEST_FILE = "NER-de-test.tsv"
HELDOUT_SENTENCES = 1500
LABELS = {"PER": "PER", "LOC": "LOC", "ORG": "ORG", "OTH": "MISC"}
KINDS = {label: kind for kind, label in LABELS.items()}

NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "]", "}", "%", "“", "...", "'"}
NO_SPACE_AFTER = {"(", "[", "{", "„"}


@dataclass(frozen=True)
class Sentence:
    """One GermEval sentence: its tokens and their outer-level BIO tags as published."""

    source: str
    number: int  # 0-based position in its file
    words: tuple[str, ...]
    tags: tuple[str, ...]


@dataclass
class Split:
    """The fixed partition of the 7,300 sentences (see the module docstring)."""

    train: list[Sentence]
    tune: list[Sentence]
    heldout: list[Sentence]


def read_germeval(path: Path) -> list[Sentence]:
    """Sentences of one GermEval file: ``index TAB token TAB outer TAB nested`` lines, ``#``
    comment lines, a blank line after each sentence."""
    sentences: list[Sentence] = []
    words: list[str] = []
    tags: list[str] = []

    def close() -> None:
        if words:
            sentences.append(Sentence(path.name, len(sentences), tuple(words), tuple(tags)))
            words.clear()
            tags.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            close()
        elif not line.startswith("#"):
            columns = line.split("\t")
            if len(columns) < 3:
                raise ValueError(f"{path}: not a GermEval token line: {line!r}")
            words.append(columns[1])
            tags.append(columns[2])
    close()
    return sentences


def entity_spans(tags: Sequence[str], words: Sequence[str] = ()) -> list[tuple[int, int, str]]:
    """(first token, end token, label) of the outer entities, mapped to PER/LOC/ORG/MISC.

    A place adjective (given ``words``: a one-word LOCderiv, capitalised, ending in -er and
    followed by a capitalised word: "Münchner Konzern", "Pariser Start-up") becomes LOC: it says
    where the company is. Demonyms ("Franzosen", "die Berliner"), other ``*deriv``
    ("deutschen") and all ``*part`` entities are dropped. An ``I-`` tag that does not continue
    an entity of its type starts one (the published files follow BIO, this only guards)."""
    spans: list[tuple[int, int, str]] = []
    start, current = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, kind = tag.partition("-")
        continues = prefix == "I" and kind == current
        if current and not continues:
            spans.append((start, i, current))
            current = ""
        if prefix in ("B", "I") and not continues:
            start, current = i, kind
    out = []
    for s, e, k in spans:
        if k == "LOCderiv" and _place_adjective(words, s, e):
            k = "LOC"
        if k in LABELS:
            out.append((s, e, LABELS[k]))
    return out


def _place_adjective(words: Sequence[str], start: int, end: int) -> bool:
    if end != start + 1 or end >= len(words):
        return False
    word = words[start]
    return word[:1].isupper() and word.endswith("er") and words[end][:1].isupper()


def spaces_after(words: Sequence[str]) -> list[bool]:
    """Whether a space follows each token, so that the text reads like the original: none before
    closing punctuation, none after opening brackets, straight quotes alternate open/close."""
    spaces = [True] * len(words)
    quote_open = False
    for i, word in enumerate(words):
        if word == '"':
            if quote_open:
                if i > 0:
                    spaces[i - 1] = False
            else:
                spaces[i] = False
            quote_open = not quote_open
        elif word in NO_SPACE_BEFORE and i > 0:
            spaces[i - 1] = False
        if word in NO_SPACE_AFTER:
            spaces[i] = False
    if spaces:
        spaces[-1] = False
    return spaces


def german_quotes(words: Sequence[str]) -> list[str]:
    """The same tokens with straight quote pairs as German news prints them: „…“."""
    out, quote_open = [], False
    for word in words:
        if word == '"':
            out.append("“" if quote_open else "„")
            quote_open = not quote_open
        else:
            out.append(word)
    return out


def to_doc(nlp: Language, sentence: Sentence, news_quotes: bool = False) -> Doc:
    """A spaCy Doc with the sentence's text and entities (tokens as published)."""
    words = german_quotes(sentence.words) if news_quotes else list(sentence.words)
    doc = Doc(nlp.vocab, words=words, spaces=spaces_after(words))
    doc.ents = [Span(doc, s, e, label=label) for s, e, label in entity_spans(sentence.tags, words)]
    return doc


def split_corpus(data_dir: Path, news: int = 0, swaps: int = 0) -> Split:
    """The fixed split: held-out = first 1,500 dev sentences, tune = the other 700, train =
    the 5,100 test sentences plus ``news`` sentences of :mod:`streams.training.news_sentences`
    plus ``swaps`` mention-swapped copies of the training sentences with entities."""
    dev = read_germeval(data_dir / DEV_FILE)
    test = read_germeval(data_dir / TEST_FILE)
    if len(dev) <= HELDOUT_SENTENCES:
        raise ValueError(f"{data_dir / DEV_FILE}: {len(dev)} sentences, expected 2,200")
    written = [
        Sentence("news_sentences", i, tuple(words), tuple(tags))
        for i, (words, tags) in enumerate(news_sentences.sentences(news))
    ]
    return Split(
        train=[*test, *written, *swap_mentions([*test, *written], swaps)],
        tune=dev[HELDOUT_SENTENCES:],
        heldout=dev[:HELDOUT_SENTENCES],
    )


def swap_mentions(sentences: Sequence[Sentence], copies: int, seed: int = 12) -> list[Sentence]:
    """``copies`` variants of each sentence that has entities, each entity replaced by another
    mention of the same type from ``sentences`` (mention replacement, a data augmentation for
    small NER corpora): names meet new contexts. Seeded, so the corpus is the same every run."""
    rng = random.Random(seed)
    mentions: dict[str, list[tuple[str, ...]]] = {}
    for sentence in sentences:
        for start, end, label in entity_spans(sentence.tags, sentence.words):
            mentions.setdefault(label, []).append(sentence.words[start:end])
    out = []
    for copy in range(copies):
        for sentence in sentences:
            spans = entity_spans(sentence.tags, sentence.words)
            if not spans:
                continue
            words: list[str] = []
            tags: list[str] = []
            position = 0
            for start, end, label in spans:
                words += sentence.words[position:start]
                tags += sentence.tags[position:start]
                mention = rng.choice(mentions[label])
                kind = KINDS[label]
                words += mention
                tags += [f"B-{kind}"] + [f"I-{kind}"] * (len(mention) - 1)
                position = end
            words += sentence.words[position:]
            tags += sentence.tags[position:]
            out.append(
                Sentence(
                    f"swap{copy}:{sentence.source}", sentence.number, tuple(words), tuple(tags)
                )
            )
    return out


def write_corpus(split: Split, out_dir: Path) -> dict[str, Path]:
    """``train.spacy``, ``tune.spacy`` and ``heldout.spacy`` in ``out_dir``.

    Every second training sentence gets German news quotes („…“) instead of the straight quotes
    of the data, so that the model meets both; tune and held-out sentences stay as published."""
    nlp = spacy.blank("de")
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, sentences in (
        ("train", split.train),
        ("tune", split.tune),
        ("heldout", split.heldout),
    ):
        docs = DocBin(store_user_data=False)
        for sentence in sentences:
            quotes = name == "train" and sentence.number % 2 == 1
            docs.add(to_doc(nlp, sentence, news_quotes=quotes))
        paths[name] = out_dir / f"{name}.spacy"
        docs.to_disk(paths[name])
    return paths
