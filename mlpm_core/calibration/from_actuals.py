"""From recorded actuals to a reference class, for the app's calibration page.

What the page needs from the core, kept out of Streamlit so it can be tested directly: the
columns of an uploaded CSV (for the column-mapping widgets), the rows of a validated CSV as
``Actual`` records, a fit of the recorded actuals of one unit, and a held-out check ordered by
finish date.

The bias shared by a project (what the Monte Carlo engine uses, see ``reference_class``):

* with a team (or project) per task and at least two of them, ``fit_reference_class`` learns it
  from the differences between teams;
* without, the median bias is that of the tasks' totals (sum of actuals over sum of
  estimates) and only the spread between projects, which one team's tasks cannot show, is
  borrowed from a prior class (the shipped ``default``). The class's description and
  attribution say so.

Either way a total can hang on a few tasks; ``influence_note`` names any that carry it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from mlpm_core.calibration.actuals import MAX_COLUMNS, Actual, csv_text
from mlpm_core.calibration.conformal import DEFAULT_HALF_LIFE_DAYS
from mlpm_core.calibration.evaluation import SplitEvaluation, evaluate_split
from mlpm_core.calibration.fit import fit_reference_class
from mlpm_core.calibration.influence import influence_sentence, influential_tasks
from mlpm_core.calibration.reference_class import ReferenceClass, validate_name
from mlpm_core.calibration.shared_bias import MIN_GROUP_TASKS
from mlpm_core.errors import UserError

NO_TEAM = "(no team)"
APP_SOURCE = "Actuals recorded in mlpm"


def csv_columns(raw: bytes, file_name: str) -> list[str]:
    """The header of an uploaded CSV, named as ``load_actuals`` will name its columns."""
    text = csv_text(raw, file_name)
    try:
        header = pd.read_csv(io.StringIO(text), dtype=str, nrows=0, skipinitialspace=True,
                             quoting=csv.QUOTE_MINIMAL)
    except pd.errors.EmptyDataError:
        raise UserError(f"{file_name} is empty.") from None
    except (pd.errors.ParserError, csv.Error) as exc:
        raise UserError(f"{file_name} is not a well-formed CSV file: {exc}".strip()) from None
    columns = [str(column) for column in header.columns]
    if len(columns) > MAX_COLUMNS:
        raise UserError(f"{file_name} has {len(columns):,} columns; an actuals file may have at "
                        f"most {MAX_COLUMNS:,}. Keep the columns you map and save again.")
    if len(columns) < 2:
        hint = (" (the file seems to use another separator than a comma)"
                if any(mark in columns[0] for mark in (";", "\t", "|")) else "")
        raise UserError(f"{file_name} has one column, {columns[0]!r}; it needs a column with "
                        f"the estimate and one with the actual{hint}.")
    return columns


def frame_to_actuals(frame: pd.DataFrame, source: str, unit: str) -> list[Actual]:
    """The rows ``load_actuals`` returned, as records named after the file and row number."""
    dated = "date" in frame
    return [Actual(task=f"{source} row {index}", estimate=float(row["estimate"]),
                   actual=float(row["actual"]), unit=unit, phase=row.get("phase") or None,
                   finished_on=(row["date"].date() if dated and pd.notna(row["date"])
                                else None),
                   team=row.get("team") or None)
            for index, row in frame.iterrows()]


def units(rows: Sequence[Actual]) -> dict[str, int]:
    """How many recorded actuals use each unit, most used first."""
    return dict(Counter(row.unit for row in rows).most_common())


def teams(rows: Sequence[Actual]) -> list[str]:
    """The distinct named teams of ``rows``."""
    return sorted({row.team for row in rows if row.team})


def phases(rows: Sequence[Actual]) -> list[str]:
    """The distinct phases of ``rows``."""
    return sorted({row.phase for row in rows if row.phase})


@dataclass(frozen=True)
class Arrays:
    """Recorded actuals of one unit as the arrays the fitting functions take."""

    estimates: np.ndarray
    actuals: np.ndarray
    phases: np.ndarray
    teams: np.ndarray
    dates: list[dt.date | None]


def arrays(rows: Sequence[Actual]) -> Arrays:
    """``rows`` as arrays (a missing phase is ``""``, a missing team ``NO_TEAM``)."""
    return Arrays(estimates=np.array([row.estimate for row in rows], dtype=float),
                  actuals=np.array([row.actual for row in rows], dtype=float),
                  phases=np.array([row.phase or "" for row in rows], dtype=object),
                  teams=np.array([row.team or NO_TEAM for row in rows], dtype=object),
                  dates=[row.finished_on for row in rows])


def fit_from_actuals(rows: Sequence[Actual], *, name: str, by_phase: bool = False,
                     by_team: bool = False, min_phase_points: int = 200,
                     prior: ReferenceClass | None = None,
                     today: dt.date | None = None) -> ReferenceClass:
    """A reference class fitted on ``rows`` (all in one unit), described for people.

    ``by_team`` learns the bias shared by a project from the teams (at least two needed);
    otherwise the spread between projects comes from ``prior`` when given (else it is 0).
    """
    validate_name(name)
    found = units(rows)
    if len(found) > 1:
        raise UserError("The tasks to fit mix units (" + ", ".join(found) + "); fit one unit "
                        "at a time.")
    if len(rows) < 2:
        raise UserError("At least 2 finished tasks are needed to fit a reference class.")
    if by_team and _teams_counted(arrays(rows).teams) < 2:
        raise UserError("Learning the bias shared by a project needs at least two teams with "
                        f"{MIN_GROUP_TASKS} finished tasks or more each.")
    data, unit = arrays(rows), next(iter(found))
    fitted = fit_reference_class(
        data.estimates, data.actuals, name=name,
        phases=data.phases if by_phase else None, min_phase_points=min_phase_points,
        groups=data.teams if by_team else None, prior=None if by_team else prior,
        dates=_days(data), estimate_unit=unit, source=APP_SOURCE)
    named = {phase: model for phase, model in fitted.phases.items() if phase}
    text = [f"Fitted in the mlpm app on {(today or dt.date.today()).isoformat()} from "
            f"{len(rows):,} finished tasks (estimates in {unit}).",
            "Intervals are conformal quantiles of actual / estimate by estimate size"
            + (", recent work weighing more (half-life "
               f"{DEFAULT_HALF_LIFE_DAYS:.0f} days)." if _days(data) is not None else ".")]
    if named:  # tasks without a phase use the pooled parameters, never a phase of their own
        text.append("Own parameters for the phases " + ", ".join(named) + ".")
    attribution = "Your own recorded actuals."
    update: dict[str, object] = {"phases": named}
    if by_team:
        text.append(f"The bias shared by a project is learnt from {fitted.n_groups} teams.")
    elif prior is not None:
        update["licence"] = prior.licence
        update["spread_from"] = prior.name
        text.append(f"No team grouping: the median bias is these tasks' total actual over "
                    f"total estimate; the spread "
                    f"between projects (log-spread {prior.shared_sigma:.2f}, from "
                    f"{prior.n_groups} projects) is borrowed from the class '{prior.name}'.")
        if prior.attribution:
            attribution += f" Spread between projects from '{prior.name}': {prior.attribution}"
    else:
        text.append("No team grouping and no prior: the spread between projects is 0.")
    return ReferenceClass.model_validate({**fitted.model_dump(), **update,
                                          "description": " ".join(text),
                                          "attribution": attribution})


def influence_note(rows: Sequence[Actual], *, by_team: bool = False) -> str | None:
    """What to check when a few recorded tasks carry the bias of a class fitted on ``rows``
    (with ``by_team`` as given), naming the tasks as they were recorded; None when none do."""
    data = arrays(rows)
    found = influential_tasks(data.estimates, data.actuals, data.teams if by_team else None)
    if found is None:
        return None
    return influence_sentence(found, data.estimates, data.actuals,
                              [f"'{row.task}'" for row in rows])


def _teams_counted(teams: np.ndarray) -> int:
    """How many teams have enough tasks for their total to count in the shared bias."""
    _, sizes = np.unique(teams.astype(str), return_counts=True)
    return int(np.sum(sizes >= MIN_GROUP_TASKS))


def _days(data: Arrays) -> np.ndarray | None:
    """Finish dates as day numbers when every task has one (else the recorded order counts)."""
    if not data.dates or any(day is None for day in data.dates):
        return None
    return np.array([day.toordinal() for day in data.dates if day is not None], dtype=float)


HELD_OUT_METHODS = {"conformal": "mlpm fit", "size_buckets": "Size-bucket quantiles",
                    "lognormal": "Plain lognormal", "pert": "PERT 0.75x-1.5x estimate"}
"""The methods a held-out check shows, by the names a team reads."""


@dataclass(frozen=True)
class HeldOut:
    """A held-out evaluation and which tasks it fitted on and tested on."""

    evaluation: SplitEvaluation
    by_date: bool
    train_dates: tuple[dt.date, dt.date] | None
    test_dates: tuple[dt.date, dt.date] | None

    def sentence(self) -> str:
        """Which tasks were fitted on and which were tested, in words."""
        e = self.evaluation
        if self.train_dates is None or self.test_dates is None:
            return (f"Fitted on the first {e.n_train:,} tasks as recorded and tested on the "
                    f"last {e.n_test:,} (not every task has a finish date).")
        (a, b), (c, d) = self.train_dates, self.test_dates
        return (f"Fitted on {e.n_train:,} tasks finished {a.isoformat()} to {b.isoformat()}; "
                f"tested on the {e.n_test:,} finished {c.isoformat()} to {d.isoformat()}.")

    def coverage_rows(self) -> list[dict[str, str]]:
        """Coverage of each method's interval at each level, next to the level itself."""
        return [{"Interval": f"{level:.0%}", "Nominal coverage": f"{level:.0%}",
                 **{text: f"{self.evaluation.score(method, level).coverage:.0%}"
                    for method, text in HELD_OUT_METHODS.items()}} for level in self._levels()]

    def score_rows(self) -> list[dict[str, str]]:
        """Each method's mean interval score (Winkler) at each level, as a multiple of the
        plain lognormal's: coverage alone rewards an interval that is merely wide, the score
        charges for width and for every miss, so below 1 says the method is sharper where it
        matters (``mlpm calibrate --evaluate`` prints the same)."""
        rows = []
        for level in self._levels():
            plain = self.evaluation.score("lognormal", level).winkler
            rows.append({"Interval": f"{level:.0%}", **{
                text: f"{self.evaluation.score(method, level).winkler / plain:.2f}x"
                if plain > 0 else "-" for method, text in HELD_OUT_METHODS.items()}})
        return rows

    def _levels(self) -> list[float]:
        return sorted({score.level for score in self.evaluation.scores})


def held_out(rows: Sequence[Actual], *, train_fraction: float = 0.7,
             by_phase: bool = False) -> HeldOut:
    """Fit on the earlier tasks (by finish date when every task has one, else as recorded)
    and score the later ones (``calibration.evaluate_split``)."""
    data = arrays(rows)
    days = _days(data)
    dated = days is not None
    key = days if days is not None else np.arange(len(rows))
    evaluation = evaluate_split(data.estimates, data.actuals, key,
                                train_fraction=train_fraction,
                                phases=data.phases if by_phase else None, dates=days)
    if not dated:
        return HeldOut(evaluation, False, None, None)
    ordered: list[dt.date] = [data.dates[i] for i in np.argsort(key, kind="stable")]
    train, test = ordered[:evaluation.n_train], ordered[evaluation.n_train:]
    return HeldOut(evaluation, True, (min(train), max(train)), (min(test), max(test)))
