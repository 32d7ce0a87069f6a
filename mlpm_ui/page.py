"""The common top of a question page: title, what the step decides, and its sources."""

from __future__ import annotations

import streamlit as st

SEEDS: dict[str, str] = {
    "000_445c138bbdfadf84.txt": "Google, Managing ML projects: feasibility (data availability, "
                                "problem difficulty, prediction quality, technical "
                                "requirements, cost) and the ML team",
    "002_8c1174a198c1f64a.txt": "Full Stack Deep Learning, ML projects: archetypes, \"are you "
                                "sure you need ML?\", impact x feasibility",
    "003_34369c86ff9f4793.txt": "How to manage ML projects for maximum ROI: MVP, growth and "
                                "maturity stages; servers, batch and fallback",
    "004_b565c348cb5a18df.txt": "Simon Thompson, Managing Machine Learning Projects: "
                                "estimation rules of thumb",
}


def seed_line(*seeds: str) -> str:
    """Markdown naming the seed files behind a page's questions (our text, no user input)."""
    cited = "; ".join(f"`{seed}` ({SEEDS[seed]})" for seed in seeds)
    return f"Questions from {cited}."


def header(title: str, decides: str, *seeds: str) -> None:
    """Title, one line on what the step decides, and the seeds cited."""
    st.title(title)
    st.markdown(decides)
    st.caption(seed_line(*seeds))
