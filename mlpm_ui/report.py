"""Report page parts: the decision, the ranges, the charts and everything behind them.

All text that can carry user input (names, metrics, reasons quoting answers) goes through
``md``; tables go through ``st.dataframe``, which never interprets markup.
"""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from mlpm_core import charts
from mlpm_core.assessment import EstimateResult
from mlpm_core.charts.images import ChartRenderError
from mlpm_core.estimate import ALREADY_BUDGETED, DURATION_BASIS, inflated
from mlpm_core.feasibility import policy_sentences, rules_npv_note
from mlpm_core.report import (
    MEDIA_TYPES,
    RULES_CHANGED_HEADING,
    SUCCESS_HEAD,
    Paper,
    ReportFormat,
    benefit_bar_sentence,
    bridge_rows,
    calibration_sentence,
    npv_basis,
    npv_split_sentence,
    render,
    returns_sentence,
    rule_row,
    rules_note,
    source_said,
    spread_lines,
    tasks_csv_bytes,
)
from mlpm_core.scenario import (
    CHECK_STATUS_LABELS,
    DECISION_LABELS,
    DIMENSION_LABELS,
    LEVEL_LABELS,
    STAGE_LABELS,
    Scenario,
    label,
    scenario_to_json,
)
from mlpm_core.sources import markdown_reference, reference_list
from mlpm_core.success import answers_chance
from mlpm_ui import forms, ledger, state
from mlpm_ui.chart_view import draw
from mlpm_ui.figures import amount, quantity, share, whole_days
from mlpm_ui.text import linked_source, md, safe_filename

BANNERS = {"go": st.success, "conditional": st.warning, "no-go": st.error}
SEVERITY_LABELS = {"no-go": "rules it out", "condition": "must be resolved first"}


def _bullets(items: list[str], numbered: bool = False) -> str:
    return "\n".join(f"{f'{i}.' if numbered else '-'} {md(item)}"
                     for i, item in enumerate(items, start=1))


def simulation_settings() -> None:
    """Trials and seed up front; the rest of the simulation settings folded away."""
    left, right = st.columns(2)
    with left:
        forms.field("simulation.trials")
    with right:
        forms.field("simulation.seed")
    with st.expander("More simulation settings"):
        left, right = st.columns(2)
        with left:
            forms.fields("simulation.task_distribution", "simulation.correlation")
        with right:
            forms.fields("simulation.phase_sigma", "simulation.reference_class")


def decision_section(result: EstimateResult) -> None:
    """The decision banner with reasons, blockers, conditions, stage gate and 'need ML?'."""
    decision = result.decision
    stage = label(STAGE_LABELS, decision.stage)
    headline = f"{label(DECISION_LABELS, decision.decision)} for the {stage} stage"
    BANNERS.get(decision.decision, st.info)(f"**{md(headline)}**")
    if decision.blockers:
        st.markdown("**Blockers**")
        st.markdown("\n".join(f"- {md(b.text)} ({md(SEVERITY_LABELS[b.severity])})"
                              for b in decision.blockers))
    st.markdown("**Why**")
    # the estimate's reasons: the decision's, with what the answers' chance of success would
    # change beside P(NPV > 0) when the team's own is well above it
    st.markdown(_bullets(result.estimate.reasons))
    if decision.conditions:
        st.markdown("**Conditions**" if decision.decision != "no-go"
                    else "**What would have to change**")
        st.markdown(_bullets(decision.conditions, numbered=True))
    st.info(f"**Stage gate.** {md(decision.stage_gate)}")
    st.markdown(f"**Are you sure you need ML?** {md(decision.needs_ml)}")


def metrics_section(result: EstimateResult) -> None:
    """P50 and P80 of effort, duration and cost; NPV and its chance of being positive; which
    reference class set the estimator bias."""
    estimate, currency = result.estimate, result.scenario.project.currency
    figures = [
        ("Effort P50, person-days", whole_days(estimate.effort_days.p50)),
        ("Effort P80, person-days", whole_days(estimate.effort_days.p80)),
        ("Duration P50", quantity(estimate.duration_weeks.p50, "weeks")),
        ("Duration P80", quantity(estimate.duration_weeks.p80, "weeks")),
        ("Delivery cost P50", amount(estimate.cost.p50, currency)),
        ("Delivery cost P80", amount(estimate.cost.p80, currency)),
        ("NPV P50", amount(estimate.npv.p50, currency)),
        ("P(NPV > 0)", share(estimate.p_npv_positive)),
    ]
    for start in (0, 4):
        for column, (name, figure) in zip(st.columns(4), figures[start:start + 4],
                                          strict=True):
            column.metric(name, figure)
    bar = benefit_bar_sentence(result.scenario.quality, result.simulation.model.value.share,
                               currency)
    st.caption(md(f"{estimate.trials:,} simulated projects, seed {estimate.seed}. NPV P10 to "
                  f"P90: {amount(estimate.npv.p10, currency)} to "
                  f"{amount(estimate.npv.p90, currency)}, mean "
                  f"{amount(estimate.npv.mean, currency)}. {returns_sentence(estimate)} "
                  f"{npv_basis(result.scenario.value)} That is why the mean and the P50 "
                  f"can differ. {bar} {rules_npv_note(result.scenario)}".strip()))
    st.caption(md(f"{DURATION_BASIS} {result.pace_note}".strip()))
    if result.team_cost_note:
        st.caption(md(result.team_cost_note))
    st.caption(md(calibration_sentence(result.simulation.model.reference)))


