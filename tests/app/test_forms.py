"""The generic field renderer: widget choice from the model, conversions, refusals, escaping."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from mlpm_core.errors import UserError
from mlpm_core.scenario.model import Scenario
from mlpm_core.scenario.ranges import Range
from mlpm_ui import forms, range_input
from mlpm_ui.labels import FIELD_LABELS, field_label, option_label
from mlpm_ui.text import code, md, md_paragraphs, safe_filename
from tests.app.support import goto, new_app, plain, scenario_id, start_example, store, texts
from tests.conftest import ROOT, naughty_strings

EDITED_ELSEWHERE = {"team", "tasks", "rules", "schema_version"}  # list editors, not forms
LIST_FIELDS = {"costs.custom_lines"}  # a table on the Costs & value page, not a form field
PAGES_DIR = ROOT / "pages"


def form_paths() -> list[str]:
    """Every leaf field of the sections the question forms edit."""
    paths = []

    def walk(model, prefix):
        for name, info in model.model_fields.items():
            annotation, _ = forms._strip_optional(info.annotation)
            path = f"{prefix}{name}"
            if isinstance(annotation, type) and issubclass(annotation, Scenario.__base__) \
                    and annotation is not Range:
                walk(annotation, f"{path}.")
            elif path not in LIST_FIELDS:
                paths.append(path)

    for section, info in Scenario.model_fields.items():
        if section not in EDITED_ELSEWHERE:
            walk(info.annotation, f"{section}.")
    return paths


FORM_PATHS = form_paths()


# ------------------------------------------------------------------ widget choice
@pytest.mark.parametrize(
    ("path", "kind", "optional"),
    [
        ("data.size", "choice", False),
        ("data.personal_data", "toggle", False),
        ("data.labelled_needed", "integer", False),
        ("difficulty.human_success_rate", "number", True),
        ("project.name", "text", False),
        ("project.problem_statement", "long_text", False),
        ("data.label_cost", "range", False),
        ("costs.gpu_hour_price", "range", True),
        ("value.adoption", "number_list", False),
    ],
)
def test_the_widget_is_chosen_from_the_annotation(path, kind, optional):
    """Literal, bool, int, float, str, Range and list[float] each get their own widget."""
    spec = forms.field_spec(path)
    assert (spec.kind, spec.optional) == (kind, optional)


def test_bounds_come_from_the_field_constraints():
    """ge/le become the number input's bounds; max_length its character limit."""
    assert (forms.field_spec("difficulty.research_share").minimum,
            forms.field_spec("difficulty.research_share").maximum) == (0.0, 1.0)
    assert forms.field_spec("simulation.trials").minimum == 5000
    assert forms.field_spec("project.name").max_length == 200


def test_choices_are_the_literal_options_in_order():
    """A choice field offers exactly the Literal's options."""
    assert forms.field_spec("project.stage").choices == ("mvp", "growth", "maturity")


@pytest.mark.parametrize("path", FORM_PATHS)
def test_every_form_field_has_a_widget_a_help_text_and_a_label(path):
    """Each question the forms edit gets a generic widget, its description as help, a label."""
    spec = forms.field_spec(path)
    assert spec.description, f"{path} has no description to show as help"
    assert path in FIELD_LABELS


@pytest.mark.parametrize("path", [p for p in FORM_PATHS
                                  if forms.field_spec(p).kind == "choice"])
def test_every_option_has_a_human_label(path):
    """No option is shown as a raw code with underscores."""
    for option in forms.field_spec(path).choices:
        shown = option_label(path, option)
        assert shown and "_" not in shown


def test_every_form_field_appears_on_a_page():
    """Every question of the forms is drawn by some page (none forgotten)."""
    source = "\n".join(page.read_text(encoding="utf-8") for page in PAGES_DIR.glob("*.py"))
    for component in ("report.py", "device_questions.py", "ledger.py", "task_editor.py",
                      "proposal_section.py"):
        source += (Path(forms.__file__).parent / component).read_text(encoding="utf-8")
    missing = [path for path in FORM_PATHS if f'"{path}"' not in source]
    assert missing == []


