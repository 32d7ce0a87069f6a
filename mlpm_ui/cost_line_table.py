"""The custom cost lines as the Costs & value table shows them, and back, with each bad row said.

Pure pandas and pydantic, no Streamlit, so every rule is unit-tested directly; the editor
(``mlpm_ui.cost_line_editor``) applies the user's edit state with
:func:`mlpm_ui.task_table.apply_edits` and reads the result here. A row that turns invalid keeps
its last valid version in the scenario, and a new row is written once it is complete and valid,
as in the team and task tables.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

import pandas as pd
from pydantic import ValidationError

from mlpm_core.errors import UserError
from mlpm_core.scenario import CustomCostLine, describe_validation_error
from mlpm_ui.range_input import AUTO_SHAPE, SHAPES, range_from_parts
from mlpm_ui.task_table import RowError, TableRead, is_blank, number_cell

COLUMNS = ("name", "paid", "low", "most_likely", "high", "shape")
PAID = ("one_off", "yearly")
PAID_LABELS = {"one_off": "One-off", "yearly": "Yearly"}


def paid_label(option: object) -> str:
    """One-off or yearly as the table shows it (any option value a widget hands over)."""
    return PAID_LABELS.get(str(option), str(option))
ENDS = {"low": "low", "most_likely": "most likely", "high": "high"}


def lines_frame(lines: list[CustomCostLine]) -> pd.DataFrame:
    """The table the editor starts from: one row per line, the amount as low / likely / high."""
    return pd.DataFrame([{"name": line.name, "paid": line.paid, "low": line.amount.low,
                          "most_likely": line.amount.most_likely, "high": line.amount.high,
                          "shape": line.amount.distribution or AUTO_SHAPE} for line in lines],
                        columns=list(COLUMNS)).astype(
        {"low": float, "most_likely": float, "high": float})


def line_problems(row: Mapping[str, Any]) -> tuple[CustomCostLine | None, list[str]]:
    """One row as a cost line, or every reason it is not one."""
    problems: list[str] = []
    name = "" if is_blank(row.get("name")) else str(row.get("name"))
    if not name.strip():
        problems.append("the name is empty")
    paid = row.get("paid")
    if paid not in PAID:
        problems.append("choose one-off or yearly")
    ends = {end: number_cell(row.get(end), ENDS[end], problems, required=False)
            for end in ENDS}
    shape = row.get("shape") if row.get("shape") in SHAPES else AUTO_SHAPE
    if problems:
        return None, problems
    try:
        amount = range_from_parts(ends["low"], ends["most_likely"], ends["high"], str(shape),
                                  optional=False)
        return CustomCostLine.model_validate({"name": name, "paid": paid, "amount": amount},
                                             strict=False), []
    except UserError as error:
        return None, [f"amount: {error}"]
    except ValidationError as error:
        return None, [describe_validation_error(error)]


def read_lines(frame: pd.DataFrame,
               last_valid: Mapping[Hashable, CustomCostLine]) -> TableRead:
    """The cost lines an edited table stands for; a name used twice is an error on the later
    row. Blank rows (just added, nothing typed yet) are skipped silently."""
    items: list[CustomCostLine] = []
    errors: list[RowError] = []
    valid: dict[Hashable, CustomCostLine] = {}
    seen: set[str] = set()
    for number, (label, row) in enumerate(frame.iterrows(), start=1):
        cells = {column: row.get(column) for column in COLUMNS}
        if all(is_blank(cells[column]) for column in ("name", "low", "most_likely", "high")):
            continue
        line, problems = line_problems(cells)
        if line is not None and line.name.strip().casefold() in seen:
            problems = [f"another line is already named '{line.name}'"]
            line = None
        if line is not None:
            seen.add(line.name.strip().casefold())
            valid[label] = line
            items.append(line)
            continue
        errors.append(RowError(number, "" if is_blank(cells["name"]) else str(cells["name"])[:60],
                               "; ".join(problems)))
        kept = last_valid.get(label)
        if kept is not None and kept.name.strip().casefold() not in seen:
            seen.add(kept.name.strip().casefold())
            items.append(kept)
    return TableRead(items=items, errors=errors, valid=valid)
