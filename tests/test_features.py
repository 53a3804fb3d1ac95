"""The named features of the partnership detector's sentence model."""

from dataclasses import replace

from streams.deals import Party
from streams.features import PairEvidence, pair_features

AMD = Party(key="amd", id="amd", name="AMD", type="chipmaker", start=0, end=3)
NVIDIA = Party(key="nvidia", id="nvidia", name="Nvidia", type="chipmaker", start=20, end=26)
OPENAI = Party(key="openai", id="openai", name="OpenAI", type="ai_lab", start=20, end=26)


def evidence(first: Party, second: Party) -> PairEvidence:
    return PairEvidence(
        first=first,
        second=second,
        field="text",
        position=0,
        customer_verb=False,
        provider_verb=True,
        deal_noun=False,
        deal_verb=False,
        linked=True,
        resources=frozenset({"gpu"}),
        provider_log_odds=1.0,
        negative=False,
        title_negative=False,
        negative_kinds=frozenset(),
        title_kinds=frozenset(),
        attributed=False,
        acquired=False,
        money=False,
        prior_first=0.75,
        prior_second=0.75,
    )


def test_two_parties_of_one_kind_are_marked_as_peers() -> None:
    assert pair_features(evidence(AMD, NVIDIA))["same_type"] == 1.0
    assert pair_features(evidence(AMD, OPENAI))["same_type"] == 0.0


def test_a_party_outside_the_knowledge_base_has_no_kind_to_share() -> None:
    unknown = replace(NVIDIA, id=None, key="Acme Chips")
    assert pair_features(evidence(AMD, unknown))["same_type"] == 0.0


def test_an_investor_in_the_pair_is_marked() -> None:
    macquarie = replace(OPENAI, key="macquarie", id="macquarie", type="investor")
    assert pair_features(evidence(AMD, macquarie))["investor_party"] == 1.0
    assert pair_features(evidence(AMD, OPENAI))["investor_party"] == 0.0