def test_an_unlabelled_field_still_gets_a_readable_label():
    """A field missing from the label table is labelled from its name."""
    assert field_label("data.some_new_field") == "Some new field"


# ------------------------------------------------------------------ conversions
def test_a_range_with_both_ends_empty_means_use_the_assumption():
    """Clearing an optional range gives no value, so the ledger default applies."""
    assert range_input.range_from_parts(None, None, None, "auto", optional=True) is None


def test_a_required_range_cannot_be_emptied():
    """A range that has no default cannot be cleared."""
    with pytest.raises(UserError, match="low or the high end"):
        range_input.range_from_parts(None, None, None, "auto", optional=False)


def test_one_end_of_a_range_means_a_certain_value():
    """Giving only one end is read as a single, certain number."""
    assert range_input.range_from_parts(5.0, None, None, "auto", optional=False) == {
        "low": 5.0, "high": 5.0, "most_likely": None}


def test_typing_past_the_other_end_of_a_certain_value_keeps_it_certain():
    """A new low above a certain value's high end moves both ends; a real range still works."""
    certain_zero = Range(low=0, high=0)
    assert range_input.range_from_parts(250.0, None, 0.0, "auto", False, certain_zero) == {
        "low": 250.0, "high": 250.0, "most_likely": None}
    assert range_input.range_from_parts(3.0, None, 0.0, "auto", False, Range(low=0, high=0))[
        "high"] == 3.0
    with pytest.raises(ValueError, match="swap them"):  # a real range: refused as typed
        Range.model_validate(range_input.range_from_parts(9.0, None, 5.0, "auto", False,
                                                    Range(low=2, high=5)))


def test_a_chosen_shape_is_kept_and_automatic_is_left_out():
    """The distribution is stored only when chosen explicitly."""
    document = range_input.range_from_parts(0.0, None, 10.0, "uniform", optional=False)
    assert Range.model_validate(document).kind == "uniform"


def test_the_range_caption_names_the_distribution():
    """The caption says which distribution a range uses and why."""
    assert "lognormal" in range_input.describe_range(Range(low=2, high=8))
    assert ": PERT (automatic" in range_input.describe_range(Range(low=2, high=8, most_likely=3))
    assert range_input.describe_range(Range(low=4, high=4)) == "Certain: 4"


def test_number_lists_parse_and_refuse_readably():
    """'0.5, 0.9, 1' becomes numbers; text that is not numbers is one readable error."""
    assert forms.parse_number_list("0.5, 0.9; 1") == [0.5, 0.9, 1.0]
    for bad in ("0.5, x", "", "nan", "inf"):
        with pytest.raises(UserError):
            forms.parse_number_list(bad)


@pytest.mark.parametrize("text, number", [("150000", 150000.0), ("150,000", 150000.0),
                                          ("1_500.5", 1500.5), (" 1.5e5 ", 150000.0),
                                          ("0.25", 0.25), ("", None), ("  ", None)])
def test_typed_numbers_parse(text, number):
    assert forms.parse_number(text) == number


@pytest.mark.parametrize("text, why", [("1e400", "too large"), ("-1e400", "too large"),
                                       ("inf", "too large"), ("nan", "not a number"),
                                       ("NaN", "not a number"), ("12 apples", "not a number"),
                                       ("0,5", "point for decimals")])
def test_typed_numbers_that_overflow_or_are_not_numbers_are_refused_readably(text, why):
    """'1e400' used to reach the page as an empty box and clear the budget silently."""
    with pytest.raises(UserError, match=why):
        forms.parse_number(text)


