"""The assumptions ledger entries a scenario depends on, as a table.

Every default value an estimate uses (``data/assumptions.toml``) is shown with its source and
check date, and whether the scenario's own answer overrides it.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from mlpm_core.scenario import Range, Scenario, UsedValue, relevant
from mlpm_core.sources import citation, plain_citation
from mlpm_ui.labels import field_label


def _shown(value: Range) -> str:
    return f"{value.low:g}" if value.is_certain else f"{value.low:g} to {value.high:g}"


def _source(entry: UsedValue) -> str:
    """The ledger's note on where the value comes from, and the sources it mentions."""
    cited = "; ".join(plain_citation(source_id) for source_id in entry.assumption.cites)
    return f"{entry.assumption.source}; see {cited}" if cited else entry.assumption.source


def ledger_rows(used: list[UsedValue]) -> pd.DataFrame:
    """One row per assumption: the value used, where it came from, source and check date."""
    return pd.DataFrame([{
        "Assumption": entry.assumption.label,
        "Used": _shown(entry.value),
        "Unit": entry.assumption.unit,
        "From": "your answer" if entry.overridden else "assumption",
        "Ledger value": _shown(entry.assumption.value),
        "Source": _source(entry),
        "Link": next((cited.url for cited in map(citation, entry.assumption.cites)
                      if cited is not None and cited.url), None),
        "Checked": entry.assumption.checked,
        "Override with": field_label(entry.assumption.field),
    } for entry in used])


def show_ledger(scenario: Scenario) -> None:
    """The ledger entries this scenario uses, with a note on how to override them."""
    used = relevant(scenario)
    if not used:
        st.caption("This scenario uses no default prices or constants.")
        return
    st.dataframe(ledger_rows(used), hide_index=True,
                 column_config={"Source": st.column_config.TextColumn(width="large"),
                                "Link": st.column_config.LinkColumn(display_text="source")})
    st.caption("Fill the field named under 'Override with' to replace a default with your own "
               "number; leave it empty to use the ledger's value.")
