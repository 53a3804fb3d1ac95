"""Who provides: the role evidence of one sentence for one pair of parties.

Log-odds that the earlier-named party is the provider, from what the parties are (the
learned ``provider_strength`` of their knowledge-base types: a GPU cloud supplies a
hyperscaler far more often than the other way round) and how the sentence runs: provider
markers ("bei Google", "from Oracle"), customer markers ("for OpenAI", "used by Anthropic")
and customer or provider verbs (in any inflection, by lemma: ``Cues.customer_verb_in``)
between, before or just after the parties.
"""

from __future__ import annotations

from collections.abc import Mapping

from streams.cues import Cues
from streams.deals import Party


def type_strength(kind: str, strength: Mapping[str, float]) -> float:
    """The learned provider strength of a knowledge-base type (a type never seen in training
    counts as unknown)."""
    return strength.get(kind, strength.get("unknown", 0.0))


def type_log_odds(first: str, second: str, strength: Mapping[str, float]) -> float:
    """Log-odds that an organisation of type ``first`` supplies one of type ``second``."""
    return type_strength(first, strength) - type_strength(second, strength)


def provider_log_odds(
    first: Party, second: Party, text: str, cues: Cues, strength: Mapping[str, float]
) -> tuple[float, bool]:
    """Log-odds that ``first`` (the earlier party) is the provider, and whether a marker or
    verb in the sentence ties the two parties together."""
    prior = type_log_odds(first.type, second.type, strength)
    if first.remote:
        return prior + _remote_cue(second, text, cues), False
    before_first = text[: first.start]
    middle = text[first.end : second.start]
    # +1 when a party is marked as provider ("bei Google"), -1 as customer ("for OpenAI").
    # A customer marker wins where both match: "a disposición de IBM", "used by Anthropic".
    second_mark = _marked(text[: second.start], cues)
    if second_mark < 0 and cues.payment_verbs and cues.payment_verbs.search(middle):
        second_mark = 1  # "committed $9.7 billion to IREN": the payee provides
    cue = 1.5 * (_marked(before_first, cues) - second_mark)
    if cues.customer_verb_in(middle):
        cue -= 1.0
    if cues.provider_verb_in(middle):
        cue += 1.0
    if cues.customer_verb_in(before_first[-40:]):
        cue -= 0.75  # German verb-second: "Nun mietet OpenAI ... bei Google"
    after_second = text[second.end : second.end + 25]
    if cues.customer_verb_in(after_second):
        cue += 0.75  # a relative clause: "... a campus that Microsoft will lease"
    if cues.provider_verb_in(after_second):
        cue -= 0.75
    linked = cue != 0.0 or bool(cues.counterparty_marker.search(text[: second.start]))
    return prior + cue, linked


def _remote_cue(named: Party, text: str, cues: Cues) -> float:
    """Role evidence for a party named in another sentence, read from the one named here:
    "bei Nebius" makes the other the customer, "Microsoft mietet ..." the provider."""
    cue = -1.5 * _marked(text[: named.start], cues)
    after = text[named.end :]
    if cues.customer_verb_in(after):
        cue += 1.0
    if cues.provider_verb_in(after):
        cue -= 1.0
    return cue


def _marked(before: str, cues: Cues) -> int:
    if cues.customer_marker.search(before):
        return -1
    return 1 if cues.provider_marker.search(before) else 0