def test_a_whole_number_field_refuses_a_fraction_and_shows_large_numbers_with_separators():
    assert forms.parse_number("4", integer=True) == 4
    with pytest.raises(UserError, match="not a whole number"):
        forms.parse_number("4.5", integer=True)
    shown = [forms.format_number(value) for value in (150000.0, 2500, 0.25, 4, -1e7, None)]
    assert shown == ["150,000", "2500", "0.25", "4", "-10,000,000", ""]
    assert [forms.parse_number(text) for text in shown[:-1]] == [150000, 2500, 0.25, 4, -1e7]
    assert forms.format_number(20240601, grouped=False) == "20240601"
    assert "simulation.seed" in forms.UNGROUPED_NUMBERS


def test_a_ledger_field_names_its_assumption_source_and_date():
    """An optional price field says which ledger value applies when left empty."""
    note = forms.assumption_note(Scenario(), "costs.gpu_hour_price")
    assert note is not None and "GPU-hour" in note and "checked" in note


# ------------------------------------------------------------------ escaping
@pytest.mark.parametrize("text", ["<script>alert(1)</script>",
                                  "**bold** [x](javascript:alert(1))",
                                  "# heading\n- item\n1. one", ":red[alarm] $x^2$ `code`"])
def test_md_escapes_every_markdown_metacharacter(text):
    """Escaped text has every ASCII punctuation mark backslash-escaped and no line breaks."""
    escaped = md(text)
    unescaped = re.sub(r"\\[" + re.escape(string.punctuation) + "]", "", escaped)
    assert not any(char in string.punctuation for char in unescaped)
    assert "\n" not in escaped
    assert re.sub(r"\\(.)", r"\1", escaped) == text.replace("\n", " ")


def test_md_escapes_the_big_list_of_naughty_strings():
    """No naughty string keeps an unescaped metacharacter or a line break."""
    for text in naughty_strings():
        escaped = md(text)
        unescaped = re.sub(r"\\[" + re.escape(string.punctuation) + "]", "", escaped)
        assert not any(char in string.punctuation for char in unescaped), text
        assert "\n" not in escaped and "\r" not in escaped


@pytest.mark.parametrize("text", ['derived.total_most_likely_days > 20',
                                  'data.complexity == "complex"', "a `b` c", "``x", "y`",
                                  "two\nlines $x$ :red[z]"])
def test_code_shows_a_condition_literally_in_one_fence_it_cannot_close(text):
    """A code span adds no backslashes, and no run of backticks in the text closes it."""
    span = code(text)
    fence = re.match("`+", span).group()
    body = span[len(fence):-len(fence)]
    assert span.endswith(fence) and body == f" {text.replace(chr(10), ' ')} "
    assert "\\" not in span and "\n" not in span
    assert all(len(run) != len(fence) for run in re.findall("`+", body))


def test_md_paragraphs_keeps_lines_apart_but_escapes_each():
    """A multi-line text keeps its paragraphs; each is escaped."""
    assert md_paragraphs("a*b\n\nc_d") == "a\\*b\n\nc\\_d"


def test_download_names_are_safe_file_names():
    """A project name becomes a file name without path separators or markup."""
    assert safe_filename("../<b>Fraud</b> v2", ".json") == "b_Fraud_b_v2.json"
    assert safe_filename("???", ".json") == "scenario.json"


# ------------------------------------------------------------------ in the app
def stored_scenario(at) -> Scenario:
    """The scenario open in the app, as the store holds it."""
    return store().load(scenario_id(at))[0]


def test_a_refused_value_shows_its_error_by_the_field_and_keeps_the_old_value(fresh_app):
    """An empty project name is refused next to the field; the saved name stays."""
    at = new_app()
    start_example(at)
    goto(at, "project")
    before = at.text_input(key="f:project.name").value
    at.text_input(key="f:project.name").set_value("").run()
    assert not at.exception
    assert any("Project name" in error.value for error in at.error)
    assert at.text_input(key="f:project.name").value == ""  # as typed, beside its message
    assert stored_scenario(at).project.name == before


