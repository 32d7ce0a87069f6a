"""Display rows of the report model."""

from __future__ import annotations

from types import SimpleNamespace

from mlpm_core.report.model import bridge_rows


def test_a_bridge_step_that_rounds_to_nothing_reads_plus_zero_not_minus_zero():
    """A rule that takes 0.02 days off must not read "-0.0" beside one that adds 0.04."""
    steps = [SimpleNamespace(step="bottom_up", label="Sum", effort_days=20.0),
             SimpleNamespace(step="a", label="Tiny cut", effort_days=19.98),
             SimpleNamespace(step="b", label="Tiny add", effort_days=20.02),
             SimpleNamespace(step="c", label="Real cut", effort_days=18.0),
             SimpleNamespace(step="p50", label="P50", effort_days=18.0)]
    changes = [row.change for row in bridge_rows(SimpleNamespace(bridge=steps))]
    assert changes == ["", "+0.0", "+0.0", "-2.0", ""]
