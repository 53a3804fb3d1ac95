import pytest

from streams.quantities import default_parser, parse_number


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("100,000", 100000),
        ("100.000", 100000),
        ("38,5", 38.5),
        ("1.5", 1.5),
        ("1,234.5", 1234.5),
        ("1.234,5", 1234.5),
    ],
)
def test_numbers(raw: str, value: float) -> None:
    assert parse_number(raw) == value


@pytest.mark.parametrize(
    ("text", "lang", "amount", "currency"),
    [
        ("a $38bn deal", "en", 38e9, "USD"),
        ("38 Milliarden Dollar", "de", 38e9, "USD"),
        ("30 Mrd. US-Dollar", "de", 30e9, "USD"),
        ("10 milliards de dollars", "fr", 10e9, "USD"),
        ("10.000 millones de dólares", "es", 10e9, "USD"),
        ("€5 billion", "en", 5e9, "EUR"),
        ("2 Billionen Euro", "de", 2e12, "EUR"),
    ],
)
def test_money(text: str, lang: str, amount: float, currency: str) -> None:
    q = default_parser().money(text, lang)
    assert q is not None and (q.amount, q.unit) == (amount, currency)


@pytest.mark.parametrize(
    ("text", "amount", "unit"),
    [
        ("100,000 Nvidia GPUs", 1e5, "gpu"),
        ("1 GW", 1, "GW"),
        ("6 Gigawatt", 6, "GW"),
        ("300 MW", 300, "MW"),
    ],
)
def test_capacity(text: str, amount: float, unit: str) -> None:
    q = default_parser().capacity(text, "en")
    assert q is not None and (q.amount, q.unit) == (amount, unit)


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("a five-year deal", 5),
        ("über fünf Jahre", 5),
        ("fünfjähriger Vertrag", 5),
        ("sur cinq ans", 5),
        ("durante 4 años", 4),
    ],
)
def test_duration(text: str, years: float) -> None:
    q = default_parser().duration(text)
    assert q is not None and q.amount == years


@pytest.mark.parametrize(
    ("text", "lang", "amount"),
    [
        ("mehr als zehn Milliarden Dollar", "de", 10e9),
        ("ten billion dollars over six years", "en", 10e9),
        ("eine Milliarde Euro", "de", 1e9),
    ],
)
def test_money_with_the_number_in_words(text: str, lang: str, amount: float) -> None:
    money = default_parser().money(text, lang)
    assert money is not None and money.amount == amount


def test_the_first_amount_is_the_deal_value() -> None:
    text = "OpenAI zahlt weitere 6,5 Milliarden Dollar, insgesamt sind es 22,4 Milliarden Dollar."
    money = default_parser().money(text, "de")
    assert money is not None and money.amount == 6.5e9


def test_capacity_in_words_only_for_power_or_with_a_scale() -> None:
    parser = default_parser()
    power = parser.capacity("eine Leistung von zehn Gigawatt", "de")
    assert power is not None and (power.amount, power.unit) == (10.0, "GW")
    assert parser.capacity("ein GPU-Cluster in Norwegen", "de") is None
