"""The device questions of the Technical page, asked only when predictions run on a device.

A phone app, an edge gateway beside a machine and an embedded board share what matters here:
how many there are, the RAM the model can use on each, an accelerator, and what each costs once
and every year (``technical.device``). Off the device these answers count for nothing, so they
are not asked.
"""

from __future__ import annotations

import streamlit as st

from mlpm_ui import forms, state


def device_questions() -> None:
    """The devices block, under the platform question, when the platform is on a device."""
    if state.require().technical.platform != "on_device":
        return
    st.subheader("Devices")
    left, middle, right = st.columns(3)
    with left:
        forms.field("technical.device.count")
    with middle:
        forms.field("technical.device.ram_gb")
    with right:
        forms.field("technical.device.accelerator")
    forms.fields("technical.device.unit_cost", "technical.device.running_cost_per_year")
