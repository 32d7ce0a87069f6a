"""Learning from finished work: actuals, fitted reference classes and their checks.

Lazy: the engine needs only ``ReferenceClass``; fitting and CSV import pull in pandas
and scipy.optimize, which an estimate must not wait for.
"""

from typing import TYPE_CHECKING

from mlpm_core.lazy import lazy_attributes

if TYPE_CHECKING:
    from mlpm_core.calibration.actuals import (
        Actual,
        already_recorded_note,
        load_actuals,
        load_estimates,
        not_yet_recorded,
    )
    from mlpm_core.calibration.charts import FitSummary, fit_summary, goodness_of_fit_spec
    from mlpm_core.calibration.evaluation import evaluate_split
    from mlpm_core.calibration.fit import fit_reference_class
    from mlpm_core.calibration.from_actuals import (
        HeldOut,
        csv_columns,
        fit_from_actuals,
        frame_to_actuals,
        held_out,
        influence_note,
        phases,
        teams,
        units,
    )
    from mlpm_core.calibration.influence import (
        Influence,
        influence_sentence,
        influential_tasks,
    )
    from mlpm_core.calibration.reference_class import (
        MAX_AMOUNT,
        MIN_AMOUNT,
        ReferenceClass,
        check_level,
        parse_reference,
        read_reference_file,
        shipped_reference_class,
        shipped_reference_names,
        shipped_reference_path,
        validate_name,
    )

_WHERE = {
    "actuals": (
        "Actual",
        "already_recorded_note",
        "load_actuals",
        "load_estimates",
        "not_yet_recorded",
    ),
    "charts": (
        "FitSummary",
        "fit_summary",
        "goodness_of_fit_spec",
    ),
    "evaluation": (
        "evaluate_split",
    ),
    "fit": (
        "fit_reference_class",
    ),
    "from_actuals": (
        "HeldOut",
        "csv_columns",
        "fit_from_actuals",
        "frame_to_actuals",
        "held_out",
        "influence_note",
        "phases",
        "teams",
        "units",
    ),
    "influence": (
        "Influence",
        "influence_sentence",
        "influential_tasks",
    ),
    "reference_class": (
        "MAX_AMOUNT",
        "MIN_AMOUNT",
        "ReferenceClass",
        "check_level",
        "parse_reference",
        "read_reference_file",
        "shipped_reference_class",
        "shipped_reference_names",
        "shipped_reference_path",
        "validate_name",
    ),
}
__getattr__, __dir__ = lazy_attributes(__name__, _WHERE)

__all__ = [
    "MAX_AMOUNT",
    "MIN_AMOUNT",
    "Actual",
    "FitSummary",
    "HeldOut",
    "Influence",
    "ReferenceClass",
    "already_recorded_note",
    "check_level",
    "csv_columns",
    "evaluate_split",
    "fit_from_actuals",
    "fit_reference_class",
    "fit_summary",
    "frame_to_actuals",
    "goodness_of_fit_spec",
    "held_out",
    "influence_note",
    "influence_sentence",
    "influential_tasks",
    "load_actuals",
    "load_estimates",
    "not_yet_recorded",
    "parse_reference",
    "phases",
    "read_reference_file",
    "shipped_reference_class",
    "shipped_reference_names",
    "shipped_reference_path",
    "teams",
    "units",
    "validate_name",
]
