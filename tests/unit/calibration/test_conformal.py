"""The conformal reference-class kind: its quantile table, its fit, and what the engine needs.

Tolerances are 4 standard errors computed from the known truth, never tuned to the output.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from mlpm_core.calibration.conformal import fit_conformal_model, level_for, recency_weights
from mlpm_core.calibration.evaluation import size_bucket_interval
from mlpm_core.calibration.fit import fit_reference_class, to_days
from mlpm_core.calibration.quantile_table import TABLE_PROBS, QuantileTable
from mlpm_core.calibration.reference_class import ReferenceClass, parse_reference
from mlpm_core.errors import UserError
from mlpm_core.store.reference_classes import load_reference_class, save_reference_class

Z = 4.0


def tasks(seed: int, n: int, spike: float, sd: float = 0.7):
    """Lognormal estimates; log-ratios normal around 0.1, a share exactly on estimate."""
    rng = np.random.default_rng(seed)
    e = np.exp(rng.normal(1.5, 1.0, n))
    log_ratio = np.where(rng.random(n) < spike, 0.0, rng.normal(0.1, sd, n))
    return e, e * np.exp(log_ratio)


def spike_table() -> QuantileTable:
    """Two rows; the small one has a spike over probabilities 0.3 to 0.7."""
    probs = [0.1, 0.3, 0.5, 0.7, 0.9]
    return QuantileTable(probs=probs, sizes=[1.0, 10.0],
                         log_ratio=[[-1.0, 0.0, 0.0, 0.0, 1.0], [-2.0, -1.0, 0.0, 1.0, 2.0]])


def test_table_quantiles_interpolate_and_keep_the_spike_exact():
    """Linear between grid probabilities, exactly 0 across the spike, ends held outside."""
    table = spike_table()
    q = table.log_quantile([0.05, 0.2, 0.4, 0.6, 0.8, 0.95], 1.2)
    assert q.tolist() == pytest.approx([-1.0, -0.5, 0.0, 0.0, 0.5, 1.0])
    assert q[2] == q[3] == 0.0
    assert table.log_quantile(0.6, 8.0) == pytest.approx(0.5)  # nearest row: size 10
    assert table.row_of([1.0, 3.0, 3.5, 100.0]).tolist() == [0, 0, 1, 1]  # cut at sqrt(10)


def test_table_cdf_inverts_the_quantiles_and_jumps_at_the_spike():
    """cdf(quantile(p)) = p off the spike; at 0 the CDF reaches the spike's top."""
    table = spike_table()
    assert table.cdf([-0.5, 0.5], 0).tolist() == pytest.approx([0.2, 0.8])
    assert table.cdf([-1e-9, 0.0], 0).tolist() == pytest.approx([0.3, 0.7], abs=1e-6)
    assert table.cdf([-5.0, 5.0], 1).tolist() == [0.0, 1.0]


def test_table_sampling_is_vectorised_and_matches_the_table():
    """Draws hit exactly 0 with the spike's probability and follow the table elsewhere."""
    table = spike_table()
    n = 100_000
    draws = table.sample_log(np.random.default_rng(11), n, np.full(n, 1.0))
    assert draws.shape == (n,)
    assert abs(np.mean(draws == 0.0) - 0.4) < Z * np.sqrt(0.24 / n)
    assert abs(np.mean(draws <= -0.5) - 0.2) < Z * np.sqrt(0.16 / n)


def test_invalid_tables_are_rejected():
    """Decreasing rows, bad probabilities or a wrong shape fail validation."""
    good = spike_table().model_dump()
    for change in ({"probs": [0.1, 0.3, 0.3, 0.7, 0.9]}, {"probs": [0.0, 0.3, 0.5, 0.7, 0.9]},
                   {"log_ratio": [[0.0, -1.0, 0, 0, 1], [-2, -1, 0, 1, 2]]},
                   {"sizes": [10.0, 1.0]}, {"log_ratio": [[-1.0, 0, 0, 0, 1]]},
                   {"interval_levels": [0.1, 0.3, 0.2, 0.7, 0.9]}):
        with pytest.raises(ValueError):
            QuantileTable.model_validate({**good, **change})


