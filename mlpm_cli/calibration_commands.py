"""The handlers of `mlpm calibrate`, `mlpm interval` and `mlpm actuals`: learning from actuals."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from mlpm_core.calibration import (
    MAX_AMOUNT,
    MIN_AMOUNT,
    check_level,
    evaluate_split,
    fit_reference_class,
    influence_sentence,
    influential_tasks,
    load_actuals,
    load_estimates,
)
from mlpm_core.errors import UserError
from mlpm_core.store import check_new_reference_name, load_reference_class, save_reference_class


def _stored_actuals() -> pd.DataFrame:
    """Actuals recorded in the store, in the shape ``load_actuals`` returns."""
    from mlpm_core.store import shared_store

    rows = shared_store().list_actuals()
    if len(rows) < 2:
        raise UserError("fewer than two actuals are recorded; import some with "
                        "'mlpm actuals import' or give a CSV file")
    return pd.DataFrame({
        "estimate": [row.estimate for row in rows], "actual": [row.actual for row in rows],
        # pandas-stubs leave out None items, which to_datetime reads as NaT
        "date": pd.to_datetime([row.finished_on for row in rows]),  # type: ignore[arg-type]
        **({"phase": [row.phase or "" for row in rows]} if any(r.phase for r in rows) else {}),
        **({"team": [row.team or "" for row in rows]} if any(r.team for r in rows) else {}),
    }, index=pd.Index([row.id for row in rows], name="id"))


def cmd_calibrate(args: argparse.Namespace) -> int:
    """Fit a reference class from finished work (a CSV, or the recorded actuals) and save it."""
    name = args.name if args.evaluate else check_new_reference_name(args.name)
    if args.actuals:
        if not (args.estimate_col and args.actual_col):
            raise UserError("a CSV needs --estimate-col and --actual-col")
        frame = load_actuals(args.actuals, estimate=args.estimate_col, actual=args.actual_col,
                             phase=args.phase_col, date=args.date_col, team=args.team_col)
    else:
        frame = _stored_actuals()
    phases = frame["phase"].to_numpy() if "phase" in frame else None
    dated = "date" in frame and frame["date"].notna().all()
    dates = frame["date"].to_numpy() if dated else None
    if args.evaluate:
        order = dates if dates is not None else np.arange(len(frame))
        result = evaluate_split(frame["estimate"], frame["actual"], order,
                                train_fraction=args.train_fraction, phases=phases, dates=dates,
                                half_life_days=args.half_life_days)
        print(result.table())
        recency = (f"; recent work weighing more, half-life {args.half_life_days:g} days"
                   if dated and args.half_life_days is not None else "; all tasks weighing alike")
        print("(tasks ordered " + ("by date" if dated else "as recorded") + recency + ")")
        return 0
    groups = frame["team"].to_numpy() if "team" in frame else None
    reference = fit_reference_class(
        frame["estimate"], frame["actual"], name=name, phases=phases, groups=groups, dates=dates,
        half_life_days=args.half_life_days,
        prior=None if groups is not None else load_reference_class("default"),
        description=f"Fitted by mlpm calibrate from {len(frame)} finished tasks"
        + (f", recent work weighing more (half-life {args.half_life_days:g} days)."
           if dates is not None and args.half_life_days is not None else "."),
        source=str(args.actuals), estimate_unit=args.unit,
    )
    where = save_reference_class(reference)
    spread = (f", log-spread {reference.shared_sigma:.2f} between {reference.n_groups} teams"
              if groups is not None else "")
    print(f"saved reference class '{name}' ({reference.n_points} tasks, "
          f"{reference.p_exact:.0%} exactly on estimate, log-ratio sigma {reference.sigma:.2f}; "
          f"estimator bias: totals ran x{np.exp(reference.shared_mu):.2f} of their "
          f"estimates{spread}) to {where}")
    influence = influential_tasks(frame["estimate"], frame["actual"], groups)
    if influence is not None:
        label = "row" if args.actuals else "recorded actual"
        print("check: " + influence_sentence(influence, frame["estimate"], frame["actual"],
                                             [f"{label} {i}" for i in frame.index]))
    return 0


def _interval_rows(estimates: np.ndarray, level: float, reference: str) -> list[dict[str, Any]]:
    model = load_reference_class(reference)
    low, median, high = model.interval(estimates, level)
    return [{"estimate": float(e), "low": float(lo), "median": float(m), "high": float(hi)}
            for e, lo, m, hi in zip(estimates, low, median, high, strict=True)]


def cmd_interval(args: argparse.Namespace) -> int:
    """Print a calibrated interval per estimate, one JSON object per line."""
    level = check_level(args.level)
    if args.source and args.estimate:
        raise UserError("give either --estimate values or --from CSV, not both")
    if args.source:
        if not args.estimate_col:
            raise UserError("--from needs --estimate-col to say which column holds estimates")
        estimates = load_estimates(args.source, args.estimate_col)
    elif args.estimate:
        estimates = np.asarray(args.estimate, dtype=float)
        if not np.all(np.isfinite(estimates) & (estimates >= MIN_AMOUNT)
                      & (estimates <= MAX_AMOUNT)):
            raise UserError(f"every --estimate must be a positive number from {MIN_AMOUNT:g} "
                            f"to {MAX_AMOUNT:,.0f}")
    else:
        raise UserError("give at least one --estimate, or --from CSV --estimate-col NAME")
    lines = (json.dumps(row) for row in _interval_rows(estimates, level, args.reference))
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def cmd_actuals_import(args: argparse.Namespace) -> int:
    """Record finished work from a CSV into the store, with its column mapping."""
    from mlpm_core.calibration import Actual, already_recorded_note, not_yet_recorded
    from mlpm_core.store import shared_store

    frame = load_actuals(args.csv, estimate=args.estimate_col, actual=args.actual_col,
                         phase=args.phase_col, date=args.date_col, team=args.team_col)
    source = Path(args.csv).name
    rows = [Actual(task=f"{source} row {index}",
                   estimate=float(row["estimate"]), actual=float(row["actual"]),
                   unit=args.unit, phase=row.get("phase") or None,
                   finished_on=row["date"].date() if "date" in frame and pd.notna(row["date"])
                   else None, team=row.get("team") or None)
            for index, row in frame.iterrows()]
    store = shared_store()
    fresh = not_yet_recorded(rows, store.list_actuals())
    store.add_actuals(fresh)
    print(f"recorded {len(fresh)} actuals from {args.csv}."
          + already_recorded_note(len(rows) - len(fresh)))
    return 0


def cmd_actuals_list(args: argparse.Namespace) -> int:
    """Print the recorded actuals as CSV (formula-looking cells neutralised), each with the id
    that ``mlpm actuals delete`` takes."""
    from mlpm_core.report import rows_to_csv
    from mlpm_core.store import shared_store

    header = ["id", "task", "phase", "estimate", "actual", "unit", "finished_on", "team"]
    rows = [(row.id, row.task, row.phase or "", row.estimate, row.actual, row.unit,
             str(row.finished_on or ""), row.team or "") for row in shared_store().list_actuals()]
    sys.stdout.write(rows_to_csv(header, rows))
    del args
    return 0


def cmd_actuals_delete(args: argparse.Namespace) -> int:
    """Delete recorded actuals by id, all or none (an unknown id is a UserError)."""
    from mlpm_core.store import shared_store
    from mlpm_core.wording import counted

    deleted = shared_store().delete_actuals(args.ids)
    print(f"deleted {counted(deleted, 'recorded actual')}; the next 'mlpm calibrate' fits "
          "without them (reference classes saved before keep what they learnt).")
    return 0
