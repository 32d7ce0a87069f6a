"""Tests for the safe condition language used by rules of thumb."""

from __future__ import annotations

import contextlib
import dataclasses
import math
import operator
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from mlpm_core.conditions.condition import MAX_LENGTH, Condition, parse, validate_paths
from mlpm_core.conditions.parser import MAX_DEPTH, BinOp, ConditionError, Field, Unary
from mlpm_core.errors import UserError

CTX: dict[str, Any] = {
    "data": {
        "complexity": "complex",
        "clean": False,
        "count": 3,
        "ratio": 0.5,
        "missing_value": None,
        "tags": ["vision", "nlp"],
        "pair": (1, 2),
        "labelled_available": 400,
        "labelled_needed": 1000,
        "nested": {"deep": True},
    },
    "derived": {"total_most_likely_days": 25.5, "task_count": 7},
    "technical": {"platform": "online"},
    "flag": True,
}


def ev(text: str, ctx: dict[str, Any] | None = None) -> bool:
    return parse(text).evaluate(CTX if ctx is None else ctx)


# --- precedence -----------------------------------------------------------------------------


def test_not_binds_tighter_than_and() -> None:
    """`not a and b` means `(not a) and b`, not `not (a and b)`."""
    assert parse("not a and b").tree == BinOp("and", Unary("not", Field("a")), Field("b"))
    assert ev("not a and b", {"a": False, "b": False}) is False


def test_and_binds_tighter_than_or() -> None:
    """`a or b and c` means `a or (b and c)`."""
    assert parse("a or b and c").tree == BinOp(
        "or", Field("a"), BinOp("and", Field("b"), Field("c"))
    )
    assert ev("a or b and c", {"a": True, "b": False, "c": False}) is True


def test_not_covers_a_whole_comparison() -> None:
    """`not x == 1` negates the comparison instead of comparing `not x` with 1."""
    assert ev("not x == 1", {"x": 2}) is True


@pytest.mark.parametrize(
    "text",
    [
        "1 + 2 * 3 == 7",
        "(1 + 2) * 3 == 9",
        "10 - 4 - 3 == 3",
        "8 / 4 / 2 == 1",
        "2 * 3 - 4 / 2 == 4",
        "-2 * 3 == -6",
        "2 - -3 == 5",
        "-(1 + 2) == -3",
        "1 + 2 > 2 and 1 < 2",
    ],
)
def test_arithmetic_precedence_and_associativity(text: str) -> None:
    """Multiplication binds tighter than addition, both are left-associative, minus is unary."""
    assert ev(text) is True


# --- operators and types --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('data.complexity == "complex" and not data.clean', True),
        ("derived.total_most_likely_days > 20", True),
        ("data.labelled_available < data.labelled_needed * 0.5", True),
        ("data.count != 3", False),
        ("data.count <= 3", True),
        ("data.count >= 4", False),
        ("data.count < 3", False),
        ("data.ratio * 4 == 2", True),
        ("data.count / 2 == 1.5", True),
        ("data.count - 1 + 0.5 == 2.5", True),
        ("1 == 1.0", True),
        ('"a" == 1', False),
        ("true == 1", False),
        ("false == 0", False),
        ("null == null", True),
        ("null != 0", True),
        ("[1, 2] == [1, 2.0]", True),
        ("[true] == [1]", False),
        ('"apple" < "banana"', True),
        ("1e3 == 1000", True),
        ("2.5e-1 == 0.25", True),
        (".5 == 0.5", True),
        ("flag", True),
        ("data.nested.deep", True),
        ("not flag", False),
        ("true and false or true", True),
    ],
)
def test_operators(text: str, expected: bool) -> None:
    """Each operator and literal kind evaluates to the value a rule author expects."""
    assert ev(text) is expected


@pytest.mark.parametrize(
    "text", ["data.missing_value < 1", "data.missing_value > 1", "null >= null", "1 <= null"]
)
def test_ordering_with_null_is_false(text: str) -> None:
    """Ordering against a missing value (null) is false rather than an error."""
    assert ev(text) is False


