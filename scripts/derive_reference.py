"""Derive mlpm's default reference class from the public SiP effort-estimation data.

Usage: python scripts/derive_reference.py [SIP_DIR] [--out DIR] [--train-fraction 0.7]

Reads the files of the public SiP dataset (https://github.com/Derek-Jones/SiP_dataset) IN PLACE
from SIP_DIR (default: ``DEFAULT_SIP_DIR`` below) and writes only derived findings:
``data/reference/default.json`` (fitted parameters) and ``data/reference/NOTICE.md`` (source,
licence, what the numbers do and do not mean). The data licence (CC BY-NC-ND 4.0) forbids
shipping the data or any transformed extract of it.

Cleaning rule (see ``load_sip``):

1. ``Sip-task-info.csv`` has one row per task *and developer*; every task-level column
   (status, project, category, hours estimate, hours actual) is identical across a task's rows
   (checked here), so the first row per TaskNumber is kept.
2. ``est-act-dates.csv`` repeats identical date rows for those tasks: first row kept.
3. Status: keep work that was done - FINISHED, COMPLETED, RELEASED and CHRONICLE (archived
   records of done work; they carry booked hours but almost never a CompletedOn date). Drop
   CANCELLED (abandoned: its hours are not what the finished work took), ESTIMATED and
   AUTHORISE (not yet done) and TEMPLATE (not real tasks).
4. Keep tasks with both HoursEstimate and HoursActual positive and finite.
5. Drop tasks without an EstimateOn date (none in the published files): they cannot be
   placed in time.

Time order: by EstimateOn (ties by TaskNumber). EstimateOn is the moment the forecast was
made, so "fit on earlier estimates, test on later ones" mimics using the calibration on new
estimates; it exists for every kept task, whereas CompletedOn is missing for the CHRONICLE
tasks, and ordering by completion would push long-running tasks towards the test end.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from mlpm_core.calibration.conformal import DEFAULT_HALF_LIFE_DAYS  # noqa: E402
from mlpm_core.calibration.evaluation import evaluate_split, inside, winkler_score  # noqa: E402
from mlpm_core.calibration.fit import fit_reference_class  # noqa: E402
from mlpm_core.calibration.shared_bias import MIN_GROUP_TASKS  # noqa: E402
from mlpm_core.store.reference_classes import save_reference_class  # noqa: E402

DEFAULT_SIP_DIR = REPO.parent / "shared" / "data" / "sip"
KEEP_STATUS = ("FINISHED", "COMPLETED", "RELEASED", "CHRONICLE")
TASK_LEVEL = ["StatusCode", "ProjectCode", "Category", "SubCategory", "HoursEstimate",
              "HoursActual"]
ATTRIBUTION = (
    "SiP Task Effort Estimation, 2019, Dr Stephen Cullum / Software in Partnership Limited. "
    "Licensed under CC BY-NC-ND 4.0. Source: https://github.com/Derek-Jones/SiP_dataset "
    "(files from commit eb5fedc7d57b8520eb83d7db317831e9485e11a4). Paper: D. M. Jones and "
    "S. Cullum, \"A conversation around the analysis of the SiP effort estimation dataset\", "
    "doi:10.48550/arXiv.1901.01621."
)
LICENCE = ("CC BY-NC-ND 4.0 (https://creativecommons.org/licenses/by-nc-nd/4.0/). Only "
           "parameters derived from the data are shipped; the data is not redistributed.")
DESCRIPTION = ("Actual/estimate ratios of finished development, management and operational "
               "tasks (hours) at one UK software company, 2004-2014. Not ML projects: a prior "
               "until a team records its own actuals.")


def load_sip(folder: Path) -> tuple[pd.DataFrame, list[str]]:
    """The cleaned, time-ordered SiP tasks and a log of what each cleaning step removed."""
    info = pd.read_csv(folder / "Sip-task-info.csv", encoding="cp1252")
    dates = pd.read_csv(folder / "est-act-dates.csv", encoding="cp1252")
    log = [f"{len(info)} task-info rows, {info.TaskNumber.nunique()} unique TaskNumbers"]
    varying = info.groupby("TaskNumber")[TASK_LEVEL].nunique(dropna=False).gt(1).sum()
    if varying.any():
        raise SystemExit(f"task-level columns differ between rows of one task: {varying}")
    tasks = info.drop_duplicates("TaskNumber", keep="first")
    dates = dates.drop_duplicates("TaskNumber", keep="first")
    tasks = tasks.merge(dates, on="TaskNumber", how="left", validate="one_to_one")
    dropped = tasks.StatusCode[~tasks.StatusCode.isin(KEEP_STATUS)].value_counts()
    log.append("dropped by status: " + ", ".join(f"{k} {v}" for k, v in dropped.items()))
    tasks = tasks[tasks.StatusCode.isin(KEEP_STATUS)]
    hours = tasks[["HoursEstimate", "HoursActual"]].to_numpy(dtype=float)
    ok = np.isfinite(hours).all(axis=1) & (hours > 0).all(axis=1)
    log.append(f"dropped for hours not positive/finite: {int((~ok).sum())}")
    tasks = tasks[ok].copy()
    tasks["EstimateOn"] = pd.to_datetime(tasks.EstimateOn, format="%d-%b-%y", errors="coerce")
    log.append(f"dropped for no EstimateOn date: {int(tasks.EstimateOn.isna().sum())}")
    tasks = tasks[tasks.EstimateOn.notna()]
    tasks = tasks.sort_values(["EstimateOn", "TaskNumber"], kind="stable").reset_index(drop=True)
    log.append(f"kept {len(tasks)} tasks")
    return tasks, log


def evaluate(tasks: pd.DataFrame, train_fraction: float = 0.7, phases: bool = False):
    """Time-ordered held-out evaluation of the three methods on the cleaned tasks."""
    return evaluate_split(tasks.HoursEstimate.to_numpy(), tasks.HoursActual.to_numpy(),
                          tasks.EstimateOn.to_numpy(), train_fraction=train_fraction,
                          phases=tasks.Category.to_numpy() if phases else None,
                          dates=tasks.EstimateOn.to_numpy())


def fit_default(tasks: pd.DataFrame):
    """The shipped default reference class: all cleaned tasks, phases by Category, in the
    conformal form ``mlpm calibrate`` fits for a team (the method the held-out check scores),
    recent work weighing more at the default half-life, ordered by EstimateOn.

    The engine uses only its shared bias (from the spread between projects, which does not
    depend on the form); the quantile tables give ``mlpm interval --reference default`` and
    the calibration page the shape the held-out check measured.
    """
    return fit_reference_class(
        tasks.HoursEstimate.to_numpy(), tasks.HoursActual.to_numpy(), name="default",
        kind="conformal", phases=tasks.Category.to_numpy(),
        groups=tasks.ProjectCode.to_numpy(), dates=tasks.EstimateOn.to_numpy(),
        half_life_days=DEFAULT_HALF_LIFE_DAYS,
        description=DESCRIPTION, source="SiP effort-estimation dataset (public)",
        licence=LICENCE, attribution=ATTRIBUTION, estimate_unit="hours")


def _weighted_quantiles(y: np.ndarray, w: np.ndarray, probs: list[float]) -> np.ndarray:
    """``inf{v: F(v) >= p}`` of ``y`` weighted by ``w``, for each p in ``probs``."""
    order = np.argsort(y, kind="stable")
    cum = np.cumsum(w[order]) / w.sum()
    return y[order][np.searchsorted(cum, np.asarray(probs) - 1e-12, side="left")]


def hindsight_bound(tasks: pd.DataFrame, train_fraction: float = 0.7, level: float = 0.8,
                    buckets: int = 10) -> tuple[float, float]:
    """Winkler score at ``level`` (hours, log-ratio) of quantiles by estimate-size bucket
    fitted on the test part ITSELF, as a multiple of the plain lognormal fitted on the earlier
    part. No method that only sees earlier work, and conditions on size, can expect to beat
    it: it shows how far a size-conditioned interval can go on this split.

    Each score gets its own minimiser: in a bucket, the interval ``E x [lo, hi]`` that
    minimises the mean score in hours is the pair of ratio quantiles weighted by the estimate
    E (a task's score in hours is E times its score in ratio), the one on the log-ratio
    scale the plain quantiles."""
    e, a = tasks.HoursEstimate.to_numpy(), tasks.HoursActual.to_numpy()
    n_train = round(train_fraction * e.size)
    train_y, e, a = np.log(a[:n_train] / e[:n_train]), e[n_train:], a[n_train:]
    y, x = np.log(a / e), np.log(e)
    z = stats.norm.ppf((1 + level) / 2)
    plain = (train_y.mean() - z * train_y.std(ddof=1), train_y.mean() + z * train_y.std(ddof=1))
    edges = np.unique(np.quantile(x, np.arange(1, buckets) / buckets))
    where = np.searchsorted(edges, x, side="right")
    probs = [(1 - level) / 2, (1 + level) / 2]
    bounds = {"hours": np.empty((2, y.size)), "logs": np.empty((2, y.size))}
    for bucket in np.unique(where):
        inside = where == bucket
        for scale, weight in (("hours", e[inside]), ("logs", np.ones(inside.sum()))):
            bounds[scale][:, inside] = _weighted_quantiles(y[inside], weight, probs)[:, None]
    low, high = bounds["hours"]
    hours = (winkler_score(e * np.exp(low), e * np.exp(high), a, level).mean()
             / winkler_score(e * np.exp(plain[0]), e * np.exp(plain[1]), a, level).mean())
    low, high = bounds["logs"]
    logs = (winkler_score(low, high, y, level).mean()
            / winkler_score(np.full(y.size, plain[0]), np.full(y.size, plain[1]), y,
                            level).mean())
    return float(hours), float(logs)


def in_period_score(tasks: pd.DataFrame, train_fraction: float = 0.7, level: float = 0.8,
                    folds: int = 5) -> tuple[float, float, float]:
    """``(coverage, hours ratio, log ratio)`` at ``level`` of the conformal fit cross-fitted
    WITHIN the test part (each of ``folds`` interleaved folds scored by a fit on the others,
    dated), ratios to the plain lognormal fitted on the earlier part. It shows what the method
    reaches when its data come from the same years as the tasks it is asked about."""
    e, a = tasks.HoursEstimate.to_numpy(), tasks.HoursActual.to_numpy()
    n_train = round(train_fraction * e.size)
    plain = fit_reference_class(e[:n_train], a[:n_train], kind="lognormal", size_model=False)
    e, a = e[n_train:], a[n_train:]
    days = tasks.EstimateOn.to_numpy()[n_train:]
    fold = np.arange(e.size) % folds
    low, high = np.empty(e.size), np.empty(e.size)
    for k in range(folds):
        out = fold == k
        fitted = fit_reference_class(e[~out], a[~out], dates=days[~out])
        low[out], _, high[out] = fitted.interval(e[out], level)
    p_low, _, p_high = plain.interval(e, level)
    logs = [np.log(v / e) for v in (low, high, p_low, p_high, a)]
    return (float(inside(low, high, a).mean()),
            float(winkler_score(low, high, a, level).mean()
                  / winkler_score(p_low, p_high, a, level).mean()),
            float(winkler_score(logs[0], logs[1], logs[4], level).mean()
                  / winkler_score(logs[2], logs[3], logs[4], level).mean()))


def notice(rc, tasks: pd.DataFrame, table: str, bound: tuple[float, float]) -> str:
    """Text of data/reference/NOTICE.md."""
    first, last = tasks.EstimateOn.min(), tasks.EstimateOn.max()
    projects = tasks.ProjectCode.nunique()
    task_mean = np.log(tasks.HoursActual / tasks.HoursEstimate).mean()
    return f"""# Reference classes shipped with mlpm

## default.json

Derived from the SiP task effort-estimation dataset:

> {ATTRIBUTION}

Licence: {LICENCE}

**What it represents.** The distribution of actual hours / estimated hours for {rc.n_points}
finished tasks (development, management and operational work) estimated between
{first:%B %Y} and {last:%B %Y} at a single UK software company, across {projects} projects.
About {rc.p_exact:.0%} of tasks were booked at exactly their estimate (a spike at ratio 1). The
class stores, for {len(rc.table.sizes)} estimate sizes, the quantiles of log(actual / estimate)
(conformal quantiles, the form `mlpm calibrate` fits for a team: recent work weighing more with a
half-life of {rc.table.half_life_days:g} days, interval levels recalibrated cross-conformally), with
own tables for the task categories.
The estimator bias the engine takes from it is about project totals: the {rc.n_groups} projects
with at least {MIN_GROUP_TASKS} tasks spent on average x{math.exp(rc.shared_mu):.2f} of the
hours their tasks were estimated at (`shared_mu` {rc.shared_mu:.3f}, the log of total actual /
total estimate, combined by a random-effects meta-analysis), with a standard deviation between
projects of {rc.shared_sigma:.3f} in log (`shared_sigma`). The typical task landed below its
estimate (the mean of the tasks' log-ratios is {task_mean:.3f}),
but the larger tasks overran, so the totals ran over.

**What it does not represent.** These are not ML projects, and not person-days: they are one
company's software tasks measured in hours, mostly small (median estimate
{tasks.HoursEstimate.median():g} hours), and the per-phase parameters are keyed by SiP's task
categories (Development, Management, Operational), not by ML project phases. mlpm uses
this class only as a prior until a team records its own actuals (`mlpm actuals import`) and
fits its own reference class.

Derived by `scripts/derive_reference.py` (cleaning rule in its docstring) reading the
data in place. Only fitted parameters and the summary figures below are shipped.

Held-out check (fit on the earlier 70% of tasks by estimate date, test on the later 30%).
Coverage: share of later tasks whose actual hours fell inside the closed interval. Winkler:
mean interval score (width plus 2/alpha times any miss; lower is better) in hours, and on the
log-ratio scale where every task weighs the same; "x plain" is a Winkler score as a multiple
of the plain lognormal's. "mlpm conformal quantiles" is what `mlpm calibrate` fits for a team
(recency-weighted quantiles of the log ratio by estimate size, levels recalibrated
cross-conformally); "spike at 1 + lognormal" is mlpm's earlier parametric form (size-dependent
centre and spread); "size-bucket quantiles" are the empirical quantiles in five buckets of
estimate size; "plain lognormal" is a lognormal fit of the log ratio; "PERT" is
Beta-PERT(0.75E, E, 1.5E) around each estimate E.

