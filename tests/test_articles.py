import pytest

from streams.articles import InputError, decode_article, derive_id

LIMIT = 10_000


def test_valid_article_gets_its_own_id_and_metadata() -> None:
    article = decode_article(b'{"id": "a1", "text": "Hallo Welt", "title": "T", "extra": 1}', LIMIT)
    assert article == {"id": "a1", "text": "Hallo Welt", "title": "T"}


def test_id_is_derived_from_url_then_content() -> None:
    by_url = derive_id({"text": "x", "url": "https://example.org/a"})
    assert by_url.startswith("u-") and by_url == derive_id(
        {"text": "other", "url": "https://example.org/a"}
    )
    by_content = derive_id({"text": "same text"})
    assert by_content.startswith("c-") and by_content == derive_id({"text": "same text"})
    assert by_content != derive_id({"text": "same text", "title": "another title"})


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"not json", "invalid_json"),
        (b"\xff\xfe", "invalid_utf8"),
        (b"[1]", "not_an_object"),
        (b'{"text": ""}', "schema_violation"),
        (b'{"text": "  "}', "schema_violation"),
        (b'{"text": 5}', "schema_violation"),
        (b'{"title": "only"}', "schema_violation"),
        (b'{"text": "x", "published_at": "soon"}', "schema_violation"),
        (b'{"text": "x", "schema_version": 2}', "schema_violation"),
        (b'{"text": "a\\u0000b"}', "schema_violation"),
        (b"[" * 3000 + b"]" * 3000, "invalid_json"),
        (b'{"text": "' + b"y" * LIMIT + b'"}', "too_large"),
        (None, "invalid_json"),
    ],
)
def test_bad_input_is_rejected_with_a_reason(raw: bytes | None, reason: str) -> None:
    with pytest.raises(InputError) as info:
        decode_article(raw, LIMIT)
    assert info.value.reason == reason
    assert info.value.detail


def test_schema_violation_names_the_field() -> None:
    with pytest.raises(InputError) as info:
        decode_article(b'{"text": "x", "published_at": "soon"}', LIMIT)
    assert "published_at" in info.value.detail