def test_a_cross_field_refusal_keeps_the_old_value(fresh_app):
    """A mean QPS above the peak is refused with the reason; the saved value stays (an online
    service: only it is asked its peak)."""
    at = new_app()
    start_example(at, "fraud_card_payments.json")
    goto(at, "technical")
    before = stored_scenario(at).technical.mean_qps
    at.text_input(key="f:technical.mean_qps").input("1000000").run()
    assert any("mean QPS" in error.value for error in at.error)
    assert at.text_input(key="f:technical.mean_qps").value == "1000000"  # kept to correct
    assert stored_scenario(at).technical.mean_qps == before


@pytest.mark.parametrize("typed", ["1e400", "nan", "inf"])
def test_an_overflowing_budget_is_refused_and_the_saved_budget_kept(fresh_app, typed):
    """Typing 1e400 into "Budget for this stage" saved a version with no budget ("not
    known"): now it is refused with a message and the budget stays, also after a reload."""
    at = new_app()
    start_example(at, "fraud_card_payments.json")
    goto(at, "project")
    before = stored_scenario(at)
    version = store().load(scenario_id(at))[1].version
    assert before.project.budget is not None
    at.text_input(key="f:project.budget").input(typed).run()
    assert any("Budget for this stage" in error.value for error in at.error)
    assert at.text_input(key="f:project.budget").value == typed  # kept to correct
    after = stored_scenario(at)
    assert after.project.budget == before.project.budget
    assert store().load(scenario_id(at))[1].version == version  # no version saved
    assert at.session_state["mlpm.scenario"].project.budget == before.project.budget


def test_an_optional_number_can_still_be_emptied_and_typed_with_separators(fresh_app):
    at = new_app()
    start_example(at, "fraud_card_payments.json")
    goto(at, "project")
    at.text_input(key="f:project.budget").input("").run()
    assert stored_scenario(at).project.budget is None and not at.error
    at.text_input(key="f:project.budget").input("250,000").run()
    assert stored_scenario(at).project.budget == 250_000 and not at.error
    assert at.text_input(key="f:project.budget").value == "250,000"


def test_a_chance_is_typed_as_a_fraction_or_a_percentage_and_a_budget_is_not(fresh_app):
    """The go threshold of P(NPV > 0) is a share (0.7) next to the cost percentile (80): '70%'
    is 0.7 too; a percentage where a plain number is asked for is refused."""
    at = new_app()
    start_example(at)
    goto(at, "project")
    box = "f:project.thresholds.min_p_npv_positive"
    at.text_input(key=box).input("75%").run()
    assert not at.error
    assert stored_scenario(at).project.thresholds.min_p_npv_positive == pytest.approx(0.75)
    assert "70%" in at.text_input(key=box).help
    at.text_input(key=box).input("0.65").run()
    assert stored_scenario(at).project.thresholds.min_p_npv_positive == pytest.approx(0.65)
    at.text_input(key=box).input("170%").run()
    assert "at most 1" in "".join(error.value for error in at.error)
    budget = stored_scenario(at).project.budget
    at.text_input(key="f:project.budget").input("50%").run()
    assert "not a percentage" in "".join(error.value for error in at.error)
    assert stored_scenario(at).project.budget == budget


def test_a_refused_list_keeps_its_text_and_its_error_clears_once_it_is_valid(fresh_app):
    """Typing '0.5, x' and then the saved value '0.5, 0.9, 1' again left the error on screen:
    the box had been refilled with the saved value, so retyping it was no change."""
    at = new_app()
    start_example(at)
    goto(at, "costs_value")
    box = "f:value.adoption"
    saved = at.text_input(key=box).value
    at.text_input(key=box).input("0.5, x").run()
    assert at.error and at.text_input(key=box).value == "0.5, x"
    at.text_input(key=box).input(saved).run()
    assert not at.error
    at.text_input(key=box).input("0.5, x").run()
    at.text_input(key=box).input("0.4, 0.8, 1").run()
    assert not at.error and stored_scenario(at).value.adoption == [0.4, 0.8, 1.0]


