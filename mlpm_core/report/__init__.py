"""One report model of an estimate, rendered as Markdown, HTML, PDF and CSV."""

from mlpm_core.report.calibration import bias_phrase, calibration_sentence
from mlpm_core.report.costs import benefit_bar_sentence, npv_basis
from mlpm_core.report.key_ranges import RETURNS_BASIS, returns_sentence
from mlpm_core.report.model import RULES_CHANGED_HEADING, bridge_rows
from mlpm_core.report.render import MEDIA_TYPES, Paper, ReportFormat, render
from mlpm_core.report.rules_table import RANGE_BASIS_LABELS, rule_row, rules_note
from mlpm_core.report.spread import spread_lines
from mlpm_core.report.success import HEAD as SUCCESS_HEAD
from mlpm_core.report.success import (
    SUCCESS_SOURCE_LABELS,
    chance_beside_own,
    npv_split_sentence,
    source_said,
)
from mlpm_core.report.task_csv import rows_to_csv, tasks_csv_bytes

__all__ = [
    "MEDIA_TYPES",
    "RANGE_BASIS_LABELS",
    "RETURNS_BASIS",
    "RULES_CHANGED_HEADING",
    "SUCCESS_HEAD",
    "SUCCESS_SOURCE_LABELS",
    "Paper",
    "ReportFormat",
    "benefit_bar_sentence",
    "bias_phrase",
    "bridge_rows",
    "calibration_sentence",
    "chance_beside_own",
    "npv_basis",
    "npv_split_sentence",
    "render",
    "returns_sentence",
    "rows_to_csv",
    "rule_row",
    "rules_note",
    "source_said",
    "spread_lines",
    "tasks_csv_bytes",
]
