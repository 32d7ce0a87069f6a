"""A question the platform does not ask changes nothing: the Technical page, the report's
inputs and the numbers agree on ``SERVING_FIELDS``.

For each platform, on the fraud example moved to that platform and on the Bike Shop's batch job
with its size given, every field ``SERVING_FIELDS`` hides for the platform takes the values the
every-question walk tries (``test_every_question_counts``) and the estimate, the decision and
the technical checks must stay as they were. The walk there checks the other half: each shown
field changes something on some base.
"""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from mlpm_core.scenario import SERVING_FIELDS, Scenario
from tests.unit.scenario.test_every_question_counts import (
    LEAVES,
    _batch_sized,
    _example,
    _key,
    assess,
    candidates,
    get,
    put,
)

PLATFORMS = ("online", "browser", "on_device", "batch")


def _bases(platform: str) -> list[dict]:
    fraud = _example("fraud_card_payments")
    fraud["technical"]["platform"] = platform
    found = [fraud]
    if platform == "batch":
        found.append(_batch_sized())
    return [Scenario.model_validate(document).model_dump(mode="json") for document in found]


@pytest.mark.parametrize("platform", PLATFORMS)
def test_a_field_the_platform_does_not_ask_changes_nothing(platform):
    for base in _bases(platform):
        before = assess(_key(base))
        for path, platforms in SERVING_FIELDS.items():
            if platform in platforms:
                continue
            for value in candidates(path, LEAVES[path], get(base, path), base):
                try:
                    changed = Scenario.model_validate(put(base, path, value)).model_dump(
                        mode="json")
                except ValidationError:
                    continue
                assert assess(_key(changed)) == before, (
                    f"{path} = {value!r} is hidden on {platform} but changed the assessment")


def test_each_platform_hides_something_and_shows_something():
    """The table is not empty for any platform either way."""
    for platform in PLATFORMS:
        shown = {path for path, platforms in SERVING_FIELDS.items() if platform in platforms}
        assert shown and shown != set(SERVING_FIELDS)