def test_a_range_row_saves_and_refuses_a_low_end_above_the_high_end(fresh_app):
    """Range parts update the range; a low end above the high end is refused."""
    at = new_app()
    start_example(at)
    goto(at, "costs_value")
    at.number_input(key="f:value.annual_benefit:low").set_value(20000.0).run()
    assert not at.exception
    assert stored_scenario(at).value.annual_benefit.low == 20000.0
    at.number_input(key="f:value.annual_benefit:low").set_value(1e9).run()
    assert any("swap them" in error.value for error in at.error)
    assert stored_scenario(at).value.annual_benefit.low == 20000.0
    assert at.number_input(key="f:value.annual_benefit:low").value == 1e9  # kept to correct


def test_clearing_an_optional_price_falls_back_to_the_assumption(fresh_app):
    """Emptying an overridden price stores no value, and the caption names the assumption."""
    at = new_app()
    start_example(at, "genai_support_assistant.json")
    goto(at, "costs_value")
    assert stored_scenario(at).costs.price_per_1m_input_tokens is not None
    at.number_input(key="f:costs.price_per_1m_input_tokens:low").set_value(None)
    at.number_input(key="f:costs.price_per_1m_input_tokens:high").set_value(None).run()
    assert stored_scenario(at).costs.price_per_1m_input_tokens is None
    assert any("Empty uses the assumption" in caption.value and "input" in caption.value
               for caption in at.caption)


def test_choice_toggle_and_list_widgets_write_to_the_scenario(fresh_app):
    """A select box, a toggle and a number list each change and save their field."""
    at = new_app()
    start_example(at)
    goto(at, "data")
    at.selectbox(key="f:data.cleanliness").set_value("dirty").run()
    at.toggle(key="f:data.personal_data").set_value(True).run()
    goto(at, "costs_value")
    at.text_input(key="f:value.adoption").set_value("0.2, 0.7").run()
    saved = stored_scenario(at)
    assert (saved.data.cleanliness, saved.data.personal_data, saved.value.adoption) == (
        "dirty", True, [0.2, 0.7])


def test_answers_survive_a_page_switch(fresh_app):
    """A widget shows the saved answer again after the user leaves the page and returns."""
    at = new_app()
    start_example(at)
    goto(at, "difficulty")
    at.text_input(key="f:difficulty.models_count").input("4").run()
    goto(at, "report")
    goto(at, "difficulty")
    assert at.text_input(key="f:difficulty.models_count").value == "4"


def test_choice_widgets_show_human_labels(fresh_app):
    """Options are shown with their human label, not their code."""
    at = new_app()
    start_example(at)
    goto(at, "data")
    box = at.selectbox(key="f:data.genai_route")
    assert "Retrieval-augmented generation (RAG)" in box.options
    assert not any("_" in option for option in box.options)


@pytest.mark.parametrize("field", ["simulation.trials"])
def test_trials_cannot_go_below_five_thousand(fresh_app, field):
    """The trials box refuses fewer than the model's minimum of 5,000, saying so."""
    at = new_app()
    start_example(at)
    goto(at, "report")
    before = stored_scenario(at).simulation.trials
    at.text_input(key=f"f:{field}").input("100").run()
    assert forms.field_spec(field).minimum == 5000
    assert any("must be at least 5\\,000" in error.value for error in at.error)
    assert stored_scenario(at).simulation.trials == before


def type_range(at, path: str, order: tuple[str, ...], values: dict[str, float]) -> None:
    """Type the parts of a range row one at a time, each followed by a run, as a user would."""
    for part in order:
        at.number_input(key=range_input.part_key(path, part)).set_value(values[part]).run()
        assert not at.exception


@pytest.mark.parametrize("order", [("low", "most_likely", "high"),
                                   ("high", "most_likely", "low"),
                                   ("most_likely", "low", "high")])
