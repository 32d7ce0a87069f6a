"""The report model, number formatting, and the Markdown and HTML renderers (escaping included),
with the estimator-bias calibration section."""

from __future__ import annotations

import io
import json
import math
import re
import tomllib
from html.parser import HTMLParser

import pytest
from pydantic import ValidationError
from pypdf import PdfReader

from mlpm_core.assessment.run import run_estimate
from mlpm_core.breakdown import double_count_sentence
from mlpm_core.calibration.reference_class import ReferenceClass
from mlpm_core.report.calibration import calibration_sentence
from mlpm_core.report.html import UnsafeSvgError, check_svg, render_html
from mlpm_core.report.markdown import escape, render_markdown
from mlpm_core.report.model import Report, TitleBlock, build_report
from mlpm_core.report.numbers import (
    format_days,
    format_money,
    format_number,
    format_percent,
    format_simulated_money,
    format_weeks,
)
from mlpm_core.report.render import render
from mlpm_core.report.rules_table import CHANCE_NOTE, rules_note
from mlpm_core.scenario.document import load_scenario
from mlpm_core.store.reference_classes import reference_for, save_reference_class
from tests.conftest import BIBLIOGRAPHY_URLS, DATA, EXAMPLES_DIR

HOSTILE_NAME = "<script>alert(1)</script>"
HOSTILE_TASK = "<img src=x onerror=alert(2)> [link](https://evil.example) <iframe src=//x>"


@pytest.fixture(scope="module")
def result():
    """The genai example: a no-go with blockers, checks and many rules."""
    return run_estimate(load_scenario(EXAMPLES_DIR / "genai_support_assistant.json"), trials=5000)


@pytest.fixture(scope="module")
def hostile():
    """The fraud example with markup in the project, owner, metric and task names."""
    scenario = load_scenario(EXAMPLES_DIR / "fraud_card_payments.json")
    project = scenario.project.model_copy(update={
        "name": HOSTILE_NAME, "owner": "<b>boss</b> & co", "business_metric": HOSTILE_TASK})
    tasks = [task.model_copy(update={"name": f"{HOSTILE_TASK} {index}"})
             for index, task in enumerate(scenario.tasks)]
    return run_estimate(scenario.model_copy(update={"project": project, "tasks": tasks}),
                        trials=5000)


class Elements(HTMLParser):
    """Collects every start tag with its attributes, and the page's text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(page: str) -> Elements:
    """The page parsed as a browser's tokenizer would see it."""
    parser = Elements()
    parser.feed(page)
    parser.close()
    return parser


def test_numbers_have_thousands_separators_and_the_currency_code():
    """Money shows whole units with separators and the code; missing values say n/a."""
    assert format_money(1234567.4, "EUR") == "EUR 1,234,567"
    assert format_money(-9876.5, "GBP") == "GBP -9,876"
    assert format_money(None, "USD") == "n/a"
    assert format_money(float("inf"), "USD") == "n/a"
    assert format_number(-0.2) == "0"
    assert format_days(1234.4) == "1,234" and format_days(7.25) == "7.2"
    assert format_weeks(52) == "52.0"


@pytest.mark.parametrize(("value", "shown"), [
    (1_878_413.2, "EUR 1,880,000"), (199_161, "EUR 199,000"), (2_534.6, "EUR 2,530"),
    (-247_995, "EUR -248,000"), (999.6, "EUR 1,000"), (57.4, "EUR 57"), (None, "n/a")])
def test_a_simulated_amount_has_three_significant_digits(value, shown):
    """'EUR 1,878,413' from 5,000 simulated projects claims digits the run does not have."""
    assert format_simulated_money(value, "EUR") == shown


def test_percentages_never_round_a_real_chance_to_zero_or_certainty():
    """0.2% shows as <1% and 99.7% as >99%, while 0 and 1 stay 0% and 100%."""
    assert format_percent(0.002) == "<1%"
    assert format_percent(0.997) == ">99%"
    assert format_percent(0.0) == "0%" and format_percent(1.0) == "100%"
    assert format_percent(0.734) == "73%"


def test_report_ranges_use_the_estimates_numbers_and_the_shared_formatting(result):
    """Each key range row shows P10-P90 of the JSON estimate through the format helpers."""
    report = build_report(result, with_charts=False)
    rows = {row.key: row for row in report.ranges}
    estimate, currency = result.estimate, result.scenario.project.currency
    # the label carries the currency ("Delivery cost (EUR)"), the cells only the amounts
    assert rows["cost"].label == f"Delivery cost ({currency})"
    assert f"{currency} " + rows["cost"].shown["p50"] == format_simulated_money(
        estimate.cost.p50, currency)
    assert f"{currency} " + rows["cost"].shown["p80"] == format_simulated_money(
        estimate.cost.p80, currency)
    assert rows["effort_days"].shown["p80"] == format_days(estimate.effort_days.p80)
    assert rows["duration_weeks"].shown["p10"] == format_weeks(estimate.duration_weeks.p10)
    assert rows["npv"].values["p90"] == estimate.npv.p90
    assert report.p_npv_positive == estimate.p_npv_positive


