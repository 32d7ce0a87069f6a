"""The assumptions ledger entries a scenario depends on, as a table.

Every default value an estimate uses (``data/assumptions.toml``) is shown with its source and
check date, and whether the scenario's own answer overrides it.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from mlpm_core.errors import UserError, shown_number
from mlpm_core.scenario import (
    Range,
    Scenario,
    UsedValue,
    currency_code,
    relevant,
    shown_rate,
    usd_rate,
)
from mlpm_core.sources import citation, plain_citation
from mlpm_ui import forms
from mlpm_ui.labels import field_label
from mlpm_ui.text import linked_source, md


def _shown(value: Range) -> str:
    low = shown_number(value.low)
    return low if value.is_certain else f"{low} to {shown_number(value.high)}"


def _source(entry: UsedValue, currency: str) -> str:
    """The ledger's note on where the value comes from, the sources it mentions, and the rate
    a US-dollar price was converted at."""
    parts = [entry.assumption.source]
    cited = "; ".join(plain_citation(source_id) for source_id in entry.assumption.cites)
    if cited:
        parts.append(f"see {cited}")
    return "; ".join(filter(None, [*parts, entry.conversion(currency)]))


def _ledger_value(entry: UsedValue) -> str:
    shown = _shown(entry.assumption.value)
    currency = entry.assumption.currency
    return f"{currency} {shown}" if currency else shown


def ledger_rows(used: list[UsedValue], currency: str) -> pd.DataFrame:
    """One row per assumption: the value used, where it came from, source and check date."""
    return pd.DataFrame([{
        "Assumption": entry.assumption.label,
        "Used": _shown(entry.shown_value),
        "Unit": entry.assumption.unit.replace("currency", currency),
        "From": "your answer" if entry.overridden else "ledger default",
        "Override with": field_label(entry.assumption.field),
        "Checked": entry.assumption.checked,
        "Source": _source(entry, currency),
        "Ledger value": _ledger_value(entry),
        "Link": next((cited.url for cited in map(citation, entry.assumption.cites)
                      if cited is not None and cited.url), ""),
    } for entry in used])


def report_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """The ledger rows as a report reads them, in Markdown cells (escaped): the value with its
    unit, the source with a link to it; the ledger's own value only where an answer replaced
    it."""
    return pd.DataFrame({
        "Assumption": rows["Assumption"].map(md),
        "Used": [md(f"{used} {unit}".strip()) for used, unit in zip(rows["Used"], rows["Unit"],
                                                                       strict=True)],
        "From": [md(origin if origin == "ledger default" else f"{origin} (ledger: {ledger})")
                 for origin, ledger in zip(rows["From"], rows["Ledger value"], strict=True)],
        "Source": [linked_source(source, url) for source, url in zip(rows["Source"],
                                                                       rows["Link"], strict=True)],
        "Checked": rows["Checked"].map(md),
        "Override with": rows["Override with"].map(md),
    })


def exchange_rate_field(scenario: Scenario) -> None:
    """The rate the ledger's US-dollar prices are converted at, for a scenario in another
    currency: the ECB's rate when the field is empty, or a request for one."""
    currency = scenario.project.currency
    if currency_code(currency) == "USD":
        return
    shipped = usd_rate(scenario.model_copy(update={"costs": scenario.costs.model_copy(
        update={"usd_exchange_rate": None})}))
    hint = (f"empty: {shown_rate(shipped.per_usd)}, {shipped.origin}"
            if shipped is not None else "empty: no rate known for this currency")
    box, _ = st.columns(2)
    with box:
        forms.field("costs.usd_exchange_rate", label=f"1 US dollar in {currency}",
                    placeholder=hint)
    own = scenario.costs.usd_exchange_rate
    if own is not None and shipped is not None and not 0.5 <= own / shipped.per_usd <= 2:
        st.warning(md(f"1 US dollar in {currency} is {shown_rate(own)} here, "
                      f"{shown_rate(own / shipped.per_usd)} times {shipped.origin} "
                      f"({shown_rate(shipped.per_usd)}): every default price is multiplied by "
                      "it. Check the rate, or empty the box to use the ECB's."),
                   icon=":material/currency_exchange:")


def currency_note(scenario: Scenario) -> None:
    """Under the currency: what changing it does, and whether mlpm has a rate for it."""
    currency = scenario.project.currency
    note = ("Every amount you typed is read in this currency, and stays as you typed it when "
            "you change the currency (150,000 stays 150,000). Only mlpm's default prices, "
            "which are US-dollar list prices, are converted into it.")
    if currency_code(currency) is None and scenario.costs.usd_exchange_rate is None:
        note += (f" mlpm has no exchange rate for '{currency}': give one on Costs & value if "
                 "the estimate uses a default price, or write an ISO code such as EUR.")
    st.caption(md(note))


def show_ledger(scenario: Scenario, editable: bool = True) -> None:
    """The ledger entries this scenario uses; where the fields are on the page (``editable``),
    a note on how to override them, elsewhere where to do it."""
    try:
        used = relevant(scenario)
    except UserError as error:  # a US-dollar default price and no rate for the currency
        st.warning(md(str(error)), icon=":material/currency_exchange:")
        return
    if not used:
        st.caption("This scenario uses no default prices or constants.")
        return
    rows = ledger_rows(used, scenario.project.currency)
    if editable:  # beside the fields: a grid that sorts and scrolls
        st.dataframe(rows, hide_index=True,
                     column_config={"Source": st.column_config.TextColumn(width="large"),
                                    "Link": st.column_config.LinkColumn(display_text="source")})
    else:  # in the report: a static table wraps each source whole, as the PDF prints it
        st.table(report_rows(rows))
    st.caption("Fill the field named under 'Override with' to replace a default with your own "
               "number; leave it empty to use the ledger's value." if editable else
               "To replace a default with your own number, fill the field named under 'Override "
               "with' on its question page (most are on Costs & value).")