def test_a_range_typed_in_any_order_keeps_every_value_and_becomes_three_point(fresh_app, order):
    """Every value typed stays in its box; the range is stored once it is whole, as PERT."""
    at = new_app()
    start_example(at)
    goto(at, "costs_value")
    path = "value.annual_benefit"
    values = {"low": 50000.0, "most_likely": 80000.0, "high": 200000.0}
    type_range(at, path, order, values)
    for part, typed in values.items():
        assert at.number_input(key=range_input.part_key(path, part)).value == typed
    saved = stored_scenario(at).value.annual_benefit
    assert (saved.low, saved.most_likely, saved.high) == (50000.0, 80000.0, 200000.0)
    assert saved.kind == "pert" and not at.error
    assert any("most likely 80\\,000\\: PERT" in caption.value for caption in at.caption)


def moved(at):
    """The notes under range rows that an end was moved (the page's other info boxes aside)."""
    return [info for info in at.info if info.icon == ":material/sync_alt:"]


def test_typing_past_a_certain_value_says_which_end_it_moved(fresh_app):
    """Low 50 over a certain 0 made High 50, then High 8 made Low 8 ("Certain: 8"), both
    silently; each move is now said under the row, and the note goes with the next edit."""
    at = new_app()
    start_example(at)
    goto(at, "data")
    path = "data.label_cost"
    type_range(at, path, ("low", "high"), {"low": 0.0, "high": 0.0})
    assert (stored_scenario(at).data.label_cost.low, stored_scenario(at).data.label_cost.high
            ) == (0.0, 0.0)
    assert not moved(at)
    type_range(at, path, ("low",), {"low": 50.0})
    assert stored_scenario(at).data.label_cost.high == 50.0
    assert [plain(info.value) for info in moved(at)] == [range_input.moved_note("low", 50, 50)]
    assert "High was changed to 50" in moved(at)[0].value
    type_range(at, path, ("high",), {"high": 8.0})
    saved = stored_scenario(at).data.label_cost
    assert (saved.low, saved.high) == (8.0, 8.0)
    assert "Low was changed to 8" in moved(at)[0].value and len(moved(at)) == 1
    type_range(at, path, ("high",), {"high": 20.0})  # a real range now: nothing moved
    assert not moved(at) and stored_scenario(at).data.label_cost.high == 20.0


def test_a_most_likely_value_with_one_end_missing_says_what_is_missing(fresh_app):
    """Low and most likely typed, high still empty: nothing cleared, a message, nothing stored
    that the user did not mean (the earlier range stays)."""
    at = new_app()
    start_example(at)
    goto(at, "costs_value")
    path = "value.annual_benefit"
    before = stored_scenario(at).value.annual_benefit
    at.number_input(key=range_input.part_key(path, "high")).set_value(None).run()
    at.number_input(key=range_input.part_key(path, "low")).set_value(1000.0).run()
    at.number_input(key=range_input.part_key(path, "most_likely")).set_value(3000.0).run()
    assert any("give the high end too" in error.value for error in at.error)
    assert at.number_input(key=range_input.part_key(path, "most_likely")).value == 3000.0
    assert at.number_input(key=range_input.part_key(path, "low")).value == 1000.0
    assert stored_scenario(at).value.annual_benefit.most_likely is None
    assert before != stored_scenario(at).value.annual_benefit  # "1000, certain" was stored


def test_a_chosen_shape_is_kept_while_the_ends_are_typed(fresh_app):
    """A shape chosen first is not replaced by the automatic one when numbers follow."""
    at = new_app()
    start_example(at)
    goto(at, "costs_value")
    path = "value.annual_benefit"
    at.selectbox(key=range_input.part_key(path, "shape")).set_value("uniform").run()
    type_range(at, path, ("low", "high"), {"low": 0.0, "high": 90000.0})
    saved = stored_scenario(at).value.annual_benefit
    assert (saved.low, saved.high, saved.distribution) == (0.0, 90000.0, "uniform")
    assert at.selectbox(key=range_input.part_key(path, "shape")).value == "uniform"


