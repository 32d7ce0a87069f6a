"""The estimate of the open scenario, simulated once per distinct scenario and trial count.

``st.cache_data`` is keyed on the scenario's canonical JSON text, the number of trials and the
content of the reference class the store holds for it, read afresh on every call: a class
refitted by another replica or by ``mlpm calibrate`` is a new key, so no server serves a stale
estimate. Rules and assumptions are files shipped with the code, fixed for a process's life.
Every page (and the sidebar on every page) shares one run until an answer changes. A run that is
expected to take over half a second shows a spinner with its elapsed time.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from mlpm_core.assessment import EstimateResult, run_estimate
from mlpm_core.calibration import ReferenceClass
from mlpm_core.errors import UserError
from mlpm_core.scenario import Scenario, missing_for_estimate, missing_sentence, scenario_to_json
from mlpm_core.store import reference_for
from mlpm_ui.text import md

SECONDS_PER_TRIAL = 2.5e-6  # measured: 20,000 trials of the fraud example take about 0.2 s
SPINNER_AFTER_S = 0.5
CACHED_RUNS = 8  # a million-trial result is about 56 MB


@st.cache_data(show_spinner=False, max_entries=CACHED_RUNS, ttl=3600)
def _estimate(scenario_json: str, trials: int, reference_json: str | None) -> EstimateResult:
    reference = (None if reference_json is None
                 else ReferenceClass.model_validate_json(reference_json))
    return run_estimate(Scenario.model_validate_json(scenario_json), trials=trials,
                        reference=reference)


def expected_seconds(scenario: Scenario) -> float:
    """A rough guess of how long a run takes on a small machine."""
    return scenario.simulation.trials * SECONDS_PER_TRIAL


def estimate(scenario: Scenario) -> EstimateResult:
    """The (cached) estimate of ``scenario`` at its own number of trials."""
    trials = scenario.simulation.trials
    text = scenario_to_json(scenario)
    reference = reference_for(scenario)
    reference_json = None if reference is None else reference.model_dump_json()
    if expected_seconds(scenario) <= SPINNER_AFTER_S:
        return _estimate(text, trials, reference_json)
    with st.spinner(f"Simulating {trials:,} projects...", show_time=True):
        return _estimate(text, trials, reference_json)


def said_missing(scenario: Scenario) -> bool:
    """Say which steps an estimate still needs, instead of a decision at zero cost; whether
    any is missing."""
    needed = missing_for_estimate(scenario)
    if needed:
        st.info(md(missing_sentence(needed)), icon=":material/pending:")
    return bool(needed)


def stop_unless_estimable(scenario: Scenario,
                          before_stop: Callable[[], None] | None = None) -> None:
    """End the page after saying what is missing, when an estimate cannot be made yet;
    ``before_stop`` draws what the page still offers without one."""
    if said_missing(scenario):
        if before_stop is not None:
            before_stop()
        st.stop()


def estimate_or_stop(scenario: Scenario,
                     before_stop: Callable[[], None] | None = None) -> EstimateResult:
    """The estimate, or its refusal in one readable line and the end of the page."""
    try:
        return estimate(scenario)
    except UserError as error:
        st.error("No estimate: " + md(error))
        if before_stop is not None:
            before_stop()
        st.stop()