def test_report_carries_decision_rules_checks_assumptions_and_inputs(result):
    """The model holds every section the PDF needs, from the estimate and the scenario."""
    report = build_report(result, version=3, with_charts=False)
    assert report.title.version == 3 and report.title.trials == 5000
    assert report.decision.code == result.estimate.decision
    assert len(report.decision.blockers) == len(result.decision.blockers)
    assert [rule.id for rule in report.rules_fired] == [
        rule.id for rule in result.estimate.rules_fired]
    assert all(rule.source for rule in report.rules_fired)
    assert len(report.checks) == len(result.checks)
    assert all(item.source and item.checked for item in report.assumptions
               if item.origin == "ledger default")
    # a value the scenario gives is the user's: the ledger's source describes the default only
    assert all(item.source == "Given in the scenario" and not item.checked
               for item in report.assumptions if item.origin == "your value")
    assert [task.name for task in report.inputs.tasks] == [
        task.name for task in result.scenario.tasks]
    assert {answer.section for answer in report.inputs.answers} >= {"Project", "Data",
                                                                   "Value"}
    assert [chart.key for chart in build_report(result).charts][:3] == [
        "bridge", "feasibility", "cost_curve"]


def test_report_model_forbids_unknown_fields():
    """A misspelt field is an error, not a silently ignored extra."""
    with pytest.raises(ValidationError):
        TitleBlock(project="p", owner="", problem_statement="", date="2026-01-01",
                   version=None, stage="MVP", currency="EUR", trials=5000, seed=1,
                   generated_by="mlpm", colour="red")
    assert Report.model_config["extra"] == "forbid"


def test_next_steps_cover_three_stages_and_mark_the_scenarios_own(result):
    """MVP, growth and maturity in order; only the scenario's stage has a lead and a gate."""
    steps = build_report(result, with_charts=False).next_steps
    assert [stage.key for stage in steps] == ["mvp", "growth", "maturity"]
    current = [stage for stage in steps if stage.current]
    assert [stage.key for stage in current] == [result.scenario.project.stage]
    assert current[0].gate == result.decision.stage_gate and current[0].lead
    assert all(stage.steps for stage in steps)
    assert all(not stage.gate and not stage.lead for stage in steps if not stage.current)


def test_next_steps_quote_their_source_verbatim(source_text):
    """Every quote in data/next_steps.toml appears word for word in the source it cites."""
    data = tomllib.loads((DATA / "next_steps.toml").read_text(encoding="utf-8"))
    sources = [entry["source"] for entry in data["stage"].values()]
    sources += [step["source"] for entry in data["stage"].values() for step in entry["step"]]
    for source in sources:
        assert source["quote"] in source_text(source["id"]), source["quote"]


def test_markdown_escape_neutralises_markup_and_html():
    """Links, images, emphasis, headings, tables and HTML in user text stay literal."""
    assert escape("<b>x</b> & y") == "&lt;b&gt;x&lt;/b&gt; &amp; y"
    assert escape("[a](http://e) ![i](x)") == r"\[a\]\(http://e\) \!\[i\]\(x\)"
    assert escape("*a* _b_ `c` a|b ~d~ $e$") == r"\*a\* \_b\_ \`c\` a\|b \~d\~ \$e\$"
    assert escape("# title") == r"\# title"
    assert escape("1. first") == r"1\. first"
    assert escape("12.5 days") == "12.5 days"
    assert escape("line\n# two\r\n- three") == r"line \# two \- three"
    assert escape("a\\b") == r"a\\b"


def test_markdown_report_shows_user_text_only_escaped(hostile):
    """The Markdown report has no raw tag, link or image from user text."""
    text = render_markdown(build_report(hostile, with_charts=False))
    assert "<script>" not in text and "<img" not in text and "<iframe" not in text
    assert "](https://evil" not in text
    assert "# &lt;script&gt;alert\\(1\\)&lt;/script&gt;" in text
    assert "\\[link\\]\\(https://evil.example\\)" in text
    table_rows = [line for line in text.splitlines() if line.startswith("| &lt;img")]
    assert len(table_rows) == len(hostile.scenario.tasks)
    assert all(line.count(" | ") == 5 for line in table_rows)  # no cell split by user text


