"""The report's citations: the sources it cites, in order, and the reference list at its end.

The report model carries each citation as its parts (``Citation``), never as formatted text, so
the Markdown, HTML and PDF renderers each build the link and escape the text their own way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from mlpm_core.sources import Citation, Reference, citation, reference_list


def citations(source_ids: Iterable[str]) -> list[Citation]:
    """The citations of these ids, each once, in order; an id outside the bibliography (a
    user's own rule) has none."""
    found = (citation(source_id) for source_id in dict.fromkeys(source_ids))
    return [cited for cited in found if cited is not None]


def next_steps_citations(next_steps: Mapping[str, Any]) -> list[Citation]:
    """The sources the staged next steps (``data/next_steps.toml``) follow."""
    stages = next_steps.get("stage", {}).values()
    ids = [entry["source"]["id"] for entry in stages if "source" in entry]
    ids += [step["source"]["id"] for entry in stages for step in entry.get("step", [])
            if "source" in step]
    return citations(ids)


def cited_references(*groups: Iterable[Citation | None]) -> list[Reference]:
    """The reference list of every citation in these groups, in first-cited order."""
    return reference_list([cited.id for group in groups for cited in group if cited is not None])
