"""The report as Markdown (CommonMark with GitHub tables), every piece of text escaped.

User text reaches many places (the project name, task names, business metric inside reasons and
gates), so *all* text from the report model goes through `escape`: HTML metacharacters become
entities and Markdown punctuation that can start markup gets a backslash, so nothing a user
types can become a link, an image, a heading, a table cell border or raw HTML. Line breaks
inside a value become spaces so a value can never start a new block.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from mlpm_core.report.costs import HEAD as COSTS_HEAD
from mlpm_core.report.costs import NOTE as COSTS_NOTE
from mlpm_core.report.key_ranges import RETURNS_BASIS
from mlpm_core.report.model import RULES_CHANGED_HEADING, AssumptionRow, Report
from mlpm_core.report.rules_table import RuleRow
from mlpm_core.sources import Citation, markdown_citation, markdown_reference

_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
_PUNCTUATION = set("\\`*_{}[]()#+-!|~$")
_ORDERED = re.compile(r"^(\s*\d+)\.(?=\s|$)")
_BREAKS = re.compile(r"[\r\n\u0085\u2028\u2029\t\v\f]+")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def escape(text: str) -> str:
    """Plain text made inert in Markdown and in HTML, on one line."""
    text = _CONTROLS.sub("\ufffd", _BREAKS.sub(" ", str(text)))
    out = []
    for char in text:
        if char in _ENTITIES:
            out.append(_ENTITIES[char])
        elif char in _PUNCTUATION:
            out.append("\\" + char)
        else:
            out.append(char)
    return _ORDERED.sub(r"\1\\.", "".join(out))  # "1. x" would start an ordered list


class _Markdown(str):
    """A cell that is already Markdown, every piece of text in it escaped (a citation)."""


def _cell(text: str) -> str:
    return text if isinstance(text, _Markdown) else escape(text)


def _table(headings: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(escape(h) for h in headings) + " |",
             "|" + "|".join(" --- " for _ in headings) + "|"]
    lines += ["| " + " | ".join(_cell(cell) for cell in row) + " |" for row in rows]
    return [*lines, ""]


def _cites(citations: Iterable[Citation]) -> str:
    return "; ".join(markdown_citation(cited) for cited in citations)


def _rule_source(rule: RuleRow) -> str:
    """The linked citation and the quoted sentence; a user's rule as its plain text."""
    if rule.citation is None:
        return rule.source
    return _Markdown(f"{markdown_citation(rule.citation)}: \u201c{escape(rule.quote)}\u201d")


def _assumption_source(row: AssumptionRow) -> str:
    if not row.citations:
        return row.source
    return _Markdown(f"{escape(row.source)}; see {_cites(row.citations)}")


def _bullets(items: Iterable[str]) -> list[str]:
    return [f"- {escape(item)}" for item in items] + [""]


