"""A row of widgets for one range: low, most likely, high and the shape.

People type the three numbers in any order. The widgets therefore keep what was typed: they are
filled from the scenario only when the stored range changed elsewhere (another scenario, a
reload, a workshop adoption) or when the page is drawn afresh, never after the row's own edit.
A row that does not yet make a range (a most-likely value with one end still empty) says what is
missing and stores nothing; nothing typed is cleared and the shape never changes by itself.
The one exception, typing past the other end of a certain value (see ``range_from_parts``),
moves that end too and says so in a note under the row until the row is edited again.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from mlpm_core.errors import UserError, shown_number
from mlpm_core.scenario import Range, value_at
from mlpm_ui import state
from mlpm_ui.labels import field_label
from mlpm_ui.text import md

AUTO_SHAPE = "auto"
SHAPES = (AUTO_SHAPE, "lognormal", "pert", "normal", "uniform")
SHAPE_LABELS = {AUTO_SHAPE: "Automatic", "lognormal": "Lognormal", "pert": "PERT",
                "normal": "Normal", "uniform": "Uniform"}
RANGE_PARTS = ("low", "most_likely", "high", "shape")


def _shape_in_sentence(kind: str) -> str:
    """'lognormal', 'uniform', but 'PERT' (an acronym keeps its capitals)."""
    shape = SHAPE_LABELS[kind]
    return shape if shape.isupper() else shape.lower()


def part_key(path: str, part: str) -> str:
    """The session-state key of one widget of a range row."""
    return f"f:{path}:{part}"


def _moved_key(path: str) -> str:
    """Where the row keeps the note about an end it moved, shown until the next edit."""
    return f"range-moved:{path}"


def moved_note(part: str, typed: float, value: float) -> str:
    """What the row says after typing ``typed`` past the other end of a certain value moved
    both ends to ``value`` (the user would otherwise see a box change by itself)."""
    end, other = ("Low", "High") if part == "low" else ("High", "Low")
    return (f"{end} {shown_number(typed)} was past the other end of a certain value, so "
            f"{other} was changed to {shown_number(value)} too: the value stays certain at "
            f"{shown_number(value)}. To give a range, type the {other.lower()} end again.")


def _shown_key(path: str) -> str:
    """Where the row remembers the stored range its widgets agree with."""
    return f"range-shown:{path}"


def range_from_parts(low: float | None, most_likely: float | None, high: float | None,
                     shape: str, optional: bool,
                     previous: Range | None = None) -> dict[str, Any] | None:
    """The range document a row of range widgets describes.

    Both ends empty: no value (only allowed for an optional field, i.e. "use the assumption").
    One end empty: a certain value, unless a most-likely value is given, which needs both ends.
    Typing past the other end of a certain value (e.g. 250 into the low end of "certain 0")
    moves both ends: the value stays certain at the new number.
    """
    if low is None and high is None:
        if most_likely is not None:
            raise UserError("give the low and the high end around the most-likely value")
        if optional:
            return None
        raise UserError("give at least the low or the high end (the same number for a "
                        "certain value)")
    if most_likely is not None and (low is None or high is None):
        missing = "high" if high is None else "low"
        raise UserError(f"give the {missing} end too: a most-likely value needs both ends")
    low = high if low is None else low
    high = low if high is None else high
    assert low is not None and high is not None  # both empty returned or raised above
    if previous is not None and previous.is_certain and low > high:
        low, high = (low, low) if high == previous.high else (high, high)
    document: dict[str, Any] = {"low": low, "high": high, "most_likely": most_likely}
    if shape != AUTO_SHAPE:
        document["distribution"] = shape
    return document


def describe_range(value: Range) -> str:
    """One line saying which distribution a range uses."""
    if value.is_certain:
        return f"Certain: {shown_number(value.low)}"
    why = "" if value.distribution else (
        " (automatic: a most-likely value makes it PERT)" if value.most_likely is not None
        else " (automatic for a positive range)")
    middle = ("" if value.most_likely is None
              else f", most likely {shown_number(value.most_likely)}")
    return (f"90% between {shown_number(value.low)} and {shown_number(value.high)}{middle}: "
            f"{_shape_in_sentence(value.kind)}{why}")


def _stored(path: str) -> Range | None:
    current = state.scenario()
    return None if current is None else value_at(current, path)


def _changed(path: str, optional: bool) -> None:
    """Callback: store the range the row now describes, keeping the widgets as typed."""
    typed = {part: st.session_state.get(part_key(path, part)) for part in RANGE_PARTS}
    st.session_state.pop(_moved_key(path), None)
    try:
        document = range_from_parts(typed["low"], typed["most_likely"], typed["high"],
                                    typed["shape"] or AUTO_SHAPE, optional, _stored(path))
    except UserError as error:
        state.field_errors()[path] = f"{field_label(path)}: {error}"
        return
    if not state.set_value(path, document, label=field_label(path)):
        return
    if document is not None:  # an end moved by "typing past a certain value" is shown moved
        for part in ("low", "high"):
            if typed[part] is not None and typed[part] != document[part]:
                st.session_state[part_key(path, part)] = document[part]
                kept = "high" if part == "low" else "low"
                st.session_state[_moved_key(path)] = moved_note(kept, document[kept],
                                                                document[part])
    st.session_state[_shown_key(path)] = _stored(path)


def _fill(path: str, value: Range | None) -> None:
    """Put the stored range into the widgets (before they are drawn)."""
    parts: dict[str, float | str | None] = {"low": None, "most_likely": None, "high": None,
                                            "shape": AUTO_SHAPE}
    if value is not None:
        parts = {"low": value.low, "most_likely": value.most_likely, "high": value.high,
                 "shape": value.distribution or AUTO_SHAPE}
    for part, seed in parts.items():
        st.session_state[part_key(path, part)] = seed
    st.session_state[_shown_key(path)] = value
    st.session_state.pop(_moved_key(path), None)  # the range changed elsewhere


def range_row(path: str, description: str, optional: bool, value: Range | None, text: str,
              note: str | None) -> None:
    """Draw the row for the range at ``path`` (``value`` is what the scenario holds)."""
    drawn = all(part_key(path, part) in st.session_state for part in RANGE_PARTS)
    if not drawn or st.session_state.get(_shown_key(path), False) != value:
        _fill(path, value)
    st.markdown(f"**{md(text)}**", help=description or None)
    common: dict[str, Any] = {"on_change": _changed, "args": (path, optional)}
    # value=None: every end can be cleared (one empty end means "certain", both "none").
    ends: dict[str, Any] = {**common, "value": None, "format": "%g", "step": 1.0}
    empty = "assumption" if note else ("empty" if optional else None)
    low, likely, high, shape = st.columns([1, 1, 1, 1.1])
    low.number_input("Low (5%)", key=part_key(path, "low"), placeholder=empty,
                     help="Only a 5% chance the true value is lower.", **ends)
    likely.number_input("Most likely", key=part_key(path, "most_likely"),
                        placeholder="optional", help="Optional: makes the range a PERT shape.",
                        **ends)
    high.number_input("High (95%)", key=part_key(path, "high"), placeholder=empty,
                      help="Only a 5% chance the true value is higher.", **ends)
    shape.selectbox("Shape", SHAPES, key=part_key(path, "shape"),
                    format_func=SHAPE_LABELS.__getitem__,
                    help="Automatic: lognormal for a positive range, PERT with a most-likely "
                    "value. Normal or uniform for a range that can reach zero.", **common)
    st.caption(md(describe_range(value) if value is not None else (note or "Not given.")))
    moved = st.session_state.get(_moved_key(path))
    if moved:
        st.info(md(moved), icon=":material/sync_alt:")