def test_kind_and_table_must_agree():
    """A conformal class needs a table; a parametric one must not carry one."""
    with pytest.raises(ValueError, match="table"):
        ReferenceClass(name="t", kind="conformal", n_points=5, mu=0.0, sigma=1.0)
    with pytest.raises(ValueError, match="table"):
        ReferenceClass(name="t", kind="spike_lognormal", n_points=5, mu=0.0, sigma=1.0,
                       table=spike_table())


def test_spike_is_kept_only_when_the_data_has_one():
    """No exact hits: no quantile is exactly 0. 40% exact hits: the table's zeros span about
    40% of probability (within the 0.01 grid at each edge plus 4 standard errors)."""
    e, a = tasks(1, 5_000, 0.0)
    table = fit_conformal_model(e, a).table
    assert table is not None and not np.any(np.asarray(table.log_ratio) == 0.0)
    e, a = tasks(2, 5_000, 0.4)
    table = fit_conformal_model(e, a).table
    assert table is not None
    probs = np.asarray(TABLE_PROBS)
    for row in np.asarray(table.log_ratio):
        zeros = probs[row == 0.0]
        assert abs(zeros[-1] - zeros[0] - 0.4) < 0.02 + Z * np.sqrt(0.24 / 1_000)


def test_intervals_hold_in_sample_and_are_vectorised():
    """A fitted class's 80% intervals hold 80% of its own tasks (4 SE), one row at a time or
    all at once alike, and widen with the level."""
    e, a = tasks(3, 8_000, 0.3)
    rc = fit_reference_class(e, a, name="t")
    low, med, high = rc.interval(e, 0.8)
    inside = np.mean((a >= low * (1 - 1e-9)) & (a <= high * (1 + 1e-9)))
    assert abs(inside - 0.8) < Z * np.sqrt(0.16 / e.size)
    assert np.all((low <= med) & (med <= high))
    one = rc.interval(e[5:6], 0.8)
    assert [v[0] for v in one] == pytest.approx([low[5], med[5], high[5]])
    lo90, _, hi90 = rc.interval(e, 0.9)
    assert np.all((lo90 <= low) & (hi90 >= high))


def test_phases_use_their_own_table_and_unknown_phases_the_pooled_one():
    """A phase with enough tasks gets its own (wider) table; others fall back."""
    e1, a1 = tasks(4, 3_000, 0.0, sd=0.3)
    e2, a2 = tasks(5, 3_000, 0.0, sd=1.2)
    rc = fit_reference_class(np.r_[e1, e2], np.r_[a1, a2], name="t",
                             phases=["calm"] * 3_000 + ["wild"] * 3_000, min_phase_points=500)
    assert set(rc.phases) == {"calm", "wild"}
    e = np.array([5.0, 5.0, 5.0])
    low, _, high = rc.interval(e, 0.8, phase=np.array(["calm", "wild", "other"], dtype=object))
    width = np.log(high / low)
    assert width[0] < width[2] < width[1]
    assert rc.interval(e[:1], 0.8, phase="wild")[2][0] == pytest.approx(high[1])


def test_sample_ratio_is_vectorised_for_the_engine():
    """sample_ratio draws n ratios at once (per-task estimates and phases), ratio 1 on exact
    hits, and the same seed gives the same draws."""
    e, a = tasks(6, 4_000, 0.3)
    rc = fit_reference_class(e, a, name="t")
    n = 50_000
    draws = rc.sample_ratio(np.random.default_rng(7), n, np.full(n, 4.0))
    again = rc.sample_ratio(np.random.default_rng(7), n, np.full(n, 4.0))
    assert draws.shape == (n,) and np.array_equal(draws, again)
    assert abs(np.mean(draws == 1.0) - 0.3) < 0.02 + Z * np.sqrt(0.21 / 1_000)
    by_phase = rc.sample_ratio(np.random.default_rng(7), 10, 4.0, phase=["x"] * 10)
    assert by_phase.shape == (10,) and np.all(by_phase > 0)


def test_conformal_classes_round_trip_through_json_and_the_store(data_dir):
    """A fitted conformal class saves, loads back equal and gives the same intervals."""
    e, a = tasks(8, 1_000, 0.2)
    days = np.arange(1_000) / 3.0
    rc = fit_reference_class(e, a, name="team-c", dates=days)
    assert rc.kind == "conformal" and rc.table is not None and rc.table.half_life_days == 365
    assert parse_reference(json.dumps(rc.model_dump()), "x") == rc
    save_reference_class(rc)
    loaded = load_reference_class("team-c")
    assert loaded == rc
    assert np.array_equal(loaded.interval([2.0, 9.0], 0.8)[2], rc.interval([2.0, 9.0], 0.8)[2])


