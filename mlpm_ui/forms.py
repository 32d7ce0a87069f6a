"""One generic renderer for scenario fields, driven by the pydantic model.

``field("data.size")`` looks the field up in ``Scenario``, picks the widget from its annotation
(``Literal`` -> radio or select box with human labels, ``bool`` -> toggle, ``int``/``float`` ->
a text box read by :func:`parse_number`, ``str`` -> text input or area, ``Range`` -> a compact
low / most likely / high row with its distribution, ``list[float]`` -> comma-separated numbers,
``X | None`` -> may be left empty), uses the field's description as help, and writes changes
through :func:`mlpm_ui.state.set_value` from the widget's ``on_change`` callback. A refused value
stays in its widget with a readable message under it, and the scenario keeps the saved value;
the widget is filled from the scenario again once a value is accepted (which clears the
message) or the page is left.

Single numbers are typed into text boxes, not ``st.number_input``: a browser's number box turns
text it cannot hold (``1e400``, which overflows) into an empty value, so the page could not tell
it from a cleared box and an optional field such as the budget silently became "not known".

Widget keys are derived from the field path (``f:data.size``, ``f:data.label_cost:low``), and
every run seeds them from the scenario before drawing: the scenario, not the widget, holds the
answer, so it survives page switches, reloads and version restores.
"""

from __future__ import annotations

import math
import re
import types
import typing
from dataclasses import dataclass, replace
from typing import Any, Literal

import annotated_types as at
import streamlit as st
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from mlpm_core.errors import UserError, shown_number
from mlpm_core.scenario import (
    Range,
    Scenario,
    UsedValue,
    ledger,
    relevant,
    shown_rate,
    used,
    value_at,
    wording,
)
from mlpm_core.sources import plain_citation
from mlpm_ui import state
from mlpm_ui.labels import empty_hint, field_label, option_label
from mlpm_ui.range_input import range_row
from mlpm_ui.text import md

Kind = Literal["choice", "toggle", "integer", "number", "text", "long_text", "range",
               "number_list"]
RADIO_MAX_OPTIONS = 3
SHARE_HELP = "Type a share as 0.7 or as 70%."
LONG_TEXT_OVER = 300  # characters: fields allowed to be longer get a text area
_GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?([eE][+-]?\d+)?")


@dataclass(frozen=True)
class FieldSpec:
    """What the renderer needs to know about one scenario field."""

    path: str
    kind: Kind
    optional: bool
    description: str
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    max_length: int | None = None
    above: float | None = None  # a strict lower bound of a number (a rate above 0)


# ------------------------------------------------------------------------------ introspection
def _strip_optional(annotation: Any) -> tuple[Any, bool]:
    """The type under ``X | None``, without the checks ``Annotated`` adds to it (a money
    range is a range to the form; the schema checks its bounds)."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        optional = len(args) < len(typing.get_args(annotation))
        if len(args) == 1:
            return _plain(args[0]), optional
    return _plain(annotation), False


def _plain(annotation: Any) -> Any:
    if typing.get_origin(annotation) is typing.Annotated:
        return typing.get_args(annotation)[0]
    return annotation


def field_info(path: str) -> FieldInfo:
    """The pydantic field at a dotted path of ``Scenario``."""
    model: type[BaseModel] = Scenario
    *parents, leaf = path.split(".")
    for name in parents:
        annotation, _ = _strip_optional(model.model_fields[name].annotation)
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            raise KeyError(f"{path!r}: {name} is not a section")
        model = annotation
    if leaf not in model.model_fields:
        raise KeyError(f"the scenario has no field {path!r}")
    return model.model_fields[leaf]


def _bound(value: Any) -> float:
    """A field's numeric bound (annotated-types types it only as comparable) as a float."""
    return float(value)


def _kind(annotation: Any) -> Kind:
    if typing.get_origin(annotation) is Literal:
        return "choice"
    if annotation is bool:
        return "toggle"
    if annotation is int:
        return "integer"
    if annotation is float:
        return "number"
    if annotation is str:
        return "text"
    if annotation is Range:
        return "range"
    if typing.get_origin(annotation) is list and typing.get_args(annotation) == (float,):
        return "number_list"
    raise TypeError(f"no generic widget for {annotation!r}")


def field_spec(path: str) -> FieldSpec:
    """Widget kind, bounds and help of the field at ``path``."""
    info = field_info(path)
    annotation, optional = _strip_optional(info.annotation)
    kind = _kind(annotation)
    minimum = maximum = max_length = above = None
    for meta in info.metadata:
        if isinstance(meta, at.Ge):
            minimum = _bound(meta.ge)
        elif isinstance(meta, at.Gt) and kind == "integer":
            minimum = _bound(meta.gt) + 1
        elif isinstance(meta, at.Gt):
            above = _bound(meta.gt)
        elif isinstance(meta, at.Le):
            maximum = _bound(meta.le)
        elif isinstance(meta, at.Lt) and kind == "integer":
            maximum = _bound(meta.lt) - 1
        elif isinstance(meta, at.MaxLen):
            max_length = meta.max_length
    if kind == "text" and (max_length is None or max_length > LONG_TEXT_OVER):
        kind = "long_text"
    choices = typing.get_args(annotation) if kind == "choice" else ()
    return FieldSpec(path=path, kind=kind, optional=optional,
                     description=info.description or "", choices=tuple(choices),
                     minimum=minimum, maximum=maximum, max_length=max_length, above=above)


