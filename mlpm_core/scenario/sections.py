"""The questions a Scenario asks, one section per topic, each checking its own answers.

Field descriptions double as help text in the app, so they are written for the person answering,
not for a programmer. Sections follow the feasibility questions of Google's "Managing ML
projects" guide (google-managing-ml) and the cost questions of Thompson's Q&A
(thompson-2022).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from mlpm_core.errors import shown_number
from mlpm_core.scenario.class_balance import ClassBalanceQuestions
from mlpm_core.scenario.costs import CostsSection as CostsSection
from mlpm_core.scenario.currency_symbols import SYMBOLS
from mlpm_core.scenario.hardware import DeviceSection
from mlpm_core.scenario.limits import COUNT_MAX, MONEY_MAX, MoneyRange
from mlpm_core.scenario.quality import QualitySection as QualitySection
from mlpm_core.scenario.ranges import Range, StrictModel, certain
from mlpm_core.scenario.serving import BatchQuestions
from mlpm_core.scenario.text import SafeLine, SafeText
from mlpm_core.scenario.thresholds import DecisionThresholds

Stage = Literal["mvp", "growth", "maturity"]
CALENDAR_WEEKS_MAX = 520  # ten years: the longest deadline or wait a stage may have


class ProjectSection(StrictModel):
    """What the project is and what it is for."""

    # Descriptive fields (json_schema_extra "descriptive") identify the project or explain it to
    # people; they are shown on reports but change no number, reason or check
    # (tests/unit/scenario/test_every_question_counts.py checks every other field does).
    name: SafeLine = Field("Untitled project", min_length=1, max_length=200,
                      description="A short name for the project, shown on every report.",
                      json_schema_extra={"descriptive": True})
    owner: SafeLine = Field("", max_length=200, description="Who is accountable for the decision.",
                       json_schema_extra={"descriptive": True})
    problem_statement: SafeText = Field(
        "", description="The business problem in one or two sentences, without mentioning ML.",
        json_schema_extra={"descriptive": True},
    )
    archetype: Literal["improve_existing", "augment_manual", "automate_manual"] = Field(
        "augment_manual",
        description="FSDL archetype: improve an existing process, augment a manual process "
        "(a person stays in the loop), or automate a manual process.",
    )
    task_type: Literal["classification", "regression", "ranking", "forecasting",
                       "anomaly_detection", "generation"] = Field(
        "classification", description="What the model predicts or produces. Forecasting is "
        "time-series forecasting (future values from past ones); anomaly detection flags "
        "unusual behaviour, learnt mostly without labels (few or no known failures).",
    )
    stage: Stage = Field(
        "mvp",
        description="The stage this decision is for: MVP (fast, cheap, proves viability), "
        "growth (higher cost, builds the product) or maturity (marginal gains at high cost).",
    )
    scope: Literal["from_team", "full"] = Field(
        "from_team",
        description="How the proposed work breakdown is sized. 'From the team' reads a small "
        "team as a smaller project (the team was sized for the work); 'Full scope' keeps "
        "the template scope whatever the team, for asking what team the work needs: only product "
        "and management work still shrinks with a small team, and nothing goes below half a "
        "day.",
    )
    business_metric: SafeLine = Field(
        "", description="The business metric the project must move, e.g. monthly churn."
    )
    business_target: SafeLine = Field("", description="The target for that metric, e.g. -10%.")
    rules_baseline: Literal["unknown", "no", "partly", "good_enough"] = Field(
        "unknown",
        description="Could simple hand-written rules solve it? 'Yes, good enough' means a "
        "rules baseline would already meet the business target.",
    )
    currency: SafeLine = Field("USD", min_length=1, max_length=8,
                               description="Currency of all costs.")
    budget: float | None = Field(
        None, ge=0, le=MONEY_MAX, description="Budget for delivering this stage (people, compute, "
        "data); leave empty if there is none."
    )
    deadline_weeks: float | None = Field(
        None, gt=0, le=CALENDAR_WEEKS_MAX,
        description="Calendar weeks available for this stage, if any.",
    )
    wait_weeks: Range = Field(
        default_factory=lambda: certain(0.0),
        description="Calendar weeks this stage waits with nothing to work on: an approval, "
        "access to data, a pilot's forecasts coming due. Added to the duration (so to the "
        "deadline check and to when the value starts), not to effort or cost. A 90% range; "
        "0 when nothing waits.",
    )
    thresholds: DecisionThresholds = Field(
        default_factory=DecisionThresholds, description="Decision policy."
    )

    @field_validator("currency")
    @classmethod
    def _currency_code_in_capitals(cls, value: str) -> str:
        """'eur' is EUR and '£' is GBP: every report writes the code as a reader expects
        ('EUR 483k', not 'eur 483k'; 'GBP 392k', not '£ 392k'); a longer name stays as
        typed."""
        code = value.strip()
        if code.upper() in SYMBOLS:
            return SYMBOLS[code.upper()]
        return code.upper() if len(code) == 3 and code.isascii() and code.isalpha() else value

    @field_validator("wait_weeks")
    @classmethod
    def _wait_in_weeks(cls, value: Range) -> Range:
        if value.low < 0 or value.high > CALENDAR_WEEKS_MAX:
            raise ValueError(f"calendar waits must lie between 0 and {CALENDAR_WEEKS_MAX} weeks")
        return value


class DataSection(ClassBalanceQuestions):
    """Data availability: the biggest driver of cost (FSDL) and of feasibility."""

    labelled_available: int = Field(0, ge=0, le=COUNT_MAX,
                                    description="Labelled examples you already have.")
    labelled_needed: int = Field(1000, ge=0, le=COUNT_MAX,
                                 description="Labelled examples you expect to need.")
    labels_obtainable: bool = Field(
        True, description="Is there a way to get the missing labels (people, vendors, logs)?"
    )
    label_cost: MoneyRange = Field(
        default_factory=lambda: certain(0.0),
        description="Cost of one new label, as a 90% range in the project's currency.",
    )
    features_at_serving: Literal["all", "most", "some", "unknown"] = Field(
        "unknown",
        description="Are the model's input features available at prediction (serving) time?",
    )
    personal_data: bool = Field(False, description="Does the data include personal data?")
    legal_basis: Literal["not_needed", "documented", "unclear", "none"] = Field(
        "not_needed", description="Legal basis for processing personal or regulated data."
    )
    regulated: bool = Field(False, description="Do sector regulations apply to the data?")
    ethics_security_privacy: bool = Field(
        False, description="Are there ethical, security or privacy issues to work through?"
    )
    size: Literal["small", "big"] = Field(
        "small", description="Big data needs distributed storage or processing."
    )
    complexity: Literal["simple", "complex"] = Field(
        "simple", description="Complex data is hard to understand (many sources, joins, "
        "domain knowledge)."
    )
    structure: Literal["structured", "unstructured"] = Field(
        "structured", description="Unstructured data: text, images, audio, documents."
    )
    cleanliness: Literal["clean", "some_issues", "dirty", "unknown"] = Field(
        "unknown", description="How clean the data is today."
    )
    versioning: bool = Field(False, description="Is the data versioned already?")
    genai_route: Literal["none", "prompting", "peft", "fine_tuning", "rag", "pretraining"] = (
        Field("none", description="For generative AI: prompting, parameter-efficient tuning, "
              "fine-tuning, retrieval-augmented generation or periodic pre-training.")
    )
    genai_samples_needed: int = Field(
        0, ge=0, le=10**9, description="Examples needed for the generative-AI route "
        "(10 for prompting up to 10,000s for fine-tuning); when above the labelled examples "
        "needed, they set the labels still to obtain."
    )
    freshness: Literal["static", "periodic", "real_time"] = Field(
        "static", description="How up to date the data must be."
    )

    @property
    def labels_needed(self) -> int:
        """The labelled examples needed in all: the answer, or more where a generative-AI
        route needs its own examples (``genai_samples_needed``), which are written or labelled
        like any other, or a rare positive class needs the cases that hold its positives."""
        needed = max(self.labelled_needed,
                     self.labels_for_positives(self.labelled_needed, self.labelled_available))
        if self.genai_route != "none":
            needed = max(needed, self.genai_samples_needed)
        return needed

    @property
    def label_gap(self) -> int:
        """Labels still to obtain."""
        return max(self.labels_needed - self.labelled_available, 0)

    @property
    def labels_to_buy(self) -> int:
        """The missing labels the labelling cost pays for: none when they cannot be obtained,
        since nobody can be paid for them (the gap is then a blocker, not a cost)."""
        return self.label_gap if self.labels_obtainable else 0


class DifficultySection(StrictModel):
    """Problem difficulty: has it been solved, how hard is it for people, who attacks it."""

    solved_before: Literal["public_solution", "sota_model", "similar", "novel"] = Field(
        "similar",
        description="Has a similar problem been solved (public solution, e.g. Kaggle or a "
        "model hub; a state-of-the-art model exists; something similar; nothing like it)?",
    )
    human_success_rate: float | None = Field(
        None, ge=0, le=1, description="How often a skilled person gets it right (0-1). Leave "
        "it empty when nobody does the task by hand today (e.g. predicting which customers "
        "will leave): no answer costs no points."
    )
    adversaries: bool = Field(
        False, description="Will people actively try to exploit the model (e.g. spam, fraud)?"
    )
    models_count: int = Field(1, ge=1, le=1000, description="How many models must be built.")
    research_share: float = Field(
        0.0, ge=0, le=1, description="Share of the work that is research with no known answer."
    )
    genai_input_source: Literal["none", "internal", "trusted_users", "public"] = Field(
        "none", description="For generative AI: where prompts come from (public input can "
        "carry prompt injection)."
    )
    genai_output_use: Literal["none", "internal_review", "shown_to_users", "automated_actions"] = (
        Field("none", description="For generative AI: what happens with the output.")
    )


class TechnicalSection(BatchQuestions):
    """Technical requirements: latency, load, memory, platform."""

    platform: Literal["online", "browser", "on_device", "batch"] = Field(
        "online", description="Where predictions run: online server (RPC), in a web browser, "
        "on a device (a phone, an edge gateway or an embedded board), or offline batch "
        "(predictions saved in a table)."
    )
    device: DeviceSection = Field(default_factory=DeviceSection,
                                  description="The devices, when predictions run on them.")
    latency_p95_ms: float | None = Field(
        None, gt=0, le=3.6e6, description="95th-percentile latency target per request (ms)."
    )
    model_latency_ms: Range | None = Field(
        None, description="Expected model compute time per prediction (ms), for non-generative "
        "models: per request online, per case in a batch run."
    )
    peak_qps: float = Field(1.0, ge=0, le=1e9, description="Peak queries per second "
                            "(online only).")
    mean_qps: float = Field(0.1, ge=0, le=1e9, description="Average queries (predictions) per "
                            "second, across all users or devices (not for batch).")
    ram_budget_gb: float | None = Field(
        None, gt=0, le=1e5, description="RAM available to the model; empty: the RAM usable "
        "per device when given, else the platform's typical RAM from the assumptions ledger."
    )
    concurrency_per_server: int = Field(
        4, ge=1, le=100000, description="Requests one server (replica) handles at once "
        "(online only)."
    )
    peak_utilisation: float | None = Field(
        None, ge=0.05, le=1, description="Share of the servers' capacity the peak may use "
        "(0.7 = 70%); the rest is headroom for bursts, a replica failing and queueing (online "
        "only). Empty: assumption."
    )
    model_parameters_millions: float = Field(
        1.0, ge=0, le=1e7, description="Model size in millions of parameters."
    )
    precision: Literal["fp32", "fp16", "int8", "int4"] = Field(
        "fp32", description="Numeric precision of the served weights."
    )
    memory_overhead: float = Field(
        1.2, ge=1, le=10, description="Runtime memory as a multiple of the weights "
        "(activations, caches, runtime)."
    )
    tokens_in: int = Field(0, ge=0, le=10**7, description="Input tokens per request (LLMs), "
                           "every model call of the request together: a tool call's round "
                           "trip re-sends the context.")
    tokens_out: int = Field(0, ge=0, le=10**7, description="Output tokens per request (LLMs), "
                            "every model call of the request together.")
    time_to_first_token_ms: float | None = Field(
        None, gt=0, le=1e6, description="LLM time to first token (ms); empty: assumption."
    )
    tokens_per_second: float | None = Field(
        None, gt=0, le=1e6, description="LLM output speed (tokens/s); empty: assumption."
    )
    tool_calls_per_request: int = Field(
        0, ge=0, le=1000, description="Tool or API calls per request (each adds latency and "
        "a chance to propagate mistakes)."
    )
    interpretability: Literal["none", "helpful", "required"] = Field(
        "none", description="Must predictions be explained?"
    )
    retraining: Literal["never", "yearly", "quarterly", "monthly", "weekly", "daily"] = Field(
        "quarterly", description="How often the model is retrained (frequent retraining costs)."
    )
    fallback_required: bool = Field(False, description="Is a non-ML fallback path required?")
    distributed_platform: bool = Field(
        False, description="Does processing need a complex or distributed compute platform?"
    )

    @model_validator(mode="after")
    def _mean_not_above_peak(self) -> TechnicalSection:
        """Only an online service is asked its peak (``serving.SERVING_FIELDS``)."""
        if self.platform == "online" and self.mean_qps > self.peak_qps:
            raise ValueError(
                f"mean QPS ({shown_number(self.mean_qps)}) is above peak QPS "
                f"({shown_number(self.peak_qps)}); an "
                "online service is sized for its peak (coming from another platform, lower the "
                "mean QPS first, then raise both)"
            )
        return self


class ValueSection(StrictModel):
    """What success is worth, and when it arrives."""

    annual_benefit: MoneyRange = Field(
        default_factory=lambda: certain(0.0),
        description="Yearly benefit at full adoption of a model that reaches the target, as a "
        "90% range. A model that reaches only the acceptability threshold earns its share of "
        "the gain over the baseline (threshold 0.55, target 0.7, baseline 0.45: 40%).",
    )
    horizon_years: int = Field(3, ge=1, le=20, description="Years of benefit counted.")
    discount_rate: float = Field(0.1, ge=0, le=1, description="Yearly discount rate (0.1 = 10%).")
    error_costs_in_benefit: bool = Field(
        True, description="Does the annual benefit already include the errors the model avoids "
        "(the cost of mistakes on the Quality page)? Yes: they are shown beside it, not added, "
        "so one saving is not counted twice. No: they are added to it. With no annual benefit "
        "the avoided errors are the value either way."
    )
    model_gate: Literal["none", "experimentation", "pipeline"] = Field(
        "none",
        description="Does the plan stop when the model falls short? The phase at whose end "
        "the model is checked against its acceptability threshold: a model that falls short "
        "stops the project there, so it costs the work up to the gate instead of the whole "
        "delivery. None: the plan has no such gate, and a model that falls short is found "
        "only once it is built and delivered.",
    )
    adoption: list[float] = Field(
        default_factory=lambda: [0.5, 0.9, 1.0], min_length=1, max_length=20,
        description="Share of the full benefit reached in year 1, 2, ...; the last value "
        "repeats to the horizon.",
    )

    @field_validator("adoption")
    @classmethod
    def _shares(cls, values: list[float]) -> list[float]:
        for year, share in enumerate(values, start=1):
            if not 0 <= share <= 1:
                raise ValueError(f"adoption in year {year} is {shown_number(share)}; "
                                 "it must be 0-1")
        return values
