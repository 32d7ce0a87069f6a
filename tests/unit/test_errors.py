"""A UserError prints as one readable line whatever user text it quotes."""

from mlpm_core.errors import MESSAGE_LIMIT, UserError, readable


def test_control_characters_and_line_separators_are_shown_escaped() -> None:
    shown = str(UserError("key 'a\x1b[31m' b\u2028c\nd\u202ee\x00"))
    assert "\x1b" not in shown and "\u2028" not in shown and "\n" not in shown
    assert "\u202e" not in shown and "\x00" not in shown
    assert "\\x1b[31m" in shown and "\\u2028" in shown and "\\n" in shown


def test_printable_text_of_any_script_is_kept_as_written() -> None:
    text = "tab\there, é, 한국어, かな, 中文, 😀"
    assert readable(text) == text


def test_long_messages_are_cut_with_an_ellipsis() -> None:
    shown = str(UserError("x" * 5 * MESSAGE_LIMIT))
    assert len(shown) == MESSAGE_LIMIT and shown.endswith("…")
    assert readable("short") == "short"
