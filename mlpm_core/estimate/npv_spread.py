"""What drives the spread of the NPV, in words.

The report said what drives the spread of effort and cost, and nothing of the NPV's, where the
widest swing is whether the model reaches its acceptability threshold at all (a review saw one
answer move the mean NPV by a third, said nowhere). That is a yes or no: the share of the NPV's
variance it explains is its squared correlation with the NPV (for a yes or no, exactly the
variance between the two groups over the whole). Among the projects whose model reaches the
threshold the other inputs share the rest by squared correlation, as the cost's drivers do.
The delivery time is left out: it shares the effort draws with the delivery cost, so the two
would split one cause between them.
"""

from __future__ import annotations

import numpy as np

from mlpm_core.estimate.sensitivity import above_noise, squared_correlations


def npv_spread_sentence(success: np.ndarray, inputs: dict[str, np.ndarray],
                        npv: np.ndarray) -> str:
    """'45% of the spread in NPV comes from whether the model reaches its threshold; where it
    does, 71% from the annual benefit', said like the cost's and the effort's top
    driver. ``inputs`` are the per-trial draws by name, aligned with ``success`` and ``npv``."""
    if npv.size < 2 or np.ptp(npv) == 0:
        return "Nothing uncertain drives the NPV: every input is a single number."
    rate = float(success.mean())
    working = success.astype(bool)
    named = _shares({name: values[working] for name, values in inputs.items()}, npv[working])
    if not 0 < rate < 1:
        if not named:
            return "Nothing uncertain drives the NPV beyond sampling noise."
        name, share = named[0]
        return f"{share:.0%} of the spread in NPV comes from {name}."
    explained = float(squared_correlations(success[None, :].astype(float), npv[None, :])[0, 0])
    head = (f"{explained:.0%} of the spread in NPV comes from whether the model reaches its "
            "threshold")
    if not named:
        return f"{head}."
    name, share = named[0]
    return f"{head}; where it does, {share:.0%} from {name}."


def _shares(inputs: dict[str, np.ndarray], npv: np.ndarray) -> list[tuple[str, float]]:
    """The inputs beyond sampling noise with their shares of the squared correlations,
    largest first."""
    varying = {name: values for name, values in inputs.items()
               if values.size > 1 and np.ptp(values) > 0}
    if not varying or npv.size < 2:
        return []
    squared = squared_correlations(np.stack(list(varying.values())), npv[None, :])[:, 0]
    kept = above_noise(squared[:, None], npv.size)
    total = float(squared.sum())
    if total <= 0:
        return []
    ranked = [(name, float(value) / total) for name, value, keep
              in zip(varying, squared, kept, strict=True) if keep]
    return sorted(ranked, key=lambda item: item[1], reverse=True)