def widget_key(path: str) -> str:
    """The session-state key of a field's widget (a range row's: ``range_input.part_key``)."""
    return f"f:{path}"


# ------------------------------------------------------------------------------ conversions
def parse_number_list(text: str) -> list[float]:
    """``"0.5, 0.9, 1"`` as numbers; a readable ``UserError`` for anything else."""
    parts = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        raise UserError("write numbers separated by commas, e.g. 0.5, 0.9, 1") from None
    if not numbers or not all(math.isfinite(number) for number in numbers):
        raise UserError("write at least one finite number, e.g. 0.5, 0.9, 1")
    return numbers


def parse_number(text: str, *, integer: bool = False) -> float | int | None:
    """A typed number (``150000``, ``150,000``, ``1.5e5``, ``0.25``); ``None`` for an empty box.

    Refused with a readable ``UserError``: text that is not a number, a number too large to
    hold (``1e400`` overflows to infinity), ``nan`` and ``inf``, a fraction where a whole
    number is needed, and commas other than thousands separators (``0,5`` is not 0.5 here).
    """
    typed = text.strip()
    cleaned = typed.replace("_", "").replace(" ", "")
    if not cleaned:
        return None
    shown = typed if len(typed) <= 40 else typed[:39] + "…"
    if "," in cleaned:
        if not _GROUPED.fullmatch(cleaned):
            raise UserError(f"'{shown}' is not a number: use a point for decimals and commas "
                            "only between thousands, e.g. 150,000 or 0.25")
        cleaned = cleaned.replace(",", "")
    try:
        number = float(cleaned)
    except ValueError:
        raise UserError(f"'{shown}' is not a number; write e.g. 150000 or 0.25") from None
    if math.isnan(number):
        raise UserError(f"'{shown}' is not a number; write e.g. 150000 or 0.25")
    if math.isinf(number):
        raise UserError(f"'{shown}' is too large to be used as a number; the value saved "
                        "before is kept")
    if integer:
        if not number.is_integer():
            raise UserError(f"'{shown}' is not a whole number")
        return int(number)
    return number


UNGROUPED_NUMBERS = frozenset({"simulation.seed"})  # a name, not an amount: not "20,240,601"


def format_number(value: float | int | None, grouped: bool = True) -> str:
    """The text a number box shows (``150,000``, ``2500``, ``0.25``, empty for none) and reads
    back: separators from five digits on, none for a year-like four digits or ``grouped=False``."""
    if value is None:
        return ""
    if float(value).is_integer() and abs(value) < 1e16:
        return f"{int(value):,}" if grouped and abs(value) >= 10_000 else str(int(value))
    return repr(float(value))


def _within_bounds(number: float, spec: FieldSpec) -> None:
    """The field's bounds, said with thousands separators (pydantic says 10000000000000)."""
    if spec.minimum is not None and number < spec.minimum:
        raise UserError(f"must be at least {shown_number(spec.minimum)} (got "
                        f"{shown_number(number)})")
    if spec.above is not None and number <= spec.above:
        raise UserError(f"must be above {shown_number(spec.above)} (got {shown_number(number)})")
    if spec.maximum is not None and number > spec.maximum:
        raise UserError(f"must be at most {shown_number(spec.maximum)} (got "
                        f"{shown_number(number)})")


def format_number_list(values: list[float]) -> str:
    """The text a number-list widget shows."""
    return ", ".join(f"{value:g}" for value in values)


def _used_for(current: Scenario, path: str) -> UsedValue | None:
    """The ledger value an empty field at ``path`` stands for, in the scenario's currency."""
    try:
        candidates = relevant(current)
    except UserError:  # a US-dollar price and no rate for the currency: said on Costs & value
        candidates = []
    found = next((entry for entry in candidates if entry.assumption.field == path), None)
    if found is not None:
        return found
    entry = next((entry for entry in ledger().values() if entry.field == path), None)
    if entry is None:
        return None
    try:
        return used(current, entry.id)
    except UserError:
        return UsedValue(entry, entry.value, overridden=False)


def _show_range(value: Range) -> str:
    low = shown_number(value.low)
    return low if value.is_certain else f"{low} to {shown_number(value.high)}"


def _cited(source_ids: tuple[str, ...]) -> str:
    return "".join(f"; see {plain_citation(source_id)}" for source_id in source_ids)


def assumption_note(current: Scenario, path: str) -> str | None:
    """For a field a ledger default fills: what is used when it is left empty."""
    found = _used_for(current, path)
    if found is None:
        return None
    entry, currency = found.assumption, current.project.currency
    value = _show_range(found.shown_value)
    unit = entry.unit.replace("currency", currency)
    if found.rate is not None and found.converted:
        value += (f" (USD {_show_range(entry.value)} at {shown_rate(found.rate.per_usd)} "
                  f"{currency} per USD, "
                  f"{found.rate.origin})")
    elif entry.currency and found.rate is None:
        unit = entry.unit.replace("currency", entry.currency)
    return (f"Empty uses the assumption '{entry.label}': {value} {unit} "
            f"(source: {entry.source}{_cited(entry.cites)}; checked {entry.checked}).")