def test_old_parametric_json_still_loads():
    """A class saved before tables existed (no 'table' key) loads and gives intervals."""
    old = {"name": "old", "n_points": 40, "p_exact": 0.3, "mu": 0.1, "sigma": 0.8,
           "kind": "spike_lognormal", "phases": {"build": {"n_points": 20, "mu": 0, "sigma": 1}}}
    rc = parse_reference(json.dumps(old), "old.json")
    low, _, high = rc.interval([4.0], 0.8, phase="build")
    assert rc.table is None and 0 < low[0] < high[0]


def test_recency_weights_halve_every_half_life():
    """A task one half-life older than the latest weighs half as much; no dates: None."""
    w = recency_weights(np.array([0.0, 365.0, 730.0]), 365.0)
    assert w is not None and w.tolist() == pytest.approx([0.25, 0.5, 1.0])
    assert recency_weights(None, 365.0) is None and recency_weights(np.ones(2), None) is None


def test_level_for_picks_the_nearest_achievable_share():
    """Pits 0.1, 0.2, 0.2, 0.9: a share of 0.6 is nearest 0.75 (a level between 0.2 and 0.9),
    0.3 is nearest 0.25 (between 0.1 and 0.2)."""
    pits = np.array([0.1, 0.2, 0.2, 0.9])
    assert level_for(pits, np.ones(4), 0.6) == pytest.approx(0.55)
    assert level_for(pits, np.ones(4), 0.3) == pytest.approx(0.15)
    assert level_for(pits, np.ones(4), 0.0) == pytest.approx(0.05)


def test_dates_convert_to_days_and_bad_ones_are_user_errors():
    """numpy datetimes, date objects and numbers become day numbers; NaT and text do not."""
    import datetime as dt

    dates = np.array(["2024-01-01", "2024-01-03"], dtype="datetime64[ns]")
    assert np.diff(to_days(dates, 2)).tolist() == [2.0]
    assert np.diff(to_days([dt.date(2024, 1, 1), dt.date(2024, 2, 1)], 2)).tolist() == [31.0]
    assert to_days(None, 3) is None
    for bad in (np.array(["2024-01-01", "NaT"], dtype="datetime64[D]"), ["x", "y"],
                [1.0, np.inf], [1.0]):
        with pytest.raises(UserError):
            to_days(bad, 2)


def test_size_bucket_baseline_uses_the_bucket_of_the_estimate():
    """Small and large training tasks scatter differently; each estimate gets its bucket's."""
    rng = np.random.default_rng(9)
    e = np.r_[np.full(500, 1.0), np.full(500, 100.0)]
    a = e * np.exp(np.r_[rng.normal(0, 0.2, 500), rng.normal(0, 1.0, 500)])
    low, _, high = size_bucket_interval(e, a, np.array([1.0, 100.0]), 0.8, buckets=2)
    width = np.log(high / low)
    assert 2 * 1.2816 * 0.2 * 0.8 < width[0] < 2 * 1.2816 * 0.2 * 1.2
    assert 2 * 1.2816 * 1.0 * 0.8 < width[1] < 2 * 1.2816 * 1.0 * 1.2


def test_the_engine_runs_with_a_conformal_class():
    """A scenario simulates with a fitted conformal class as its reference: the estimator-bias
    factor comes from the class's shared bias, the same seed gives the same effort."""
    from mlpm_core.estimate.engine import simulate
    from mlpm_core.scenario.model import Scenario

    e, a = tasks(10, 2_000, 0.2)
    rc = fit_reference_class(e, a, name="team-d", groups=np.arange(2_000) % 10)
    scenario = Scenario.model_validate({
        "tasks": [{"name": "train", "phase": "experimentation", "role": "ml_engineer",
                   "optimistic": 2.0, "most_likely": 4.0, "pessimistic": 9.0}],
        "simulation": {"correlation": True, "trials": 5_000, "seed": 3}})
    first = simulate(scenario, reference=rc)
    again = simulate(scenario, reference=rc)
    assert np.array_equal(first.effort, again.effort) and np.all(first.effort > 0)
    assert first.model.reference is not None and first.model.reference.name == "team-d"
    assert first.model.bias_sigma == rc.shared_sigma