def test_ordering_text_against_number_names_both_values() -> None:
    """Comparing text with a number using `<` raises and shows both values."""
    with pytest.raises(ConditionError, match=r'"complex" with 3'):
        ev("data.complexity < data.count")


@pytest.mark.parametrize("text", ["true < 1", "[1] < [2]", "flag >= false"])
def test_ordering_non_numbers_is_an_error(text: str) -> None:
    """Booleans and lists cannot be ordered; that is reported, not guessed."""
    with pytest.raises(ConditionError, match="cannot compare"):
        ev(text)


@pytest.mark.parametrize(
    "text", ['"a" + "b" == "ab"', "true + 1 == 2", "null * 2 == 0", "-data.complexity == 1"]
)
def test_arithmetic_on_non_numbers_is_an_error(text: str) -> None:
    """Arithmetic needs numbers: text, booleans and null are refused."""
    with pytest.raises(ConditionError, match="number"):
        ev(text)


@pytest.mark.parametrize("text", ["1 / 0 > 0", "data.count / (data.ratio - 0.5) > 1"])
def test_division_by_zero_is_an_error(text: str) -> None:
    """Dividing by zero gives a readable ConditionError instead of ZeroDivisionError."""
    with pytest.raises(ConditionError, match="division by zero"):
        ev(text)


def test_overflow_is_an_error() -> None:
    """A result too large for a float is a ConditionError, not OverflowError."""
    with pytest.raises(ConditionError, match="too large"):
        ev("9" * 400 + " * 1.5 > 0")


def test_numpy_scalars_behave_like_numbers() -> None:
    """Context values that are numpy scalars compare and compute like plain numbers."""
    ctx = {"x": np.int64(3), "y": np.float64(0.5)}
    assert ev("x == 3 and x in [3] and y * 2 == 1", ctx) is True


# --- membership -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('technical.platform in ["online", "on_device"]', True),
        ('technical.platform in ["batch"]', False),
        ('technical.platform not in ["batch"]', True),
        ('"vision" in data.tags', True),
        ('"audio" not in data.tags', True),
        ("2 in data.pair", True),
        ("1 in [1.0]", True),
        ("true in [1]", False),
        ("null in [null]", True),
        ("1 in []", False),
        ("1 + 1 in [2]", True),
        ("not 1 in [1]", False),
    ],
)
def test_membership(text: str, expected: bool) -> None:
    """`in`/`not in` test membership in list literals and list-valued fields."""
    assert ev(text) is expected


def test_membership_needs_a_list() -> None:
    """`in` against something that is not a list is an error, not substring matching."""
    with pytest.raises(ConditionError, match="needs a list"):
        ev('"com" in data.complexity')


# --- strings --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (r"x == 'it\'s'", "it's"),
        (r'x == "say \"hi\""', 'say "hi"'),
        (r"x == 'back\\slash'", "back\\slash"),
        ('x == "a\'b"', "a'b"),
        ("x == 'a\"b'", 'a"b'),
        ("x == ''", ""),
    ],
)
def test_string_escapes(text: str, value: str) -> None:
    """Quotes and backslashes can be escaped; both quote styles work."""
    assert ev(text, {"x": value}) is True


@pytest.mark.parametrize(
    ("text", "column"), [(r"x == 'a\nb'", 8), ("x == 'abc", 6), ('x == "abc\\', 10)]
)
def test_bad_strings_report_column(text: str, column: int) -> None:
    """Unsupported escapes and unterminated text are rejected with their column."""
    with pytest.raises(ConditionError, match=f"column {column} "):
        parse(text)


# --- parse errors ---------------------------------------------------------------------------


