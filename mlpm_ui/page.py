"""The common top of a question page: title, what the step decides, and its sources."""

from __future__ import annotations

import streamlit as st

from mlpm_core.sources import short_citation

# What each page takes from a source of the bibliography (data/sources.toml), by source id.
TOPICS: dict[str, str] = {
    "google-managing-ml": "feasibility (data availability, problem difficulty, prediction "
                          "quality, technical requirements, cost) and the ML team",
    "fsdl-2021": "archetypes, \"are you sure you need ML?\", impact x feasibility",
    "ml-projects-max-roi": "MVP, growth and maturity stages; servers, batch and fallback",
    "thompson-2022": "estimation rules of thumb",
}


def sources_line(*source_ids: str) -> str:
    """Markdown citing the sources behind a page's questions, each linked (our text only)."""
    cited = "; ".join(f"{short_citation(source_id)}: {TOPICS[source_id]}"
                      for source_id in source_ids)
    return f"Questions from {cited}."


def header(title: str, decides: str, *source_ids: str) -> None:
    """Title, one line on what the step decides, and the sources cited."""
    st.title(title)
    st.markdown(decides)
    st.caption(sources_line(*source_ids))
