"""Untrusted JSON is parsed under limits, and every rejection is one readable UserError."""

import json

import pytest

from mlpm_core.errors import UserError
from mlpm_core.safe_json import MAX_BYTES, parse_json_bytes, parse_json_text


@pytest.mark.parametrize("text, message", [
    ('{"a": NaN}', "NaN"),
    ('{"a": Infinity}', "Infinity"),
    ('{"a": -Infinity}', "Infinity"),
    ('{"a": 1e400}', "out of range"),
    ('{"a": 1, "a": 2}', "appears twice"),
    ('{"a": ', "not valid JSON"),
    ("[" * 65 + "]" * 65, "nested"),
])
def test_hostile_json_is_refused_readably(text, message):
    """NaN, infinities, huge numbers, duplicate keys, syntax errors and deep nesting are refused."""
    with pytest.raises(UserError, match=message):
        parse_json_text(text)


def test_very_deep_nesting_never_raises_recursion_error():
    """100,000 nested arrays give a UserError, not a RecursionError."""
    with pytest.raises(UserError):
        parse_json_text("[" * 100_000 + "]" * 100_000)


def test_brackets_inside_strings_do_not_count_as_nesting():
    """A string full of brackets is data, not depth."""
    assert parse_json_text(json.dumps({"name": "[" * 500})) == {"name": "[" * 500}


def test_oversized_upload_is_refused_before_parsing():
    """An upload over the size limit is refused with the limit in the message."""
    with pytest.raises(UserError, match="larger than 5 MB"):
        parse_json_bytes(b" " * (MAX_BYTES + 1))


def test_non_utf8_bytes_are_refused():
    """Bytes that are not UTF-8 get a clear message."""
    with pytest.raises(UserError, match="UTF-8"):
        parse_json_bytes(b'{"a": "\xff"}')


def test_a_utf8_bom_is_accepted():
    """Files saved by editors that add a byte-order mark still load."""
    assert parse_json_bytes(b'\xef\xbb\xbf{"a": 1}') == {"a": 1}