def success_section(result: EstimateResult, link: bool = True) -> None:
    """The chance of reaching the acceptability threshold, which drives the NPV: where it comes
    from, the answers behind it and (``link``; not for a sponsor) a link to the Quality page,
    where you can set your own."""
    success = result.estimate.success
    source = source_said(success, answers_chance(result.scenario)
                         if success.source == "user" else None)
    st.markdown(f"**{SUCCESS_HEAD}: {md(share(success.p))}** "
                f"({md(source)})")
    st.markdown(_bullets(success.reasons))
    st.caption("The value counts only in the simulated projects where the model reaches its "
               "acceptability threshold, so this chance drives the NPV and P(NPV > 0).")
    split = npv_split_sentence(result.estimate, result.scenario.project.currency,
                               result.scenario.value.model_gate)
    if split:
        st.markdown(md(split))
    if link:
        st.page_link("pages/quality_page.py", icon=":material/target:",
                     label="Set your own chance on the Quality page"
                     if success.source == "answers" else "Change your chance on the Quality page")


def bridge_section(result: EstimateResult) -> None:
    """The way from the tasks' own numbers to the P50 effort, as a waterfall and a table, with
    the sentence that names the largest steps when the factors more than double the tasks."""
    estimate = result.estimate
    if result.bridge_note:
        st.info(md(result.bridge_note), icon=":material/trending_up:")
    if estimate.bridge and inflated(estimate.bridge[0].effort_days,
                                    estimate.bridge[-1].effort_days):
        st.caption(md(ALREADY_BUDGETED))
    draw(charts.bridge_spec(result))
    with st.expander("The steps in numbers"):
        st.dataframe(pd.DataFrame([{"Step": row.label, "Person-days": row.days,
                                    "Change": row.change} for row in bridge_rows(estimate)]),
                     hide_index=True)
    st.caption("Each step is the median effort of the same simulated projects once that factor "
               "joins; the rules of one group count once (the rules table names each rule's "
               "step), and the estimator bias takes the part of the rules' inflation its own "
               "overrun already holds.")


def charts_section(result: EstimateResult) -> None:
    """The report's charts (the PDF's specs, without Streamlit's chart theme, so that they look
    as in the PDF), two per row."""
    left, right = st.columns(2)
    draw(charts.cost_s_curve_spec(result), left)
    draw(charts.effort_histogram_spec(result), right)
    left, right = st.columns(2)
    draw(charts.tornado_spec(result), left)
    draw(charts.cost_breakdown_spec(result), right)
    st.markdown("**What drives the spread**")
    st.markdown(_bullets(spread_lines(result)))


def feasibility_section(result: EstimateResult) -> None:
    """Each dimension's score and traffic light as a chart, the answers behind it, and the
    lines that turn the scores and the money into the decision."""
    draw(charts.feasibility_spec(result))
    for name, score in result.estimate.feasibility.items():
        title = (f"{label(DIMENSION_LABELS, name)}: {score.score} "
                 f"({label(LEVEL_LABELS, score.level)})")
        with st.expander(md(title)):
            st.markdown(_bullets(score.reasons) if score.reasons else "No concerns found.")
    with st.expander("How the decision is made"):
        st.markdown(_bullets(policy_sentences(result.scenario)))


def rules_section(result: EstimateResult) -> None:
    """Every rule of thumb that fired, with its source; the rules whose condition failed (never
    left out in silence); and why rules were switched off."""
    fired = result.estimate.rules_fired
    if not fired:
        st.caption("No rule of thumb applied to this scenario.")
    else:
        # a static table wraps the quotes a grid cut off; its cells are Markdown, so escaped
        rows = [rule_row(rule) for rule in fired]  # the report's own rows, as the PDF shows
        st.table(pd.DataFrame([{
            "Rule": md(row.title), "Multiplier": md(row.multiplier), "Range from": md(row.basis),
            "Chance it bites": md(row.probability), "Applies to": md(row.applies_to),
            "Bridge step": md(row.step),
            "Source": linked_source(row.source, row.citation.url if row.citation else None),
            "Warning": md(row.warning),
        } for row in rows]), hide_index=True)
        note = rules_note(result.scenario, fired)  # how they combine, as every export says
        if note:
            st.caption(md(note))
    for rule in result.rules_not_applied:
        st.warning(md(f"Rule not applied: {rule.title} \u2014 {rule.reason}"),
                   icon=":material/rule:")
    changed = [change.line for change in result.rule_changes]
    if changed:
        st.markdown(f"**{RULES_CHANGED_HEADING}**")
        if result.switched_off_note:
            st.warning(md(result.switched_off_note), icon=":material/toggle_off:")
        st.markdown(_bullets(changed))
    shown = {change.rule.id for change in result.rule_changes}
    notes = {key: text for key, text in result.scenario.rules.notes.items() if key not in shown}
    if notes:
        st.markdown("**Your notes on other rules**")
        st.dataframe(pd.DataFrame([{"Rule": key, "Note": text} for key, text in notes.items()]),
                     hide_index=True)