def test_unexpected_token_message() -> None:
    """A stray token is named with its 1-based column and the full condition."""
    with pytest.raises(ConditionError) as info:
        parse("data.clean == )")
    assert str(info.value) == "unexpected ')' at column 15 in: data.clean == )"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("data.clean ==", "unexpected end of condition at column 14"),
        ("a = 1", "'=' (use '==' to compare) at column 3"),
        ("a @ b", "unexpected character '@' at column 3"),
        ("a < b < c", "cannot be chained; join them with 'and' at column 7"),
        ("x AND y", "unexpected 'AND' at column 3"),
        ("1abc == 1", "malformed number '1a' at column 1"),
        ("data.in == 1", "'in' is a reserved word"),
        ("(a", "unexpected end of condition at column 3"),
        ("[1, 2", "unexpected end of condition at column 6"),
        ("[1, ]", "unexpected ']' at column 5"),
        ("data.", "unexpected character '.' at column 5"),
        ("f(x)", "'(' (function calls are not allowed) at column 2"),
        ("1e999 > 0", "too large at column 1"),
    ],
)
def test_parse_errors_are_readable(text: str, fragment: str) -> None:
    """Syntax errors say what is wrong and where, with hints for common slips."""
    with pytest.raises(ConditionError) as info:
        parse(text)
    assert fragment in str(info.value)


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_empty_condition(text: str) -> None:
    """An empty condition is refused rather than treated as true or false."""
    with pytest.raises(ConditionError, match="empty"):
        parse(text)


def test_non_text_is_refused() -> None:
    """Passing something that is not a string is a ConditionError, not a TypeError."""
    with pytest.raises(ConditionError, match="must be text"):
        parse(None)  # type: ignore[arg-type]


def test_keywords_are_case_sensitive() -> None:
    """`TRUE` is a field name, not the literal true."""
    assert parse("TRUE").fields() == {"TRUE"}
    with pytest.raises(ConditionError, match="unknown field 'TRUE'"):
        ev("TRUE")


# --- limits ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("open_", "close"), [("(", ")"), ("[", "]"), ("not ", ""), ("-", "")])
def test_nesting_up_to_the_limit_is_accepted(open_: str, close: str) -> None:
    """Exactly MAX_DEPTH levels of nesting still parse."""
    parse(open_ * MAX_DEPTH + "1" + close * MAX_DEPTH)


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 200, 240])
@pytest.mark.parametrize("open_", ["(", "[", "not ", "-"])
def test_deep_nesting_is_refused(open_: str, depth: int) -> None:
    """Nesting deeper than the limit is a ConditionError, never a RecursionError."""
    close = {"(": ")", "[": "]"}.get(open_, "")
    with pytest.raises(ConditionError, match="nested too deeply"):
        parse(open_ * depth + "1" + close * depth)


def test_thousand_parentheses_are_refused() -> None:
    """1000 nested parentheses give a ConditionError rather than crashing the parser."""
    with pytest.raises(ConditionError):
        parse("(" * 1000 + "x" + ")" * 1000)


def test_length_limit() -> None:
    """Text longer than MAX_LENGTH characters is refused; MAX_LENGTH itself is fine."""
    assert parse("a" * MAX_LENGTH).fields() == {"a" * MAX_LENGTH}
    with pytest.raises(ConditionError, match="too long"):
        parse("a" * (MAX_LENGTH + 1))


def test_token_limit() -> None:
    """More than 500 tokens are refused even when the text is short enough."""
    parse("1+" * 249 + "1")
    with pytest.raises(ConditionError, match="too many parts"):
        parse("1+" * 251 + "1")


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os')",
        "__import__('os').system('ls')",
        "a.__class__",
        "data.x.__class__.__mro__",
        "data.x; import os",
        "lambda: 1",
        "lambda x: x",
        "`ls`",
        "x[0]",
        "data['x']",
        "open('f').read()",
        "1 if x else 2",
        "x ** 2",
        "{1: 2}",
        "(a := 1)",
        "f'{x}'",
        "x.y()",
        "exec('1')",
        "1 # comment",
        "a\\\nb",
    ],
)
def test_hostile_inputs_are_rejected(text: str) -> None:
    """Python syntax beyond the tiny language is refused at parse time."""
    with pytest.raises(ConditionError):
        parse(text)


