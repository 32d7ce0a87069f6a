"""Fixtures of the AppTest tests: each app session starts on an empty store with no caches."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st


@pytest.fixture
def fresh_app(data_dir: Path) -> Iterator[Path]:
    """An empty data folder for the app and no cached store or estimate, before and after."""
    st.cache_data.clear()
    st.cache_resource.clear()
    yield data_dir
    st.cache_data.clear()
    st.cache_resource.clear()