def test_html_contains_no_element_or_link_from_user_text(hostile):
    """No script, img or iframe element and no network link; user text is in the page text."""
    page = render(hostile, "html").decode("utf-8")
    parsed = parse(page)
    tags = {tag for tag, _ in parsed.tags}
    assert not tags & {"script", "img", "iframe", "object", "embed", "link", "base",
                       "form", "input", "foreignobject"}
    for tag, attrs in parsed.tags:
        assert not any(name.startswith("on") for name in attrs), tag
        assert "src" not in attrs and "xlink:href" not in attrs, tag
        if tag == "a" or "href" in attrs:  # only citations link, to the bibliography's URLs
            assert tag == "a" and set(attrs) == {"href"}, tag
            assert attrs["href"] in BIBLIOGRAPHY_URLS, attrs
    text = "".join(parsed.text)
    assert HOSTILE_NAME in text and HOSTILE_TASK in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    # an attribute named src/href, not the text "src=" inside another attribute's quoted value
    attribute = r"""\s+[^\s=>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?"""
    assert not re.search(rf"<[a-z][^\s>]*(?:{attribute})*?\s+(?:src|xlink:href)\s*=", page, re.I)
    hrefs = re.findall(rf"<([a-z][^\s>]*)(?:{attribute})*?\s+href\s*=\s*\"([^\"]*)\"", page, re.I)
    assert hrefs and {(tag, url in BIBLIOGRAPHY_URLS) for tag, url in hrefs} == {("a", True)}


def test_html_is_self_contained_with_a_strict_content_policy(result):
    """One file: inline style and SVG charts, no external resource, scripts forbidden."""
    page = render(result, "html").decode("utf-8")
    parsed = parse(page)
    tags = [tag for tag, _ in parsed.tags]
    assert tags.count("svg") == 6 and "style" in tags  # the bridge and the five others
    policy = next(attrs["content"] for tag, attrs in parsed.tags
                  if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in policy and "script-src 'none'" in policy
    assert "@import" not in page and "url(http" not in page


def test_svg_check_rejects_scripts_handlers_and_external_references():
    """Only plain drawing passes: a script, an event handler or a link is refused."""
    ok = '<svg xmlns="http://www.w3.org/2000/svg"><g><text>&lt;b&gt;</text></g></svg>'
    assert check_svg(ok) == ok
    for bad in ('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
                '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>',
                '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject/></svg>',
                '<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
                '<path x:href="http://evil/a.svg"/></svg>',
                '<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(http://e/x)"/></svg>',
                "<svg><unclosed></svg>"):
        with pytest.raises(UnsafeSvgError):
            check_svg(bad)


def test_html_escapes_the_title_and_every_table(hostile):
    """The page title and the tasks table hold user text as entities."""
    page = render_html(build_report(hostile))
    assert f"<title>{'&lt;script&gt;alert(1)&lt;/script&gt;'}: mlpm report</title>" in page
    assert page.count("&lt;img src=x onerror=alert(2)&gt;") >= len(hostile.scenario.tasks)


def test_render_json_is_the_estimate_and_other_formats_share_the_figures(result):
    """JSON is the estimate itself, unchanged; Markdown and HTML show the same P50 cost string."""
    data = json.loads(render(result, "json"))
    assert data == json.loads(result.estimate.model_dump_json())
    cost = format_simulated_money(result.estimate.cost.p50, result.scenario.project.currency)
    assert cost in render(result, "md").decode("utf-8")
    assert cost in render(result, "html").decode("utf-8")


def test_render_refuses_unknown_formats_and_papers(result):
    """A wrong format or paper size is a clear ValueError."""
    with pytest.raises(ValueError, match="format"):
        render(result, "docx")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="paper"):
        render(result, "pdf", paper="A3")  # type: ignore[arg-type]


def test_render_shows_the_scenario_version_when_given(result):
    """The title block names the stored version of the scenario."""
    assert "Scenario version: 7" in render(result, "md", version=7).decode("utf-8")
    assert "Scenario version" not in render(result, "md").decode("utf-8")


def test_report_names_the_reference_class_behind_the_estimator_bias(result):
    """The calibration block holds the engine's class, its size, factor and attribution."""
    reference = result.simulation.model.reference
    block = build_report(result, with_charts=False).calibration
    assert block.used and block.name == reference.name == "default"
    assert (block.n_points, block.n_groups) == (reference.n_points, reference.n_groups)
    assert block.summary == calibration_sentence(reference)
    one_in_six = reference.bias_median * math.exp(reference.bias_sigma)  # 84th percentile
    assert block.summary.startswith(f"Estimator bias: reference class 'default' from "
                                    f"{reference.n_points:,} finished tasks "
                                    f"({reference.n_groups} projects): project totals ran a "
                                    f"median x{reference.bias_median:.2f} of their estimate, "
                                    f"one in six beyond x{one_in_six:.2f}")
    assert "SiP" in block.attribution and "Not ML projects" in block.description
    text = render_markdown(build_report(result, with_charts=False))
    assert escape(block.summary) in text and escape(block.attribution) in text


