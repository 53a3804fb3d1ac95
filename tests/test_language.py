import pytest

from streams.language import detect_language

TEXTS = {
    "de": "Die Stadtverwaltung hat am Montag neue Pläne für den Ausbau der Radwege vorgestellt, die bis zum Ende des kommenden Jahres umgesetzt werden sollen.",
    "en": "The city council presented new plans on Monday to extend the cycle lanes, which are due to be completed by the end of next year.",
    "fr": "La mairie a présenté lundi de nouveaux projets pour prolonger les pistes cyclables, qui devraient être achevées d'ici la fin de l'année prochaine.",
    "es": "El ayuntamiento presentó el lunes nuevos planes para ampliar los carriles bici, que deberían estar terminados a finales del próximo año.",
    "it": "Il comune ha presentato lunedì nuovi piani per estendere le piste ciclabili, che dovrebbero essere completate entro la fine del prossimo anno.",
    "nl": "De gemeente heeft maandag nieuwe plannen gepresenteerd om de fietspaden uit te breiden, die tegen het einde van volgend jaar klaar moeten zijn.",
    "pl": "Urząd miasta przedstawił w poniedziałek nowe plany rozbudowy ścieżek rowerowych, które mają zostać ukończone do końca przyszłego roku.",
}


@pytest.mark.parametrize("code", sorted(TEXTS))
def test_detects_language_of_whole_text(code: str) -> None:
    result = detect_language(TEXTS[code])
    assert result.code == code
    assert 0.5 < result.confidence <= 1.0


@pytest.mark.parametrize("text", ["", "ok", "12345 67890 !!!", "AI"])
def test_too_short_is_undetermined(text: str) -> None:
    assert detect_language(text).code == "und"