# --- evaluation context ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "path"),
    [("data.foo", "data.foo"), ("data.complexity.x == 1", "data.complexity.x"), ("nope", "nope")],
)
def test_unknown_field(text: str, path: str) -> None:
    """A path missing from the context (or going through a non-mapping) is named in the error."""
    with pytest.raises(ConditionError) as info:
        ev(text)
    assert str(info.value) == f"unknown field '{path}'"


@pytest.mark.parametrize("text", ["data.count", "1 + 2", '"yes"', "not data.count", "null"])
def test_result_must_be_boolean(text: str) -> None:
    """Non-boolean values are not silently treated as true/false."""
    with pytest.raises(ConditionError, match="must be true or false"):
        ev(text)


def test_and_or_check_both_sides_are_boolean() -> None:
    """`and`/`or` refuse non-boolean operands instead of using truthiness."""
    with pytest.raises(ConditionError, match=r"'data\.count' is 3"):
        ev("true and data.count")
    with pytest.raises(ConditionError, match="must be true or false"):
        ev("false or 1")


def test_and_or_short_circuit() -> None:
    """The right side of `and`/`or` is not evaluated once the answer is known."""
    assert ev("false and data.unknown") is False
    assert ev("true or 1 / 0 > 1") is True


def test_fields_lists_every_path() -> None:
    """fields() returns each referenced path once, from every kind of sub-expression."""
    cond = parse("not a.b and -c.d < 1 or e in [f, 2, g.h * 3] or a.b == 'a.b'")
    assert cond.fields() == frozenset({"a.b", "c.d", "e", "f", "g.h"})


def test_condition_is_frozen_and_comparable() -> None:
    """Parsed conditions are immutable values: same text gives equal, hashable conditions."""
    cond = parse("a and b")
    assert cond == parse("a and b") and hash(cond) == hash(parse("a and b"))
    assert isinstance(cond, Condition) and cond.text == "a and b"
    with pytest.raises(dataclasses.FrozenInstanceError):
        cond.text = "x"  # type: ignore[misc]


def test_condition_error_types() -> None:
    """ConditionError is a ValueError and a UserError so front ends show it cleanly."""
    assert issubclass(ConditionError, ValueError) and issubclass(ConditionError, UserError)


# --- validate_paths -------------------------------------------------------------------------

KNOWN = ["data.complexity", "data.clean", "derived.task_count"]


def test_validate_paths_accepts_known_fields() -> None:
    """A condition that only uses known paths passes validation silently."""
    validate_paths(parse('data.complexity == "x" and not data.clean'), KNOWN)


def test_validate_paths_suggests_close_match() -> None:
    """A typo is reported with a 'did you mean' suggestion."""
    with pytest.raises(ConditionError) as info:
        validate_paths(parse("data.complexty == 'x'"), KNOWN)
    assert "unknown field 'data.complexty' (did you mean 'data.complexity'?)" in str(info.value)


def test_validate_paths_lists_all_unknown() -> None:
    """Every unknown path is listed, and far-off names get no suggestion."""
    with pytest.raises(ConditionError) as info:
        validate_paths(parse("zzz or derived.task_cont > 1"), KNOWN)
    message = str(info.value)
    assert "unknown fields 'derived.task_cont' (did you mean 'derived.task_count'?)" in message
    assert "'zzz' in:" in message


# --- property tests -------------------------------------------------------------------------

# Trees are plain tuples rendered to text by the test itself, so the reference evaluator below
# checks the parser and evaluator independently of their AST.
NUM_FIELDS = ["n.a", "n.b", "n.c"]
PREC = {"or": 1, "and": 2, "not": 3, "cmp": 4, "+": 5, "-": 5, "*": 6, "/": 6, "neg": 7}
ARITH = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}
CMP = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}