def test_report_says_when_the_estimator_bias_is_switched_off():
    """Without correlation no class is named and every format says it is switched off."""
    scenario = load_scenario(EXAMPLES_DIR / "bike_shop_service_forecast.json")
    off = scenario.model_copy(update={"simulation": scenario.simulation.model_copy(
        update={"correlation": False})})
    result = run_estimate(off, trials=5000)
    block = build_report(result, with_charts=False).calibration
    assert not block.used and block.name == "" and "correlation switched off" in block.summary
    assert "correlation switched off" in render(result, "md").decode("utf-8")
    assert "correlation switched off" in render(result, "html").decode("utf-8")


def test_a_user_reference_class_text_is_escaped_in_markdown_and_html(data_dir):
    """Markup in a saved class's description and attribution stays literal text."""
    save_reference_class(ReferenceClass(name="team-7", n_points=42, mu=0.1, sigma=0.5,
                                        shared_mu=0.2, shared_sigma=0.3, n_groups=3,
                                        description=HOSTILE_TASK, attribution=HOSTILE_NAME))
    scenario = load_scenario(EXAMPLES_DIR / "bike_shop_service_forecast.json")
    mine = scenario.model_copy(update={"simulation": scenario.simulation.model_copy(
        update={"reference_class": "team-7"})})
    result = run_estimate(mine, trials=5000, reference=reference_for(mine))
    markdown = render(result, "md").decode("utf-8")
    assert "reference class 'team\\-7' from 42 finished tasks \\(3 projects\\)" in markdown
    assert "<img" not in markdown and "<script>" not in markdown
    assert "](https://evil" not in markdown
    page = render(result, "html").decode("utf-8")
    parsed = parse(page)
    assert not {tag for tag, _ in parsed.tags} & {"script", "img", "iframe"}
    assert {attrs["href"] for tag, attrs in parsed.tags if tag == "a"} <= BIBLIOGRAPHY_URLS
    assert HOSTILE_TASK in "".join(parsed.text) and HOSTILE_NAME in "".join(parsed.text)


def test_every_format_says_how_the_fired_rules_combine(result):
    """The rules table gives each rule's own range; beside it every format says that further
    groups count in part (with the weight and what a doubling then adds) and that strict mode
    compounds, so a reader can reconcile the table with the bridge."""
    report = build_report(result, with_charts=False)
    assert len(report.rules_fired) > 1
    assert "at 25% of its effect" in report.rules_note and "x1.19" in report.rules_note
    assert escape(report.rules_note) in render_markdown(report)
    assert report.rules_note.replace("'", "&#x27;") in render_html(report)
    pdf = render(result, "pdf")
    pages = PdfReader(io.BytesIO(pdf)).pages
    text = re.sub(r"\s+", "", "\n".join(page.extract_text() for page in pages))
    assert re.sub(r"\s+", "", report.rules_note) in text
    strict = run_estimate(result.scenario.model_copy(update={
        "rules": result.scenario.rules.model_copy(update={"mode": "strict"})}), trials=5000)
    assert build_report(strict, with_charts=False).rules_note.startswith("Strict mode")


def test_a_chance_below_certain_is_said_to_be_judgement_beside_the_rules_table(result):
    """The table's "Chance" column shows 35% or 50% with no source: the note under it says
    where such a chance comes from, and says nothing of it when every rule is certain."""
    fired = result.estimate.rules_fired
    chancy = [rule for rule in fired if rule.probability < 1]
    certain = [rule for rule in fired if rule.probability == 1]
    assert chancy and len(certain) > 1
    assert CHANCE_NOTE in build_report(result, with_charts=False).rules_note
    assert CHANCE_NOTE in rules_note(result.scenario, chancy[:1])
    assert CHANCE_NOTE not in rules_note(result.scenario, certain)
    uncovered = result.scenario.model_copy(update={"tasks": [
        task.model_copy(update={"covers": ""}) for task in result.scenario.tasks]})
    # with no task covering a risk, only the tasks that look like a rule's work are named
    assert rules_note(uncovered, certain[:1]) == double_count_sentence(uncovered) != ""


def test_the_tasks_that_budget_for_a_risk_are_named_under_the_rules_table(result):
    """A sponsor sees which tasks the rules leave alone, and why, in every format."""
    covering = [task for task in result.scenario.tasks if task.covers]
    assert covering
    note = build_report(result, with_charts=False).rules_note
    assert "already budget for a risk" in note
    for task in covering:
        assert task.name in note
    assert escape(note) in render(result, "md").decode()