def checks_section(result: EstimateResult) -> None:
    """The computed technical checks, in a static table that wraps each finding whole."""
    st.table(pd.DataFrame([{
        "Check": md(check.title), "Status": md(label(CHECK_STATUS_LABELS, check.status)),
        "Blocker": "yes" if check.blocker else "", "Finding": md(check.summary),
    } for check in result.checks]), hide_index=True)


def assumptions_section(result: EstimateResult) -> None:
    """The assumptions ledger entries behind the numbers."""
    ledger.show_ledger(result.scenario, editable=False)


CHART_FAILURES = "report.chart_failures"


def report_bytes(result: EstimateResult, fmt: ReportFormat, paper: Paper, version: int | None,
                 failures: dict[str, str]) -> bytes:
    """The report, or the report without charts when they cannot be drawn (the report says
    so, and ``failures`` keeps the reason for the page to show on its next run).

    A download's data is made outside the page's run, where Streamlit shows nothing, so a
    failure must still give the user a file rather than a generic download error.
    """
    try:
        return render(result, fmt, paper=paper, version=version)
    except ChartRenderError as error:
        failures[fmt] = str(error)
        return render(result, fmt, paper=paper, version=version, charts_left_out=True)


def _chart_failure_notice() -> dict[str, str]:
    """Say why the last report came without charts (once), and hand on the session's record."""
    failures: dict[str, str] = st.session_state.setdefault(CHART_FAILURES, {})
    for fmt, reason in list(failures.items()):
        st.warning(md(f"The {fmt.upper()} report was offered without charts: {reason}."),
                   icon=":material/warning:")
        del failures[fmt]
    return failures


REPORT_DOWNLOADS: tuple[tuple[ReportFormat, str, str], ...] = (  # format, label, file suffix
    ("pdf", "Report (PDF)", ".pdf"),
    ("html", "Report (HTML)", ".html"),
    ("md", "Report (Markdown)", ".md"),
    ("json", "Estimate (JSON)", ".estimate.json"),
)


def references_section(result: EstimateResult) -> None:
    """The sources this page cites (the rules that fired, the assumptions), each linked."""
    ids = [rule.source_id for rule in result.estimate.rules_fired]
    ids += [source_id for item in result.assumptions for source_id in item.assumption.cites]
    references = reference_list(ids)
    if references:
        st.markdown("\n".join(f"- {markdown_reference(reference)}" for reference in references))
    else:
        st.caption("No rule or assumption here cites a source.")


def downloads(scenario: Scenario, result: EstimateResult) -> None:
    """The report in every format, the task table as CSV, and the scenario to re-import.

    Reports are rendered only when their button is clicked (a callable ``data``): a PDF takes
    about a second, which every rerun of the page would otherwise pay.
    """
    paper: Paper = st.radio("Paper size of the PDF", ("A4", "Letter"), horizontal=True,
                            key="report.paper")
    version = state.version()
    failures = _chart_failure_notice()
    columns = st.columns(len(REPORT_DOWNLOADS))
    for column, (fmt, text, suffix) in zip(columns, REPORT_DOWNLOADS, strict=True):
        column.download_button(
            text, partial(report_bytes, result, fmt, paper, version, failures),
            file_name=safe_filename(scenario.project.name, suffix), mime=MEDIA_TYPES[fmt],
            key=f"report.download_{fmt}", on_click="ignore", icon=":material/download:")
    scenario_downloads(scenario)


def scenario_downloads(scenario: Scenario) -> None:
    """The task table as CSV and the scenario to re-import: there even when no estimate can be
    made (a currency without an exchange rate, say), so nothing typed is locked in."""
    left, right = st.columns(2)
    left.download_button("Task table (CSV)", tasks_csv_bytes(scenario),
                         file_name=safe_filename(scenario.project.name, ".tasks.csv"),
                         mime="text/csv", key="report.download_tasks", on_click="ignore",
                         icon=":material/download:",
                         help="Cells that a spreadsheet would run as a formula are neutralised.")
    right.download_button("Scenario (JSON, to import later)", scenario_to_json(scenario),
                          file_name=safe_filename(scenario.project.name, ".json"),
                          mime="application/json", key="report.download_scenario",
                          on_click="ignore", icon=":material/download:")
