"""Comparing scenarios side by side: ranked rows, the impact x feasibility matrix."""

from mlpm_core.portfolio.charts import impact_feasibility_matrix_spec
from mlpm_core.portfolio.compare import (
    MAX_COMPARE,
    MIN_COMPARE,
    PortfolioRow,
    checked_selection,
    currencies,
    portfolio_rows,
    ranked,
    unique_labels,
    what_if,
)

__all__ = [
    "MAX_COMPARE",
    "MIN_COMPARE",
    "PortfolioRow",
    "checked_selection",
    "currencies",
    "impact_feasibility_matrix_spec",
    "portfolio_rows",
    "ranked",
    "unique_labels",
    "what_if",
]
