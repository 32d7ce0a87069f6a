"""Scenario paths: reading and changing one answer by its dotted path."""

from __future__ import annotations

import pytest

from mlpm_core.errors import UserError
from mlpm_core.scenario.field_paths import value_at, with_value
from mlpm_core.scenario.model import Scenario
from mlpm_core.scenario.ranges import Range


def test_value_at_reads_nested_fields():
    """A dotted path reaches into sections and nested models."""
    scenario = Scenario()
    assert value_at(scenario, "data.size") == "small"
    assert value_at(scenario, "project.thresholds.cost_percentile") == 80


def test_with_value_returns_a_changed_copy_and_leaves_the_original():
    """Setting a value gives a new scenario; the original is unchanged."""
    original = Scenario()
    changed = with_value(original, "difficulty.models_count", 3)
    assert changed.difficulty.models_count == 3
    assert original.difficulty.models_count == 1


def test_with_value_accepts_a_range_document_or_a_range():
    """A range can be given as a document or as a Range."""
    scenario = with_value(Scenario(), "costs.gpu_hour_price", {"low": 1, "high": 3})
    assert scenario.costs.gpu_hour_price == Range(low=1, high=3)
    scenario = with_value(scenario, "costs.gpu_hour_price", Range(low=2, high=2))
    assert scenario.costs.gpu_hour_price.is_certain


def test_with_value_refuses_an_invalid_value_with_a_readable_message():
    """An out-of-bounds value is refused naming the field, not with a traceback."""
    with pytest.raises(UserError, match=r"difficulty\.research_share"):
        with_value(Scenario(), "difficulty.research_share", 1.5)


def test_with_value_runs_cross_field_checks():
    """A change that breaks a rule across fields (mean above peak QPS) is refused."""
    with pytest.raises(UserError, match="mean QPS"):
        with_value(Scenario(), "technical.mean_qps", 50.0)


def test_an_unknown_path_is_a_programming_error():
    """A path that is not a field raises KeyError, not a user-facing error."""
    with pytest.raises(KeyError):
        with_value(Scenario(), "data.nonexistent", 1)