# ------------------------------------------------------------------------------ callbacks
def is_share(spec: FieldSpec) -> bool:
    """A number between 0 and 1 (a chance, a share, a rate): it may be typed as a percentage."""
    return (spec.kind == "number" and spec.minimum is not None and spec.minimum >= 0
            and spec.maximum is not None and spec.maximum <= 1)


def _typed_number(text: str, spec: FieldSpec) -> float | int | None:
    """The number typed for ``spec``; ``70%`` is 0.7 where the answer is a share, so a chance
    reads the same whether typed as a fraction or a percentage."""
    typed = text.strip()
    if typed.endswith("%"):
        if not is_share(spec):
            raise UserError(f"'{typed[:40]}': this question takes a number, not a percentage")
        percent = parse_number(typed[:-1])
        number = None if percent is None else percent / 100
    else:
        number = parse_number(typed, integer=spec.kind == "integer")
    if number is None:
        if not spec.optional:
            raise UserError("give a number (this question cannot be left empty)")
        return None
    _within_bounds(number, spec)
    return number


def _changed(path: str, spec: FieldSpec, label: str) -> None:
    """Callback: save the typed value, or keep it beside a message that names the field as
    the page does (the ledger's rate box says "1 US dollar in EUR", not "in your currency")."""
    raw = st.session_state.get(widget_key(path))
    if spec.kind in ("number_list", "integer", "number"):
        try:
            raw = (parse_number_list(raw or "") if spec.kind == "number_list"
                   else _typed_number(raw or "", spec))
        except UserError as error:
            state.field_errors()[path] = f"{label}: {error}"
            return
    elif spec.kind in ("text", "long_text"):
        raw = raw or ""
    state.set_value(path, raw, label=label)


# ------------------------------------------------------------------------------ drawing
def _seed(key: str, value: Any, refused: bool = False) -> None:
    """Fill a widget from the scenario, unless it holds a refused value: that stays as typed
    beside its message, so typing a valid value again is a change and clears the message."""
    if refused and key in st.session_state:
        return
    st.session_state[key] = value


def field(path: str, *, label: str | None = None, placeholder: str | None = None,
          horizontal: bool | None = None, multiline: bool | None = None) -> None:
    """Draw the widget for the scenario field at ``path``, bound to the open scenario."""
    current = state.require()
    refused = path in state.field_errors()
    spec = field_spec(path)
    if multiline is not None and spec.kind in ("text", "long_text"):
        spec = replace(spec, kind="long_text" if multiline else "text")
    value = value_at(current, path)
    words = wording(current.project.task_type, path)
    text = label or (words.label if words else field_label(path))
    description = (words.help if words and words.help else spec.description)
    spec = replace(spec, description=description)
    key = widget_key(path)
    common: dict[str, Any] = {"help": description or None, "on_change": _changed,
                              "args": (path, spec, text)}
    note = assumption_note(current, path) if spec.optional else None
    if spec.kind == "range":
        range_row(path, spec.description, spec.optional, value, text, note)
    elif spec.kind == "choice":
        _seed(key, value)
        options = list(spec.choices)
        show = (len(options) <= RADIO_MAX_OPTIONS) if horizontal is None else horizontal
        if show:
            st.radio(text, options, key=key, horizontal=True,
                     format_func=lambda option: option_label(path, option), **common)
        else:
            st.selectbox(text, options, key=key,
                         format_func=lambda option: option_label(path, option), **common)
    elif spec.kind == "toggle":
        _seed(key, bool(value))
        st.toggle(text, key=key, **common)
    elif spec.kind in ("integer", "number"):
        _seed(key, format_number(value, grouped=path not in UNGROUPED_NUMBERS), refused)
        hint = placeholder or ("empty: uses the assumption" if note else
                               empty_hint(spec.description) if spec.optional else None)
        if is_share(spec):
            common["help"] = f"{spec.description or ''} {SHARE_HELP}".strip()
        st.text_input(text, key=key, placeholder=hint, **common)
    elif spec.kind == "text":
        _seed(key, value or "", refused)
        st.text_input(text, key=key, max_chars=spec.max_length, placeholder=placeholder,
                      **common)
    elif spec.kind == "long_text":
        _seed(key, value or "", refused)
        st.text_area(text, key=key, max_chars=spec.max_length, placeholder=placeholder,
                     height=100, **common)
    elif spec.kind == "number_list":
        _seed(key, format_number_list(value), refused)
        st.text_input(text, key=key, placeholder=placeholder, **common)
    if note and spec.kind != "range" and value is None:  # what an empty field means
        st.caption(md(note))
    _show_error(path)


def _show_error(path: str) -> None:
    message = state.field_errors().get(path)
    if message:
        st.error(md(message), icon=":material/error:")


def fields(*paths: str) -> None:
    """Draw several fields one under another."""
    for path in paths:
        field(path)
