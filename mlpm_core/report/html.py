"""The report as one self-contained HTML page: inline CSS, charts as inline SVG, no network.

Every text from the report model goes through `html.escape`. Charts come from vl-convert, whose
SVG writer escapes text (user task names arrive as `&lt;script&gt;`), and each SVG is checked
before it is inlined: only drawing elements, no event handlers, no links, no external resources
(`check_svg`). A Content-Security-Policy meta tag forbids scripts and network loads as a second
line of defence. The only links are the citations' links to their sources, whose URLs come from
the bibliography (``data/sources.toml``, checked there to need no escaping), never from a user.
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence

from mlpm_core.charts import images as chart_images
from mlpm_core.report.captions import ChartSpec
from mlpm_core.report.costs import HEAD as COSTS_HEAD
from mlpm_core.report.costs import NOTE as COSTS_NOTE
from mlpm_core.report.key_ranges import RETURNS_BASIS
from mlpm_core.report.model import RULES_CHANGED_HEADING, AssumptionRow, Report
from mlpm_core.report.rules_table import RuleRow
from mlpm_core.report.success import HEAD as SUCCESS_HEAD
from mlpm_core.scenario import LEVEL_COLOURS
from mlpm_core.sources import Citation, Reference

SVG_NS = "{http://www.w3.org/2000/svg}"
SVG_ELEMENTS = frozenset({"svg", "g", "path", "rect", "line", "text", "tspan", "title", "desc",
                          "defs", "clipPath", "circle", "ellipse", "polygon", "polyline",
                          "linearGradient", "radialGradient", "stop"})
CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src 'none'; "
       "script-src 'none'; connect-src 'none'; form-action 'none'; base-uri 'none'")
DECISION_COLOURS = {"go": LEVEL_COLOURS["green"], "conditional": LEVEL_COLOURS["amber"],
                    "no-go": LEVEL_COLOURS["red"]}
CSS = """
body{font-family:"DejaVu Sans",system-ui,-apple-system,"Segoe UI",sans-serif;max-width:980px;
margin:2rem auto;padding:0 1rem;color:#1b1b1b;line-height:1.45}
h1{font-size:1.8rem;margin-bottom:.2rem}h2{border-bottom:2px solid #ddd;padding-bottom:.2rem;
margin-top:2rem}.meta{color:#555;font-size:.9rem}.decision{border-left:.6rem solid;
padding:.6rem 1rem;background:#f7f7f7;margin:1rem 0}.decision h2{border:0;margin:.2rem 0}
table{border-collapse:collapse;width:100%;font-size:.88rem;margin:.5rem 0 1rem}
th,td{border:1px solid #ccc;padding:.3rem .45rem;text-align:left;vertical-align:top}
th{background:#f0f0f0}td.num{text-align:right;white-space:nowrap}
.light{display:inline-block;width:.8rem;height:.8rem;border-radius:50%;margin-right:.3rem;
vertical-align:middle}figure{margin:1rem 0}figcaption{color:#555;font-size:.88rem}
.chart svg{max-width:100%;height:auto}.current{background:#f3f8ff;padding:.2rem .8rem;
border-radius:.3rem}
"""


class UnsafeSvgError(ValueError):
    """A chart SVG contained something that is not plain drawing."""


def check_svg(svg: str) -> str:
    """Return ``svg`` unchanged if it holds only drawing elements; raise otherwise."""
    try:
        root = ET.fromstring(svg)
    except ET.ParseError as error:
        raise UnsafeSvgError(f"chart SVG does not parse: {error}") from None
    for element in root.iter():
        tag = element.tag.removeprefix(SVG_NS)
        if tag not in SVG_ELEMENTS:
            raise UnsafeSvgError(f"chart SVG contains a <{tag}> element")
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1].lower()
            if local.startswith("on") or local in {"href", "src", "style"}:
                raise UnsafeSvgError(f"chart SVG has a {local} attribute")
            if "url(" in value and not value.replace(" ", "").startswith("url(#"):
                raise UnsafeSvgError("chart SVG refers to an external resource")
    return svg


def chart_svgs(charts: Sequence[ChartSpec]) -> dict[str, str]:
    """Every chart as checked SVG text, by key."""
    images = chart_images.render([chart.spec for chart in charts], "svg")
    return {chart.key: check_svg(image.decode("utf-8"))
            for chart, image in zip(charts, images, strict=True)}


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


class _Html(str):
    """A table cell that is already HTML, every piece of text in it escaped (a citation)."""


def _cell(text: str) -> str:
    return text if isinstance(text, _Html) else _e(text)


def _cite(cited: Citation) -> str:
    """The short citation, title in <cite>, linked to the source when it has a URL."""
    title = f"<cite>{_e(cited.title)}</cite>"
    text = f"{_e(cited.lead)}, {title}" if cited.lead else title
    text += f" ({_e(cited.details)})" if cited.details else ""
    return f"<a href=\"{_e(cited.url)}\">{text}</a>" if cited.url else text


def _rule_source(rule: RuleRow) -> str:
    if rule.citation is None:
        return rule.source
    return _Html(f"{_cite(rule.citation)}: \u201c{_e(rule.quote)}\u201d")


def _assumption_source(row: AssumptionRow) -> str:
    if not row.citations:
        return row.source
    return _Html(f"{_e(row.source)}; see {'; '.join(_cite(c) for c in row.citations)}")


def _reference(reference: Reference) -> str:
    who = f"{_e(reference.who)}. " if reference.who else ""
    about = f" {_e(reference.about)}." if reference.about else ""
    url = (f" <a href=\"{_e(reference.url)}\">{_e(reference.url)}</a>" if reference.url
           else "")
    return f"<li>{who}<cite>{_e(reference.title)}</cite>.{about}{url}</li>"


def _references(report: Report) -> str:
    if not report.references:
        return ""
    items = "".join(_reference(reference) for reference in report.references)
    return f"<h2>References</h2><ul class=\"references\">{items}</ul>"


def _list(items: Iterable[str]) -> str:
    body = "".join(f"<li>{_e(item)}</li>" for item in items)
    return f"<ul>{body}</ul>" if body else "<p>None.</p>"


def _table(headings: Sequence[str], rows: Iterable[Sequence[str]],
           numeric: Sequence[int] = ()) -> str:
    head = "".join(f"<th scope=\"col\">{_e(h)}</th>" for h in headings)
    body = "".join(
        "<tr>" + "".join(f"<td class=\"num\">{_e(c)}</td>" if i in numeric
                         else f"<td>{_cell(c)}</td>" for i, c in enumerate(row)) + "</tr>"
        for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _figure(chart: ChartSpec, svg: str) -> str:
    return (f"<figure class=\"chart\" aria-label=\"{_e(chart.title)}\">{svg}"
            f"<figcaption><strong>{_e(chart.title)}.</strong> {_e(chart.caption)}</figcaption>"
            "</figure>")


def _title(report: Report) -> str:
    title = report.title
    meta = [f"Owner: {title.owner or 'not set'}", f"Date: {title.date}"]
    if title.version is not None:
        meta.append(f"Scenario version: {title.version}")
    meta += [f"Stage: {title.stage}", f"Trials: {title.trials:,}", f"Seed: {title.seed}",
             title.generated_by]
    problem = f"<p>{_e(title.problem_statement)}</p>" if title.problem_statement else ""
    note = f"<p><strong>{_e(report.charts_note)}</strong></p>" if report.charts_note else ""
    return (f"<header><h1>{_e(title.project)}</h1><p class=\"meta\">"
            f"{' · '.join(_e(item) for item in meta)}</p>{problem}{note}</header>")


def _decision(report: Report) -> str:
    decision = report.decision
    colour = DECISION_COLOURS.get(decision.code, "#777777")
    blockers = ""
    if decision.blockers:
        blockers = "<h3>Blockers</h3>" + _table(
            ["Blocker", "Effect"], [[b.text, b.severity] for b in decision.blockers])
    return (f"<section class=\"decision\" style=\"border-color:{colour}\">"
            f"<h2>Decision: {_e(decision.label)} ({_e(decision.stage)} stage)</h2>"
            f"{_list(decision.reasons)}{blockers}"
            f"<h3>Are you sure you need ML?</h3><p>{_e(decision.needs_ml)}</p></section>")


def _success(report: Report) -> str:
    success = report.success
    return (f"<p>{_e(SUCCESS_HEAD)}: <strong>{_e(success.shown)}</strong> "
            f"({_e(success.detail)})</p>")


def _calibration(report: Report) -> str:
    calibration = report.calibration
    notes = "".join(f"<p class=\"meta\">{_e(text)}</p>"
                    for text in (calibration.description, calibration.attribution) if text)
    return f"<p>{_e(calibration.summary)}</p>{notes}"


def _feasibility(report: Report) -> str:
    rows = "".join(
        f"<tr><td>{_e(row.label)}</td><td class=\"num\">{row.score}</td><td><span "
        f"class=\"light\" style=\"background:{LEVEL_COLOURS.get(row.level, '#777777')}\">"
        f"</span>{_e(row.level_label)}</td><td>{_list(row.reasons)}</td></tr>"
        for row in report.feasibility)
    return ("<table><thead><tr><th>Dimension</th><th>Score</th><th>Traffic light</th>"
            f"<th>Reasons</th></tr></thead><tbody>{rows}</tbody></table>")


def _next_steps(report: Report) -> str:
    parts = []
    if report.next_steps_sources:
        cited = "; ".join(_cite(source) for source in report.next_steps_sources)
        parts.append(f"<p>Stages and steps after {cited}.</p>")
    for stage in report.next_steps:
        marker = " (this decision)" if stage.current else ""
        lead = f"<p><strong>{_e(stage.lead)}</strong></p>" if stage.lead else ""
        gate = f"<p><em>Stage gate:</em> {_e(stage.gate)}</p>" if stage.gate else ""
        css = " class=\"current\"" if stage.current else ""
        parts.append(f"<div{css}><h3>{_e(stage.label + marker)}</h3><p>{_e(stage.summary)}"
                     f"</p>{lead}{_list(stage.steps)}{gate}</div>")
    return "".join(parts)


def render_html(report: Report) -> str:
    """The whole report as one HTML document."""
    svgs = chart_svgs(report.charts)
    figures = {chart.key: _figure(chart, svgs[chart.key]) for chart in report.charts}
    sensitivity, inputs = report.sensitivity, report.inputs
    body = [
        _title(report), _decision(report),
        "<h2>Key ranges</h2>",
        _table(["", "P10", "P50", "P80", "P90", "Mean"],
               [[row.label, *(row.shown[k] for k in ("p10", "p50", "p80", "p90", "mean"))]
                for row in report.ranges], numeric=(1, 2, 3, 4, 5)),
        f"<p class=\"meta\">{_e(RETURNS_BASIS)}</p>",
        f"<p class=\"meta\">{_e(report.duration_basis)}</p>",
        f"<p class=\"meta\">{_e(report.team_cost_note)}</p>" if report.team_cost_note else "",
        f"<p>Chance that the NPV is positive, P(NPV &gt; 0): "
        f"<strong>{_e(report.p_npv_positive_shown)}</strong>. {_e(report.npv_basis)}</p>",
        _success(report),
        f"<p>{_e(report.npv_split)}</p>" if report.npv_split else "",
        _calibration(report),
        f"<h2>{_e(COSTS_HEAD)}</h2>",
        _table(["Part", "Paid", "Mean"], [[row.label, row.paid, row.mean]
                                          for row in report.costs], numeric=(2,)),
        f"<p class=\"meta\">{_e(COSTS_NOTE)}</p>",
        "<h2>From the tasks to the P50 effort</h2>",
        figures.get("bridge", ""),
        _table(["Step", "Person-days", "Change"],
               [[row.label, row.days, row.change] for row in report.bridge], numeric=(1, 2)),
        f"<p>{_e(report.bridge_note)}</p>" if report.bridge_note else "",
        "<h2>Feasibility by dimension</h2>",
        figures.get("feasibility", ""),
        _feasibility(report),
        "<h3>How the decision is made</h3>",
        _list(report.decision.policy),
        "<h2>Cost, effort and what drives the spread</h2>",
        *(figures.get(key, "") for key in ("cost_curve", "effort_histogram", "tornado",
                                            "cost_breakdown")),
        _list(sensitivity.lines),
        _table(["Input", "Share of cost spread", "Share of effort spread",
                "Mean cost when low", "Mean cost when high"],
               [[d.name, d.cost_share, d.effort_share, d.cost_low, d.cost_high]
                for d in sensitivity.drivers], numeric=(1, 2, 3, 4)),
        "<h2>Rules of thumb that fired</h2>",
        _table(["Rule", "Multiplier", "Range from", "Chance it bites", "Applies to",
                "Bridge step", "Source"],
               [[r.title, r.multiplier, r.basis, r.probability, r.applies_to, r.step,
                 _rule_source(r)] for r in report.rules_fired]) if report.rules_fired
        else "<p>No rule of thumb applied.</p>",
        f"<p>{_e(report.rules_note)}</p>" if report.rules_note else "",
        ("<h3>Rules not applied</h3>" + _list(rule.line for rule in report.rules_not_applied)
         if report.rules_not_applied else ""),
        (f"<h3>{RULES_CHANGED_HEADING}</h3>"
         + (f"<p>{_e(report.rules_changed_note)}</p>" if report.rules_changed_note else "")
         + _list(report.rules_changed) if report.rules_changed else ""),
        "<h2>Risks and conditions</h2>",
        f"<h3>{_e(report.decision.conditions_heading)}</h3>", _list(report.decision.conditions),
        "<h3>Risks</h3>", _list(report.risks),
        "<h2>Next steps by stage</h2>", _next_steps(report),
        "<h2>Technical checks</h2>",
        _table(["Check", "Status", "Result"],
               [[c.title, c.status_label, c.summary] for c in report.checks]),
        "<h2>Assumptions used</h2>",
        _table(["Assumption", "Value", "Unit", "From", "Source", "Checked"],
               [[a.label, a.value, a.unit, a.origin, _assumption_source(a), a.checked]
                for a in report.assumptions]),
        "<h2>Appendix: inputs</h2><h3>Tasks (person-days)</h3>",
        _table(["Task", "Phase", "Role", "Optimistic", "Most likely", "Pessimistic"],
               [[t.name, t.phase, t.role, t.optimistic, t.most_likely, t.pessimistic]
                for t in inputs.tasks], numeric=(3, 4, 5)),
        "<h3>Team</h3>",
        _table(["Role", "FTE", "Day rate"], [[m.role, m.fte, m.day_rate] for m in inputs.team]),
        "<h3>Key answers</h3>",
        _table(["Section", "Question", "Answer"],
               [[a.section, a.question, a.answer] for a in inputs.answers]),
        f"<p>{_e(inputs.default_note)}</p>" if inputs.default_note else "",
        _references(report),
    ]
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{_e(report.title.project)}: mlpm report</title><style>{CSS}</style>"
            f"</head><body>{''.join(body)}</body></html>\n")