# Small integers make equal values (and so precedence mistakes) likely to show up.
numbers_ = st.integers(0, 4) | st.integers(0, 1000) | st.floats(0, 1000, allow_nan=False)
num_leaf = st.tuples(st.just("const"), numbers_) | st.tuples(
    st.just("field"), st.sampled_from(NUM_FIELDS)
)
num_tree = st.recursive(
    num_leaf,
    lambda c: (
        st.tuples(st.just("neg"), c) | st.tuples(st.just("arith"), st.sampled_from("+-*/"), c, c)
    ),
    max_leaves=6,
)
texts = st.text(alphabet="ab '\"\\", max_size=4)
bool_leaf = (
    st.tuples(st.just("const"), st.booleans())
    | st.tuples(st.just("field"), st.sampled_from(["f.p", "f.q"]))
    | st.tuples(st.just("cmp"), st.sampled_from(list(CMP)), num_tree, num_tree)
    | st.tuples(st.just("streq"), st.sampled_from(["==", "!="]), texts)
    | st.tuples(st.just("in"), st.booleans(), num_tree, st.lists(num_tree, max_size=3))
)
bool_tree = st.recursive(
    bool_leaf,
    lambda c: (
        st.tuples(st.just("not"), c)
        | st.tuples(st.just("bool"), st.sampled_from(["and", "or"]), c, c)
    ),
    max_leaves=6,
)
contexts = st.fixed_dictionaries(
    {
        "n": st.fixed_dictionaries({k.split(".")[1]: numbers_ for k in NUM_FIELDS}),
        "f": st.fixed_dictionaries({"p": st.booleans(), "q": st.booleans()}),
        "s": st.fixed_dictionaries({"name": texts}),
    }
)


class RefError(Exception):
    pass


def quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(t: tuple[Any, ...]) -> tuple[str, int]:
    """Render a tree with only the parentheses precedence requires, returning (text, prec)."""

    def sub(child: tuple[Any, ...], need: int) -> str:
        text, prec = render(child)
        return f"({text})" if prec < need else text

    kind = t[0]
    if kind == "const":
        return ("true" if t[1] else "false") if isinstance(t[1], bool) else repr(t[1]), 9
    if kind == "field":
        return t[1], 9
    if kind == "neg":
        return "-" + sub(t[1], PREC["neg"]), PREC["neg"]
    if kind == "not":
        return "not " + sub(t[1], PREC["not"]), PREC["not"]
    if kind in ("arith", "bool"):
        p = PREC[t[1]]
        return f"{sub(t[2], p)} {t[1]} {sub(t[3], p + 1)}", p
    if kind == "cmp":
        return f"{sub(t[2], 5)} {t[1]} {sub(t[3], 5)}", 4
    if kind == "streq":
        return f"s.name {t[1]} {quote(t[2])}", 4
    items = ", ".join(render(i)[0] for i in t[3])
    return f"{sub(t[2], 5)} {'in' if t[1] else 'not in'} [{items}]", 4


def reference(t: tuple[Any, ...], ctx: dict[str, Any]) -> Any:
    """Evaluate a tree with plain Python semantics; RefError where the language must refuse."""
    kind = t[0]
    if kind == "const":
        return t[1]
    if kind == "field":
        group, name = t[1].split(".")
        return ctx[group][name]
    if kind == "neg":
        return -reference(t[1], ctx)
    if kind == "not":
        return not reference(t[1], ctx)
    if kind == "arith":
        left, right = reference(t[2], ctx), reference(t[3], ctx)
        if t[1] == "/" and right == 0:
            raise RefError
        return ARITH[t[1]](left, right)
    if kind == "bool":
        left = reference(t[2], ctx)
        if t[1] == "and":
            return left and reference(t[3], ctx)
        return left or reference(t[3], ctx)
    if kind == "cmp":
        return CMP[t[1]](reference(t[2], ctx), reference(t[3], ctx))
    if kind == "streq":
        return (ctx["s"]["name"] == t[2]) == (t[1] == "==")
    value = reference(t[2], ctx)
    items = [reference(i, ctx) for i in t[3]]  # a list's items are all evaluated first
    found = any(value == item for item in items)
    return found == t[1]


