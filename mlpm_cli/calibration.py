"""The calibration sub-commands of ``mlpm``: their arguments.

The handlers live in ``cli_calibration_commands`` and are imported only when one of these
commands runs: they need pandas and scipy's fitting routines, which would otherwise add about two
seconds to every ``mlpm estimate`` (the PDF export's budget is two seconds in all).
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable

# The number is repeated, not imported: importing mlpm_core.calibration pulls in numpy and
# scipy, which every other command would then pay for (tests check the two agree).
DEFAULT_HALF_LIFE_DAYS = 365.0


def _deferred(name: str) -> Callable[[argparse.Namespace], int]:
    """A handler that imports its module on first call."""
    def handler(args: argparse.Namespace) -> int:
        from mlpm_cli import calibration_commands as cli_calibration_commands

        command: Callable[[argparse.Namespace], int] = getattr(cli_calibration_commands, name)
        return command(args)
    return handler


def _half_life(text: str) -> float | None:
    """A positive number of days, or None for 'off' (every finished task weighs the same)."""
    if text.strip().lower() in ("off", "none"):
        return None
    try:
        days = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of days or 'off', got {text!r}"
                                         ) from None
    if not (math.isfinite(days) and days > 0):
        raise argparse.ArgumentTypeError(f"the half-life must be a positive number of days, "
                                         f"got {text!r}")
    return days


def _actual_id(text: str) -> int:
    """A recorded actual's id: a whole number from 1 (the store checks that it exists)."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected the id of a recorded actual (a whole number "
                                         f"from 1, as 'mlpm actuals list' prints it), got "
                                         f"{text!r:.40}")
    return value


def _columns(parser: argparse.ArgumentParser, required: bool) -> None:
    parser.add_argument("--estimate-col", required=required, help="column with the estimates")
    parser.add_argument("--actual-col", required=required, help="column with the actuals")
    parser.add_argument("--phase-col", help="optional column with the lifecycle phase")
    parser.add_argument("--date-col", help="optional column with the finish or estimate date "
                        "(orders the split for --evaluate)")
    parser.add_argument("--team-col", help="optional column with the team or project "
                        "(gives the bias shared within a project)")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the calibration commands to the ``mlpm`` parser."""
    calibrate = commands.add_parser("calibrate", help="fit a reference class from actuals")
    calibrate.add_argument("actuals", nargs="?",
                           help="CSV of finished tasks (default: the recorded actuals)")
    _columns(calibrate, required=False)
    calibrate.add_argument("--name", default="team", help="name to save it under")
    calibrate.add_argument("--unit", default="days", help="unit of estimates (default days)")
    calibrate.add_argument("--evaluate", action="store_true",
                           help="fit on the earlier part, report coverage on the later part")
    calibrate.add_argument("--train-fraction", type=float, default=0.7,
                           help="share of (earliest) tasks to fit on with --evaluate")
    calibrate.add_argument(
        "--half-life-days", type=_half_life, default=DEFAULT_HALF_LIFE_DAYS, metavar="DAYS",
        help="with --date-col, a task finished DAYS before the latest weighs half as much "
             f"(default {DEFAULT_HALF_LIFE_DAYS:g}; 'off' weighs all alike)")
    calibrate.set_defaults(handler=_deferred("cmd_calibrate"))

    actuals = commands.add_parser("actuals", help="record finished work for calibration")
    what = actuals.add_subparsers(dest="actuals_command", required=True, metavar="ACTION")
    importing = what.add_parser("import", help="record finished tasks from a CSV")
    importing.add_argument("csv", help="CSV with one finished task per row")
    _columns(importing, required=True)
    importing.add_argument("--unit", default="days", help="unit of estimates (default days)")
    importing.set_defaults(handler=_deferred("cmd_actuals_import"))
    listing = what.add_parser("list", help="print the recorded actuals as CSV, with their ids")
    listing.set_defaults(handler=_deferred("cmd_actuals_list"))
    deleting = what.add_parser("delete", help="delete recorded actuals by id (all or none)")
    deleting.add_argument("ids", nargs="+", type=_actual_id, metavar="ID",
                          help="id of a recorded actual, as 'mlpm actuals list' prints it")
    deleting.set_defaults(handler=_deferred("cmd_actuals_delete"))

    interval = commands.add_parser("interval", help="calibrated interval for estimates")
    interval.add_argument("--estimate", type=float, action="append", help="an estimate")
    interval.add_argument("--from", dest="source", help="CSV with a column of estimates")
    interval.add_argument("--estimate-col", help="column of estimates in --from CSV")
    interval.add_argument("--level", type=float, default=0.8, help="interval level (0.8)")
    interval.add_argument("--reference", default="default", help="reference class name")
    interval.set_defaults(handler=_deferred("cmd_interval"))
