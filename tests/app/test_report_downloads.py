"""Report downloads when charts cannot be drawn: a file without charts and a readable note."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from mlpm_core.assessment.run import run_estimate
from mlpm_core.charts import images
from mlpm_core.report.render import CHARTS_LEFT_OUT
from mlpm_core.scenario.document import load_scenario
from mlpm_ui import report
from tests.app.support import APP, TIMEOUT, goto, start_example
from tests.conftest import EXAMPLES_DIR

pytestmark = pytest.mark.usefixtures("fresh_app")


def test_a_download_whose_charts_fail_is_the_report_without_them(monkeypatch):
    """`report_bytes` hands over the report without charts and records the readable reason."""
    def refuse(*args, **kwargs):
        if kwargs.get("charts_left_out"):
            return real(*args, **kwargs)
        raise images.ChartRenderError("the chart 'Total effort' could not be drawn: test")

    real = report.render
    monkeypatch.setattr(report, "render", refuse)
    result = run_estimate(load_scenario(EXAMPLES_DIR / "bike_shop_service_forecast.json"),
                          trials=5000)
    failures: dict[str, str] = {}
    page = report.report_bytes(result, "html", "A4", None, failures).decode()
    assert CHARTS_LEFT_OUT in page and "<svg" not in page
    assert failures == {"html": "the chart 'Total effort' could not be drawn: test"}


def test_the_report_page_says_once_why_the_last_report_came_without_charts():
    """A recorded failure is shown as a warning on the next run of the page, then cleared."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    start_example(at)
    at.session_state[report.CHART_FAILURES] = {"pdf": "the chart drawer stopped"}
    goto(at, "report")
    assert not at.exception
    warnings = [str(w.value) for w in at.warning]
    assert any("PDF report was offered without charts" in w and "drawer stopped" in w
               for w in warnings)
    at.run()
    assert not any("offered without charts" in str(w.value) for w in at.warning)
