"""Drawing the shared Vega-Lite specs (``mlpm_core.charts.specs``) in the app."""

from __future__ import annotations

from typing import Any, Literal

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

FIT_WIDTH = {"type": "fit-x", "contains": "padding"}


def draw(spec: dict[str, Any], where: DeltaGenerator | None = None,
         theme: Literal["streamlit"] | None = None) -> None:
    """Draw a chart across its column at the plot height the spec asks for.

    Streamlit's default for a spec without ``autosize`` is ``fit``: title, axes and legend are
    then squeezed into the spec's height too, and a banded chart such as the tornado (its
    height set per driver) ends up with overlapping rows. ``fit-x`` fits only the width.
    The PDF draws the same specs unchanged.
    """
    (where or st).vega_lite_chart({**spec, "autosize": FIT_WIDTH}, theme=theme)
