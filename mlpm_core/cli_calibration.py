"""The ``mlpm calibrate`` and ``mlpm interval`` commands: learning from actuals, from the shell."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

import numpy as np

from mlpm_core.actuals import load_actuals, load_estimates
from mlpm_core.calibration import evaluate_split, fit_reference_class
from mlpm_core.errors import UserError
from mlpm_core.reference_class import (
    check_level,
    load_reference_class,
    save_reference_class,
    validate_name,
)


def _columns(parser: argparse.ArgumentParser, required: bool) -> None:
    parser.add_argument("--estimate-col", required=required, help="column with the estimates")
    parser.add_argument("--actual-col", required=required, help="column with the actuals")
    parser.add_argument("--phase-col", help="optional column with the lifecycle phase")
    parser.add_argument("--date-col", help="optional column with the finish or estimate date "
                        "(orders the split for --evaluate)")
    parser.add_argument("--team-col", help="optional column with the team or project "
                        "(gives the bias shared within a project)")


def cmd_calibrate(args: argparse.Namespace) -> int:
    """Fit a reference class from a CSV of finished work and save it (or evaluate it)."""
    frame = load_actuals(args.actuals, estimate=args.estimate_col, actual=args.actual_col,
                         phase=args.phase_col, date=args.date_col, team=args.team_col)
    phases = frame["phase"].to_numpy() if "phase" in frame else None
    if args.evaluate:
        order = frame["date"].to_numpy() if "date" in frame else np.arange(len(frame))
        result = evaluate_split(frame["estimate"], frame["actual"], order,
                                train_fraction=args.train_fraction, phases=phases)
        print(result.table())
        print("(order: " + ("by " + args.date_col if "date" in frame else "file order") + ")")
        return 0
    name = validate_name(args.name)
    groups = frame["team"].to_numpy() if "team" in frame else None
    reference = fit_reference_class(
        frame["estimate"], frame["actual"], name=name, phases=phases, groups=groups,
        prior=None if groups is not None else load_reference_class("default"),
        description=f"Fitted by mlpm calibrate from {len(frame)} finished tasks.",
        source=str(args.actuals), estimate_unit=args.unit,
    )
    path = save_reference_class(reference)
    print(f"saved reference class '{name}' ({reference.n_points} tasks, "
          f"{reference.p_exact:.0%} exactly on estimate, log-ratio sigma {reference.sigma:.2f}) "
          f"to {path}")
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
        if not np.all(np.isfinite(estimates) & (estimates > 0)):
            raise UserError("every --estimate must be a positive number")
    else:
        raise UserError("give at least one --estimate, or --from CSV --estimate-col NAME")
    lines = (json.dumps(row) for row in _interval_rows(estimates, level, args.reference))
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the calibration commands to the ``mlpm`` parser."""
    calibrate = commands.add_parser("calibrate", help="fit a reference class from actuals")
    calibrate.add_argument("actuals", help="CSV of finished tasks (estimate and actual)")
    _columns(calibrate, required=True)
    calibrate.add_argument("--name", default="team", help="name to save it under")
    calibrate.add_argument("--unit", default="days", help="unit of estimates (default days)")
    calibrate.add_argument("--evaluate", action="store_true",
                           help="fit on the earlier part, report coverage on the later part")
    calibrate.add_argument("--train-fraction", type=float, default=0.7,
                           help="share of (earliest) tasks to fit on with --evaluate")
    calibrate.set_defaults(handler=cmd_calibrate)

    interval = commands.add_parser("interval", help="calibrated interval for estimates")
    interval.add_argument("--estimate", type=float, action="append", help="an estimate")
    interval.add_argument("--from", dest="source", help="CSV with a column of estimates")
    interval.add_argument("--estimate-col", help="column of estimates in --from CSV")
    interval.add_argument("--level", type=float, default=0.8, help="interval level (0.8)")
    interval.add_argument("--reference", default="default", help="reference class name")
    interval.set_defaults(handler=cmd_interval)
