"""Human labels of the options of the scenario's choice fields, for the app and the reports.

The form shows them in its select boxes and the report's key answers print them, so a PDF never
says "augment manual" where the page said "Augment a manual process". An option missing from
these tables still gets a readable label from its code.
"""

from __future__ import annotations

from mlpm_core.scenario.labels import label as readable
from mlpm_core.scenario.vocabulary import PHASE_LABELS, ROLE_LABELS

# Option labels that differ by field.
FIELD_OPTION_LABELS: dict[str, dict[str, str]] = {
    "project.scope": {"from_team": "From the team: a small team, a smaller project",
                      "full": "Full scope: what team does the work need?"},
    "project.task_type": {"forecasting": "Time-series forecasting",
                          "anomaly_detection": "Anomaly detection (few or no labels)"},
    "data.genai_route": {"none": "No generative AI"},
    "data.features_at_serving": {"all": "All", "most": "Most", "some": "Only some"},
    "difficulty.genai_input_source": {"none": "No generative AI"},
    "difficulty.genai_output_use": {"none": "No generative AI"},
    "quality.factual_accuracy": {"none": "Does not matter"},
    "quality.metric_counts": {"from_name": "Read it from the metric's name",
                              "cases_right": "The share of cases got right (an accuracy)",
                              "cases_wrong": "The share of cases got wrong (an error rate)",
                              "other": "Something else: a share of some cases (a recall) "
                                       "or a score (F1, AUC, an error size)"},
    "quality.scale": {"from_values": "Read it from the values",
                      "share": "Shares from 0 to 1 (0.85)", "percent": "Percent (85)",
                      "other": "Another scale (a lift, an error in units)"},
    "quality.wrong_prediction_handling": {"none": "Nothing handles them"},
    "value.model_gate": {"none": "No gate: the whole plan is delivered",
                         "experimentation": "At the end of Experimentation",
                         "pipeline": "At the end of Pipeline building"},
    "technical.interpretability": {"none": "Not needed"},
    "technical.device.accelerator": {"none": "None (the CPU runs it)",
                                     "npu": "NPU (neural engine, edge TPU)", "gpu": "GPU"},
    # as the task and team tables say them (a participant's card said "Ml engineer")
    "task.role": ROLE_LABELS,
    "task.phase": PHASE_LABELS,
}

OPTION_LABELS: dict[str, str] = {
    "improve_existing": "Improve an existing process",
    "augment_manual": "Augment a manual process",
    "automate_manual": "Automate a manual process",
    "mvp": "MVP",
    "good_enough": "Yes, good enough",
    "partly": "Partly",
    "no": "No",
    "unknown": "Don't know yet",
    "not_needed": "Not needed (none is required for this data)",
    "documented": "Documented",
    "unclear": "Unclear",
    "none": "None",
    "some_issues": "Some issues",
    "peft": "Parameter-efficient tuning (PEFT)",
    "fine_tuning": "Fine-tuning",
    "rag": "Retrieval-augmented generation (RAG)",
    "pretraining": "Periodic pre-training",
    "real_time": "Real time",
    "public_solution": "A public solution exists (e.g. Kaggle, model hub)",
    "sota_model": "A state-of-the-art model exists",
    "similar": "Something similar has been done",
    "novel": "Nothing like it",
    "trusted_users": "Trusted users",
    "public": "The public",
    "internal_review": "Reviewed internally",
    "shown_to_users": "Shown to users",
    "automated_actions": "Triggers automated actions",
    "human_review": "Human review",
    "user_feedback": "User feedback",
    "automated_fallback": "Automated fallback",
    "online": "Online server",
    "browser": "In the browser",
    "on_device": "On a device (phone, edge gateway, embedded)",
    "batch": "Offline batch",
    "fp32": "FP32",
    "fp16": "FP16",
    "int8": "INT8",
    "int4": "INT4",
    "pert": "PERT",
    "lognormal": "Lognormal",
    "ranged": "Ranged multipliers",
    "strict": "Strict (exact factor)",
}


def option_label(path: str, option: str) -> str:
    """The human label of one option of a choice field."""
    specific = FIELD_OPTION_LABELS.get(path, {})
    return specific.get(option) or OPTION_LABELS.get(option) or readable({}, option)
