"""One report model of an estimate, rendered as Markdown, HTML, PDF and CSV."""

from mlpm_core.report.model import calibration_sentence
from mlpm_core.report.render import MEDIA_TYPES, Paper, ReportFormat, render
from mlpm_core.report.task_csv import rows_to_csv, tasks_csv_bytes

__all__ = ["MEDIA_TYPES", "Paper", "ReportFormat", "calibration_sentence", "render",
           "rows_to_csv", "tasks_csv_bytes"]
