"""Hypothesis strategies for scenarios, in one place so every property test draws alike."""

from __future__ import annotations

from hypothesis import strategies as st

from mlpm_core.scenario import unsafe_character
from mlpm_core.scenario.model import PHASES, ROLES, Scenario, Task

days = st.floats(min_value=0.0, max_value=60.0, allow_nan=False, allow_infinity=False)

# Text a person may type into a one-line field: anything but control characters, separators,
# surrogates and noncharacters (mlpm_core/scenario/text.py); the filter drops the rare
# noncharacter the category list lets through.
line_characters = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))


def safe_lines(min_size: int = 0, max_size: int = 30) -> st.SearchStrategy[str]:
    """One-line text the schema accepts."""
    return st.text(line_characters, min_size=min_size, max_size=max_size).filter(
        lambda text: unsafe_character(text) is None)


@st.composite
def tasks(draw: st.DrawFn, roles: tuple[str, ...] = ROLES) -> Task:
    """A task with an ordered three-point estimate."""
    points = sorted(draw(st.lists(days, min_size=3, max_size=3)))
    return Task(
        name=draw(safe_lines(min_size=1).filter(str.strip)),
        phase=draw(st.sampled_from(PHASES)),
        role=draw(st.sampled_from(roles)),
        optimistic=points[0], most_likely=points[1], pessimistic=points[2],
    )


@st.composite
def scenarios(draw: st.DrawFn, max_tasks: int = 8) -> Scenario:
    """A valid scenario with random tasks and a few switched-on risk answers."""
    document = Scenario().model_dump()
    document["tasks"] = [t.model_dump() for t in draw(st.lists(tasks(), min_size=1,
                                                               max_size=max_tasks))]
    document["data"]["complexity"] = draw(st.sampled_from(["simple", "complex"]))
    document["data"]["size"] = draw(st.sampled_from(["small", "big"]))
    document["data"]["cleanliness"] = draw(st.sampled_from(
        ["clean", "some_issues", "dirty", "unknown"]))
    document["difficulty"]["adversaries"] = draw(st.booleans())
    document["simulation"]["trials"] = 5000
    document["simulation"]["seed"] = draw(st.integers(min_value=0, max_value=2**32 - 1))
    return Scenario.model_validate(document)