def test_the_assumption_note_shows_only_while_the_field_is_empty(fresh_app):
    """"Empty uses the assumption ..." under a number the user gave reads as if it were
    ignored: the note is there while the field is empty, and gone once it has a value."""
    at = new_app()
    start_example(at)
    goto(at, "technical")
    path = "technical.ram_budget_gb"
    at.text_input(key=f"f:{path}").input("").run()
    notes = [c.value for c in at.caption if "Empty uses the assumption" in c.value]
    at.text_input(key=f"f:{path}").input("2").run()
    assert stored_scenario(at).technical.ram_budget_gb == 2.0
    left = [c.value for c in at.caption if "Empty uses the assumption" in c.value]
    assert len(left) == len(notes) - 1 and "RAM" in next(n for n in notes if n not in left)


def test_a_forecast_is_asked_for_its_history_and_its_misses_not_labels_and_false_positives(
        fresh_app):
    """The Bike Shop forecast's Data page asks for recorded history and its Quality page for
    over- and under-forecasts; a typed answer still saves to the same field, and a refusal
    names the field as the page shows it. Changing the task type changes the words back."""
    at = new_app()
    start_example(at)
    goto(at, "data")
    assert "History" in [header.value for header in at.subheader]
    assert "Positive cases and rare events" not in [header.value for header in at.subheader]
    assert any(e.label.startswith("Positive cases and rare events (classification")
               for e in at.expander)  # folded away: a forecast has no positive class
    box = at.text_input(key="f:data.labelled_available")
    assert box.label == "Recorded history: observations with the outcome known"
    assert "past values themselves" in box.help
    box.input("900").run()
    assert store().load(scenario_id(at))[0].data.labelled_available == 900
    at.text_input(key="f:data.labelled_needed").input("-3").run()
    assert any(plain(error.value).startswith("History needed (observations): must be at least")
               for error in at.error)
    goto(at, "quality")
    shown = {element.label for element in at.get("text_input")} | {
        plain(str(element.value)) for element in at.markdown}
    assert any("over-forecast" in text for text in shown)
    assert not any("false positive" in text.lower() for text in shown)
    goto(at, "project")
    at.selectbox(key="f:project.task_type").set_value("classification").run()
    goto(at, "data")
    assert at.text_input(key="f:data.labelled_available").label == "Labelled examples available"
    assert {"Labels", "Positive cases and rare events"} <= {h.value for h in at.subheader}


def test_an_empty_box_says_what_the_estimate_uses_instead():
    """'Retraining runs per year' read "empty: not known" while the estimate took the runs
    from the Technical page's retraining frequency: the box says so now."""
    from mlpm_ui.labels import empty_hint

    assert empty_hint("Retraining runs per year; empty: from the retraining frequency.") == \
        "empty: from the retraining frequency"
    assert empty_hint("Budget for this stage.") == "empty: not known"
    long = empty_hint("RAM; empty: the RAM usable per device when given, else the platform's "
                      "typical RAM from the ledger.")
    assert long == "empty: the RAM usable per device when given"  # cut at a comma to fit
    at = new_app()
    start_example(at)
    goto(at, "costs_value")
    box = at.text_input(key="f:costs.retrains_per_year")
    assert box.proto.placeholder == "empty: from the retraining frequency"


def test_a_gate_chosen_on_the_costs_page_is_saved_and_said_on_the_report(fresh_app):
    """Choosing to stop at the end of Experimentation saves the choice, and the Report says
    what a model that falls short spends against the whole delivery."""
    at = new_app()
    start_example(at, "fraud_card_payments.json")
    goto(at, "costs_value")
    at.radio(key="f:value.model_gate").set_value("experimentation").run()
    assert not at.exception
    assert stored_scenario(at).value.model_gate == "experimentation"
    goto(at, "report")
    assert not at.exception
    shown = " ".join(" ".join(texts(at)).replace("\\", "").split())
    assert "what the plan spends up to its gate at the end of Experimentation" in shown
    assert "stops the plan at the end of Experimentation" in shown