def render_markdown(report: Report) -> str:
    """The whole report as one Markdown document."""
    title, decision = report.title, report.decision
    lines = [f"# {escape(title.project)}", "",
             escape("Feasibility and cost estimate for the " + title.stage + " stage"), ""]
    meta = [f"Owner: {title.owner or 'not set'}", f"Date: {title.date}"]
    if title.version is not None:
        meta.append(f"Scenario version: {title.version}")
    meta += [f"Trials: {title.trials:,}", f"Seed: {title.seed}", title.generated_by]
    lines += _bullets(meta)
    if title.problem_statement:
        lines += [escape(title.problem_statement), ""]

    lines += [f"## Decision: {escape(decision.label)}", ""]
    lines += _bullets(decision.reasons)
    if decision.blockers:
        lines += ["### Blockers", ""]
        lines += _table(["Blocker", "Effect"],
                        [[blocker.text, blocker.severity] for blocker in decision.blockers])
    lines += ["### Are you sure you need ML?", "", escape(decision.needs_ml), ""]

    lines += ["## Key ranges", ""]
    lines += _table(["", "P10", "P50", "P80", "P90", "Mean"],
                    [[row.label, *(row.shown[key] for key in ("p10", "p50", "p80", "p90",
                                                              "mean"))]
                     for row in report.ranges])
    lines += [escape(RETURNS_BASIS), ""]
    lines += [escape(report.duration_basis), ""]
    if report.team_cost_note:
        lines += [escape(report.team_cost_note), ""]
    lines += [escape(f"Chance that the NPV is positive, P(NPV > 0): "
                     f"{report.p_npv_positive_shown}. {report.npv_basis}".strip()), ""]
    lines += [escape(report.success.line), ""]
    if report.npv_split:
        lines += [escape(report.npv_split), ""]
    calibration = report.calibration
    lines += [escape(calibration.summary), ""]
    for text in (calibration.description, calibration.attribution):
        if text:
            lines += [escape(text), ""]
    lines += [f"## {COSTS_HEAD}", ""]
    lines += _table(["Part", "Paid", "Mean"],
                    [[row.label, row.paid, row.mean] for row in report.costs])
    lines += [escape(COSTS_NOTE), ""]
    lines += ["## From the tasks to the P50 effort", ""]
    lines += _table(["Step", "Person-days", "Change"],
                    [[row.label, row.days, row.change] for row in report.bridge])
    if report.bridge_note:
        lines += [escape(report.bridge_note), ""]

    lines += ["## Feasibility by dimension", ""]
    lines += _table(["Dimension", "Score", "Traffic light", "Reasons"],
                    [[row.label, str(row.score), row.level_label, "; ".join(row.reasons)]
                     for row in report.feasibility])
    lines += ["### How the decision is made", ""]
    lines += _bullets(report.decision.policy)

    sensitivity = report.sensitivity
    lines += ["## What drives the spread", ""]
    lines += _bullets(sensitivity.lines)
    if sensitivity.drivers:
        lines += _table(["Input", "Share of cost spread", "Share of effort spread",
                         "Mean cost when low", "Mean cost when high"],
                        [[d.name, d.cost_share, d.effort_share, d.cost_low, d.cost_high]
                         for d in sensitivity.drivers])

    lines += ["## Rules of thumb that fired", ""]
    if report.rules_fired:
        lines += _table(["Rule", "Multiplier", "Range from", "Chance it bites", "Applies to",
                         "Bridge step", "Source"],
                        [[r.title, r.multiplier, r.basis, r.probability, r.applies_to, r.step,
                          _rule_source(r)] for r in report.rules_fired])
        if report.rules_note:
            lines += [escape(report.rules_note), ""]
    else:
        lines += ["No rule of thumb applied.", ""]
    if report.rules_not_applied:
        lines += ["### Rules not applied", ""]
        lines += _bullets(rule.line for rule in report.rules_not_applied)
    if report.rules_changed:
        lines += [f"### {RULES_CHANGED_HEADING}", ""]
        if report.rules_changed_note:
            lines += [escape(report.rules_changed_note), ""]
        lines += _bullets(report.rules_changed)

    lines += ["## Risks and conditions", "", f"### {decision.conditions_heading}", ""]
    lines += _bullets(decision.conditions) if decision.conditions else ["None.", ""]
    lines += ["### Risks", ""]
    lines += _bullets(report.risks) if report.risks else ["None found.", ""]

    lines += ["## Next steps by stage", ""]
    if report.next_steps_sources:
        lines += [f"Stages and steps after {_cites(report.next_steps_sources)}.", ""]
    for stage in report.next_steps:
        marker = " (this decision)" if stage.current else ""
        lines += [f"### {escape(stage.label + marker)}", "", escape(stage.summary), ""]
        if stage.lead:
            lines += [f"**{escape(stage.lead)}**", ""]
        lines += _bullets(stage.steps)
        if stage.gate:
            lines += [f"Stage gate: {escape(stage.gate)}", ""]

    lines += ["## Technical checks", ""]
    lines += _table(["Check", "Status", "Result"],
                    [[c.title, c.status_label, c.summary] for c in report.checks])

    lines += ["## Assumptions used", ""]
    lines += _table(["Assumption", "Value", "Unit", "From", "Source", "Checked"],
                    [[a.label, a.value, a.unit, a.origin, _assumption_source(a), a.checked]
                     for a in report.assumptions])

    inputs = report.inputs
    lines += ["## Appendix: inputs", "", "### Tasks (person-days)", ""]
    lines += _table(["Task", "Phase", "Role", "Optimistic", "Most likely", "Pessimistic"],
                    [[t.name, t.phase, t.role, t.optimistic, t.most_likely, t.pessimistic]
                     for t in inputs.tasks])
    lines += ["### Team", ""]
    lines += _table(["Role", "FTE", "Day rate"],
                    [[m.role, m.fte, m.day_rate] for m in inputs.team])
    lines += ["### Key answers", ""]
    lines += _table(["Section", "Question", "Answer"],
                    [[a.section, a.question, a.answer] for a in inputs.answers])
    if inputs.default_note:
        lines += [escape(inputs.default_note), ""]
    if report.references:
        lines += ["## References", ""]
        lines += [f"- {markdown_reference(reference)}" for reference in report.references]
    return "\n".join(lines).rstrip() + "\n"