```
{table}
```

How far can a calibration go on this split? Quantiles by estimate size (ten buckets) fitted on
the later tasks themselves, in hindsight (weighted by the estimate for the score in hours, which
they then minimise), score {bound[0]:.2f}x the plain lognormal at 80% in
hours and {bound[1]:.2f}x on the log-ratio scale (`hindsight_bound` in the script): no method
fitted on earlier work can expect to beat that. The later tasks differ from the earlier ones
(fewer exact hits, more management work), which is what keeps every method above it.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sip_dir", nargs="?", type=Path, default=DEFAULT_SIP_DIR)
    parser.add_argument("--out", type=Path, default=REPO / "data" / "reference")
    parser.add_argument("--train-fraction", type=float, default=0.7)
    args = parser.parse_args(argv)
    if not (args.sip_dir / "Sip-task-info.csv").is_file():
        parser.error(f"no Sip-task-info.csv in {args.sip_dir}")
    tasks, log = load_sip(args.sip_dir)
    print("\n".join(log))
    table = evaluate(tasks, args.train_fraction).table()
    print(table)
    print("\nwith per-phase (Category) parameters:")
    print(evaluate(tasks, args.train_fraction, phases=True).table())
    bound = hindsight_bound(tasks, args.train_fraction)
    print(f"\nhindsight bound at 80%: {bound[0]:.3f}x plain (hours), {bound[1]:.3f}x (logs)")
    same = in_period_score(tasks, args.train_fraction)
    print(f"conformal cross-fitted within the test years, 80%: coverage {same[0]:.1%}, "
          f"{same[1]:.3f}x plain (hours), {same[2]:.3f}x (logs)")
    rc = fit_default(tasks)
    args.out.mkdir(parents=True, exist_ok=True)
    path = save_reference_class(rc, path=args.out / "default.json")
    (args.out / "NOTICE.md").write_text(notice(rc, tasks, table, bound), encoding="utf-8")
    print(f"\nwrote {path} and {args.out / 'NOTICE.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
