"""The question wording of the forms: a short label per field and a human label per option.

Help text is not here: every field's ``description`` in the Scenario schema
(``mlpm_core.scenario.sections`` and ``.model``) is the help.
A field missing from these tables still gets a readable label from its name. The option labels
live in ``mlpm_core.scenario`` (the reports print them too) and are re-exported here.
"""

from __future__ import annotations

import re

from mlpm_core.scenario import FIELD_OPTION_LABELS as FIELD_OPTION_LABELS
from mlpm_core.scenario import OPTION_LABELS as OPTION_LABELS
from mlpm_core.scenario import label as readable
from mlpm_core.scenario import option_label as option_label

FIELD_LABELS: dict[str, str] = {
    # project
    "project.name": "Project name",
    "project.owner": "Decision owner",
    "project.problem_statement": "Business problem",
    "project.archetype": "Archetype",
    "project.task_type": "Task type",
    "project.stage": "Stage this decision is for",
    "project.business_metric": "Business metric",
    "project.business_target": "Target for that metric",
    "project.rules_baseline": "Could simple rules solve it?",
    "project.currency": "Currency",
    "project.scope": "Size the proposed tasks",
    "project.budget": "Budget for this stage",
    "project.deadline_weeks": "Deadline (weeks)",
    "project.wait_weeks": "Calendar waits (weeks)",
    "project.thresholds.min_p_npv_positive": "Go needs P(NPV > 0) of at least",
    "project.thresholds.no_go_p_npv_positive": "No-go below P(NPV > 0) of",
    "project.thresholds.cost_percentile": "Percentile that must fit budget and deadline",
    "project.thresholds.min_dimension_score": "Go needs every dimension to score at least",
    "project.thresholds.no_go_dimension_score": "No-go when a dimension scores below",
    # data
    "data.labelled_available": "Labelled examples available",
    "data.labelled_needed": "Labelled examples needed",
    "data.labels_obtainable": "Missing labels can be obtained",
    "data.label_cost": "Cost of one new label",
    "data.features_at_serving": "Features available at serving time",
    "data.personal_data": "Personal data",
    "data.legal_basis": "Legal basis",
    "data.regulated": "Sector regulations apply",
    "data.ethics_security_privacy": "Ethics, security or privacy issues",
    "data.size": "Data size",
    "data.complexity": "Data complexity",
    "data.structure": "Data structure",
    "data.cleanliness": "Cleanliness",
    "data.versioning": "Data is versioned",
    "data.genai_route": "Generative-AI data route",
    "data.genai_samples_needed": "Examples needed for that route",
    "data.freshness": "Freshness needed",
    "data.positive_share": "Share of cases that are positive (0-1)",
    "data.positive_events_per_year": "Positive events a year (e.g. failures)",
    "data.positives_needed": "Positive examples needed",
    # difficulty
    "difficulty.solved_before": "Solved before?",
    "difficulty.human_success_rate": "Human success rate (0-1)",
    "difficulty.adversaries": "Adversaries will attack the model",
    "difficulty.models_count": "Models to build",
    "difficulty.research_share": "Research share of the work (0-1)",
    "difficulty.genai_input_source": "Where prompts come from",
    "difficulty.genai_output_use": "What happens with the output",
    # quality
    "quality.metric": "Metric to optimise",
    "quality.metric_counts": "What the metric counts",
    "quality.scale": "How the values are written",
    "quality.target": "Target value",
    "quality.acceptability_threshold": "Acceptability threshold",
    "quality.baseline_value": "Baseline value",
    "quality.higher_is_better": "Higher is better",
    "quality.p_reach_threshold": "Chance of reaching the threshold (0-1)",
    "quality.false_positive_cost": "Cost of one false positive",
    "quality.false_negative_cost": "Cost of one false negative",
    "quality.cases_per_year": "Cases a year whose mistakes cost money",
    "quality.false_negative_share": "Share of mistakes that are false negatives (0-1)",
    "quality.factual_accuracy": "Factual accuracy (generative AI)",
    "quality.wrong_prediction_handling": "Wrong predictions are handled by",
    "quality.evaluation_complexity": "Evaluation complexity",
    "quality.documentation": "Model documentation",
    # technical
    "technical.platform": "Platform",
    "technical.device.count": "Devices or sites",
    "technical.device.ram_gb": "RAM usable per device (GB)",
    "technical.device.accelerator": "Accelerator on the device",
    "technical.device.unit_cost": "Cost of one device (one-off)",
    "technical.device.running_cost_per_year": "Running cost of one device per year",
    "technical.latency_p95_ms": "Latency target, p95 (ms)",
    "technical.model_latency_ms": "Model compute time per prediction (ms)",
    "technical.peak_qps": "Peak queries per second",
    "technical.mean_qps": "Mean queries per second",
    "technical.ram_budget_gb": "RAM budget (GB)",
    "technical.batch_runs_per_year": "Batch runs a year",
    "technical.batch_predictions_per_run": "Predictions per run",
    "technical.batch_window_hours": "Hours a run may take",
    "technical.concurrency_per_server": "Concurrent requests per server",
    "technical.peak_utilisation": "Peak load, share of server capacity",
    "technical.model_parameters_millions": "Model size (millions of parameters)",
    "technical.precision": "Precision",
    "technical.memory_overhead": "Memory overhead (x weights)",
    "technical.tokens_in": "Input tokens per request",
    "technical.tokens_out": "Output tokens per request",
    "technical.time_to_first_token_ms": "Time to first token (ms)",
    "technical.tokens_per_second": "Output tokens per second",
    "technical.tool_calls_per_request": "Tool or API calls per request",
    "technical.interpretability": "Interpretability",
    "technical.retraining": "Retraining",
    "technical.fallback_required": "Non-ML fallback required",
    "technical.distributed_platform": "Complex or distributed platform",
    # costs
    "costs.training_gpu_hours": "GPU-hours per training run",
    "costs.gpu_hour_price": "Price of one GPU-hour",
    "costs.experiments": "Training runs during development",
    "costs.retrains_per_year": "Retraining runs per year",
    "costs.inference_cost_per_1k_requests": "Serving fees per 1,000 requests",
    "costs.server_cost_per_year": "One serving replica per year",
    "costs.price_per_1m_input_tokens": "LLM price per 1M input tokens",
    "costs.price_per_1m_output_tokens": "LLM price per 1M output tokens",
    "costs.storage_per_year": "Storage per year",
    "costs.licences_per_year": "Licences per year",
    "costs.data_purchase": "Data purchase (one-off)",
    "costs.maintenance_share_per_year": "Maintenance per year (share of people cost)",
    "costs.usd_exchange_rate": "1 US dollar in your currency",
    # value
    "value.annual_benefit": "Annual benefit at the target, full adoption",
    "value.horizon_years": "Years of benefit counted",
    "value.model_gate": "Stop if the model falls short",
    "value.discount_rate": "Discount rate per year",
    "value.error_costs_in_benefit": "The annual benefit includes the errors avoided",
    "value.adoption": "Adoption by year (shares, comma-separated)",
    # simulation
    "simulation.trials": "Simulated projects (trials)",
    "simulation.seed": "Random seed",
    "simulation.task_distribution": "Task estimate shape",
    "simulation.correlation": "Shared estimator bias",
    "simulation.reference_class": "Reference class",
    "simulation.phase_sigma": "Phase factor spread",
}

def field_label(path: str) -> str:
    """The short question label of a field."""
    return FIELD_LABELS.get(path) or readable({}, path.rsplit(".", 1)[-1])


EMPTY_SAYS = re.compile(r"\b[Ee]mpty: ([^.;]+)")


def empty_hint(description: str | None) -> str:
    """What an empty box means, as the field's description says it ("Retraining runs per
    year; empty: from the retraining frequency."): a box that read "empty: not known" while
    the estimate filled it from another answer hid a driver. "not known" otherwise."""
    found = EMPTY_SAYS.search(description or "")
    if not found:
        return "empty: not known"
    says = found.group(1).strip()
    return f"empty: {says if len(says) <= 45 else says.split(',')[0]}"  # a box shows ~50
