"""No server serves a stale estimate: a class saved through another connection (another app
replica, or ``mlpm calibrate``) is what the next cached estimate in this process uses."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import streamlit as st

from mlpm_core.assessment import run_estimate
from mlpm_core.paths import repo_data_dir
from mlpm_core.scenario import Scenario
from mlpm_core.scenario.document import load_scenario
from mlpm_core.store.database import DATABASE_URL_ENV, open_store
from mlpm_core.store.reference_classes import load_reference_class
from mlpm_ui import simulation

TRIALS = 5000


@pytest.fixture
def replica(url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """This process plays one app replica on the database at ``url``, with empty caches."""
    monkeypatch.setenv(DATABASE_URL_ENV, url)
    st.cache_data.clear()
    yield url
    st.cache_data.clear()


def _scenario() -> Scenario:
    scenario = load_scenario(repo_data_dir() / "examples" / "fraud_card_payments.json")
    sim = scenario.simulation.model_copy(update={"reference_class": "team", "correlation": True,
                                                 "trials": TRIALS})
    return scenario.model_copy(update={"simulation": sim})


def _save_class(url: str, shared_mu: float) -> None:
    """Save the class 'team' through a connection of its own, as another replica would."""
    team = load_reference_class("default").model_copy(update={"name": "team",
                                                              "shared_mu": shared_mu})
    with open_store(url) as other:
        other.save_reference_document("team", team.model_dump_json())


def test_a_class_refitted_elsewhere_is_used_by_the_next_estimate_here(replica: str) -> None:
    scenario = _scenario()
    _save_class(replica, 0.0)
    before = simulation.estimate(scenario).estimate.effort_days.p50
    assert simulation.estimate(scenario).estimate.effort_days.p50 == before  # a cached run
    _save_class(replica, 0.7)
    after = simulation.estimate(scenario).estimate.effort_days.p50
    expected = run_estimate(scenario, trials=TRIALS,
                            reference=load_reference_class("team")).estimate.effort_days.p50
    assert after == expected
    assert after is not None and before is not None and after > before