@pytest.mark.slow
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tree=bool_tree, ctx=contexts)
def test_rendered_trees_evaluate_like_reference(tree: tuple[Any, ...], ctx: dict[str, Any]) -> None:
    """parse(render(tree)).evaluate(ctx) agrees with a plain-Python evaluation of the tree."""
    cond = parse(render(tree)[0])
    try:
        expected = reference(tree, ctx)
    except RefError:
        with pytest.raises(ConditionError, match="division by zero"):
            cond.evaluate(ctx)
        return
    assert cond.evaluate(ctx) is expected


@settings(max_examples=400, deadline=None)
@given(tree=num_tree, ctx=contexts)
def test_rendered_arithmetic_matches_reference(tree: tuple[Any, ...], ctx: dict[str, Any]) -> None:
    """Arithmetic text computes exactly the value Python computes for the same tree."""
    cond = parse(render(tree)[0] + " == expected.value")
    try:
        expected = reference(tree, ctx)
    except RefError:
        with pytest.raises(ConditionError, match="division by zero"):
            cond.evaluate({**ctx, "expected": {"value": 0}})
        return
    assume(not math.isnan(expected))
    assert cond.evaluate({**ctx, "expected": {"value": expected}}) is True


FUZZ_CTX = {"data": {"x": 1, "s": "a", "b": True, "n": None, "l": [1, "a"], "d": {"k": 1.5}}}
FRAGMENTS = [
    "data.x",
    "data.s",
    "data.b",
    "data.n",
    "data.l",
    "data.d",
    "data.d.k",
    "missing",
    "__x",
    "0",
    "1",
    "2.5",
    "1e308",
    "9" * 400,
    "'a'",
    '"b"',
    "true",
    "false",
    "null",
    "(",
    ")",
    "[",
    "]",
    ",",
    "-",
    "+",
    "*",
    "/",
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "in",
    "not",
    "and",
    "or",
    "\\",
    "'",
    '"',
    "=",
    "!",
    "@",
    ".",
    ";",
]


@settings(max_examples=500, deadline=None)
@given(text=st.text(max_size=300))
def test_arbitrary_text_only_raises_condition_error(text: str) -> None:
    """Any text either parses and evaluates or fails with ConditionError, nothing else."""
    with contextlib.suppress(ConditionError):
        parse(text).evaluate(FUZZ_CTX)


@pytest.mark.slow
@settings(max_examples=1000, deadline=None)
@given(parts=st.lists(st.sampled_from(FRAGMENTS), max_size=120), sep=st.sampled_from([" ", ""]))
def test_token_soup_only_raises_condition_error(parts: list[str], sep: str) -> None:
    """Random sequences of valid and invalid tokens never escape as another exception type."""
    with contextlib.suppress(ConditionError):
        parse(sep.join(parts)).evaluate(FUZZ_CTX)


def test_every_list_item_is_evaluated_before_membership():
    """`x in [x, 0 / x]` refuses the division by zero even though the first item matches:
    whether a condition errs must not depend on the order of a list."""
    with pytest.raises(ConditionError, match="division by zero"):
        parse("n.a in [n.a, 0 / n.a]").evaluate({"n": {"a": 0}})


def test_a_text_is_parsed_once_and_a_bad_text_fails_every_time():
    """Estimates parse the same conditions on every run: one frozen Condition serves them;
    an error is never remembered as a result."""
    first = parse("data.size == 'big' and 1 < 2")
    assert parse("data.size == 'big' and 1 < 2") is first
    for _ in range(2):
        with pytest.raises(ConditionError):
            parse("data.size ==")
