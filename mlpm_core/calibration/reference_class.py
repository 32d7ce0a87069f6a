"""Reference classes: how far actual effort lands from its estimate, learnt from finished work.

A reference class describes the ratio ``actual / estimate`` of finished tasks:

* ``kind="lognormal"``: ``log(ratio) ~ Normal(mu, sigma)``.
* ``kind="spike_lognormal"``: with probability ``p_exact`` the task takes exactly its estimate
  (ratio 1: people often book the estimate as the actual), otherwise ``log(ratio) ~ Normal(mu,
  sigma)``.
* ``kind="conformal"``: no formula; each model carries a ``QuantileTable`` of the log-ratio by
  estimate size (see ``quantile_table.py``, fitted by ``conformal.py``). ``p_exact``, ``mu`` and
  ``sigma`` then only summarise the data (share of exact hits, weighted mean and sd).

For the two parametric kinds, optionally ``mu`` and ``sigma`` depend on the size of the
estimate (fitted when it improves the held-out score, see ``calibration.fit_reference_class``)::

    x = log(clip(estimate, size_min, size_max) / size_ref)
    mu(x) = mu + mu_slope * x          sigma(x) = sigma * exp(sigma_slope * x)

so estimates must be in the class's ``estimate_unit``. Clipping to the sizes seen in the data
keeps the size terms from extrapolating.

``shared_mu`` / ``shared_sigma`` describe the log bias shared by all tasks of one project (the
between-project component of the log-ratio variance): the Monte Carlo engine draws one factor
``exp(shared_mu + shared_sigma * z)`` per trial and multiplies every task's effort by it.

Shipped classes live in ``data/reference/NAME.json``; a user's are saved in the store
(``mlpm_core.store``), where a saved class takes precedence over a shipped one of the same name.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from mlpm_core.calibration.quantile_table import QuantileTable
from mlpm_core.errors import UserError
from mlpm_core.files import read_regular_file
from mlpm_core.paths import repo_data_dir

NAME_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")
EXACT_RTOL = 1e-9  # |actual/estimate - 1| below this counts as "exactly on the estimate"
REFERENCE_FILE_LIMIT = 5 * 1024 * 1024
MIN_AMOUNT = 0.001
MAX_AMOUNT = 1e9
"""Smallest and largest estimate or actual: below a thousandth of a unit is a typo or a rounding
artefact, and ratios of numbers such as 5e-324 or 1e308 overflow the fit."""
RatioKind = Literal["lognormal", "spike_lognormal", "conformal"]


class RatioModel(BaseModel):
    """Distribution of ``actual / estimate`` for one group of tasks (all of them, or one phase)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    n_points: int = Field(ge=1, description="tasks the parameters were fitted on")
    p_exact: float = Field(default=0.0, ge=0.0, lt=1.0, description="share with ratio exactly 1")
    mu: float = Field(description="mean log-ratio of the tasks off their estimate, at size_ref")
    sigma: float = Field(gt=0.0, description="sd of that log-ratio, at size_ref")
    size_ref: float = Field(default=1.0, gt=0.0, description="geometric mean estimate")
    size_min: float = Field(default=1e-300, gt=0.0)
    size_max: float = Field(default=1e300, gt=0.0)
    mu_slope: float = 0.0
    sigma_slope: float = 0.0
    table: QuantileTable | None = Field(default=None, description="only for kind 'conformal'")

    def _size_params(self, estimates: ArrayLike | None
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if estimates is None:
            x = np.zeros(())
        else:
            e = np.clip(_positive_array(estimates, "estimate"), self.size_min, self.size_max)
            x = np.log(e / self.size_ref)
        mu = self.mu + self.mu_slope * x
        sigma = self.sigma * np.exp(self.sigma_slope * x)
        return np.broadcast_to(self.p_exact, mu.shape), mu, sigma


class ReferenceClass(RatioModel):
    """A named, attributed ratio model with optional per-phase parameters and a shared bias."""

    name: str = Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")
    description: str = ""
    source: str = ""
    licence: str = ""
    attribution: str = ""
    kind: RatioKind = "spike_lognormal"
    estimate_unit: str = "hours"
    phases: dict[str, RatioModel] = Field(default_factory=dict)
    shared_mu: float = Field(default=0.0, description="mean log bias of a project")
    shared_sigma: float = Field(default=0.0, ge=0.0, description="between-project sd of it")
    within_sigma: float | None = Field(default=None, ge=0.0, description="within-project sd")
    n_groups: int = Field(default=0, ge=0, description="projects behind shared_sigma")
    spread_from: str = Field(default="", description="the class shared_sigma and n_groups "
                             "are borrowed from ('' when learnt from these tasks' projects)")

    @model_validator(mode="after")
    def _lognormal_has_no_spike(self) -> ReferenceClass:
        if self.kind == "lognormal" and (
            self.p_exact > 0 or any(m.p_exact > 0 for m in self.phases.values())
        ):
            raise ValueError("a 'lognormal' reference class must have p_exact = 0")
        tables = [m.table is not None for m in (self, *self.phases.values())]
        if self.kind == "conformal" and not all(tables):
            raise ValueError("a 'conformal' reference class needs a table for every model")
        if self.kind != "conformal" and any(tables):
            raise ValueError(f"a {self.kind!r} reference class has no quantile table")
        return self

    # ------------------------------------------------------------------ distribution
    def params(self, estimates: ArrayLike | None = None,
               phase: ArrayLike | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(p_exact, mu, sigma)`` per estimate; phase is None, one name, or one per estimate.

        Unknown phases (or phases without enough data to be fitted) use the pooled parameters.
        For a ``conformal`` class these are only the summary fields (no size terms): its
        quantiles, intervals and draws come from the tables.
        """
        if phase is None or isinstance(phase, str):
            model = self.phases.get(phase, self) if phase is not None else self
            return model._size_params(estimates)
        phase = np.asarray(phase, dtype=object)
        e = None if estimates is None else np.broadcast_to(
            _positive_array(estimates, "estimate"), phase.shape)
        pe, mu, sigma = (np.empty(phase.shape) for _ in range(3))
        for name in set(phase.ravel().tolist()):
            mask = phase == name
            model = self.phases.get(name, self) if isinstance(name, str) else self
            out = model._size_params(None if e is None else e[mask])
            for target, values in zip((pe, mu, sigma), out, strict=True):
                target[mask] = values
        return pe, mu, sigma

    def quantile(self, p: ArrayLike, estimates: ArrayLike | None = None,
                 phase: ArrayLike | None = None) -> np.ndarray:
        """Ratio quantile ``Q(p) = inf{r: F(r) >= p}`` of the mixture, vectorised over p/estimates.

        Without estimates the parameters at ``size_ref`` (a typical task) are used.
        """
        p = np.asarray(p, dtype=float)
        if not np.all((p > 0) & (p < 1)):
            raise UserError("Probabilities for a quantile must lie strictly between 0 and 1.")
        return self._ratio_quantile(p, estimates, phase)

    def _ratio_quantile(self, p: ArrayLike, estimates: ArrayLike | None,
                        phase: ArrayLike | None, interval: bool = False) -> np.ndarray:
        """Ratio quantiles; ``interval``: at a conformal table's recalibrated interval levels."""
        if self.kind != "conformal":
            return mixture_quantile(p, *self.params(estimates, phase))
        if phase is None or isinstance(phase, str):
            model = self.phases.get(phase, self) if phase is not None else self
            return _table_ratio(model, p, estimates, interval)
        labels = np.asarray(phase, dtype=object)
        if estimates is None:
            p_arr, labels = np.broadcast_arrays(np.asarray(p, dtype=float), labels)
            e = None
        else:
            p_arr, labels, e = np.broadcast_arrays(
                np.asarray(p, dtype=float), labels, _positive_array(estimates, "estimate"))
        out = np.empty(p_arr.shape)
        for name in set(labels.ravel().tolist()):
            mask = labels == name
            model = self.phases.get(name, self) if isinstance(name, str) else self
            out[mask] = _table_ratio(model, p_arr[mask], None if e is None else e[mask],
                                     interval)
        return out

    def interval(self, estimates: ArrayLike, level: float, phase: ArrayLike | None = None
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Central calibrated interval ``(low, median, high)`` in the estimates' unit.

        Closed at both ends; when an end falls on the spike it is exactly the estimate.
        """
        level = check_level(level)
        e = _positive_array(estimates, "estimate")
        probs = ((1 - level) / 2, 0.5, (1 + level) / 2)
        low, median, high = (e * self._ratio_quantile(np.asarray(q), e, phase, interval=True)
                             for q in probs)
        return low, median, high

    def sample_ratio(self, rng: np.random.Generator, n: int, estimates: ArrayLike | None = None,
                     phase: ArrayLike | None = None) -> np.ndarray:
        """``n`` independent draws of ``actual / estimate`` (estimates broadcast to ``(n,)``)."""
        if self.kind == "conformal":
            e = None if estimates is None else np.broadcast_to(
                _positive_array(estimates, "estimate"), (n,))
            ph = phase if phase is None or isinstance(phase, str) else np.broadcast_to(
                np.asarray(phase, dtype=object), (n,))
            return self._ratio_quantile(rng.random(n), e, ph)
        pe, mu, sigma = (np.broadcast_to(a, (n,)) for a in self.params(estimates, phase))
        exact = rng.random(n) < pe
        z = rng.standard_normal(n)
        return np.where(exact, 1.0, np.exp(mu + sigma * z))

    @property
    def bias_median(self) -> float:
        """The median estimator-bias factor on a project's total, ``exp(shared_mu)``."""
        return float(np.exp(self.shared_mu))

    def sample_shared_factor(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """``n`` per-trial estimator-bias factors ``exp(shared_mu + shared_sigma * z)``."""
        return np.exp(self.shared_mu + self.shared_sigma * rng.standard_normal(n))


def mixture_quantile(p: ArrayLike, p_exact: ArrayLike, mu: ArrayLike, sigma: ArrayLike
                     ) -> np.ndarray:
    """Quantile of "point mass p_exact at 1, else lognormal(mu, sigma)", broadcasting all args.

    scipy.special is imported here, not with the module: estimates load reference classes but
    only calibration asks for quantiles, and the import costs about 0.2 s.
    """
    from scipy import special

    p, p_exact, mu, sigma = np.broadcast_arrays(*(np.asarray(a, float) for a in
                                                  (p, p_exact, mu, sigma)))
    below = (1 - p_exact) * special.ndtr(-mu / sigma)  # F(1-): mass strictly below ratio 1
    above = below + p_exact  # F(1)
    cont = (1 - p_exact)
    z_low = special.ndtri(np.clip(p / cont, 0.0, 1.0))
    z_high = special.ndtri(np.clip((p - p_exact) / cont, 0.0, 1.0))
    with np.errstate(over="ignore"):
        return np.where(p <= below, np.exp(mu + sigma * z_low),
                        np.where(p > above, np.exp(mu + sigma * z_high), 1.0))


def _table_ratio(model: RatioModel, p: ArrayLike, estimates: ArrayLike | None,
                 interval: bool) -> np.ndarray:
    """Ratio quantiles of a model's quantile table (a validated conformal class has one)."""
    if model.table is None:
        raise ValueError("model has no quantile table")
    e = None if estimates is None else _positive_array(estimates, "estimate")
    level = model.table.interval_level(p) if interval else p
    return np.asarray(np.exp(model.table.log_quantile(level, e)))


def check_level(level: float) -> float:
    """The interval level as a float strictly between 0 and 1, else a UserError."""
    try:
        level = float(level)
    except (TypeError, ValueError):
        raise UserError(f"The interval level must be a number, got {level!r}.") from None
    if not 0 < level < 1:
        raise UserError(f"The interval level must be between 0 and 1 (e.g. 0.8), got {level}.")
    return level


def _positive_array(values: ArrayLike, what: str) -> np.ndarray:
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise UserError(f"Every {what} must be a number.") from None
    bad = ~(np.isfinite(arr) & (arr > 0))
    if bad.any():
        first = arr[bad].ravel()[0]
        raise UserError(f"Every {what} must be a positive, finite number; found {first!r} "
                        f"({int(bad.sum())} such value(s)).")
    return arr


# ---------------------------------------------------------------------- files
def validate_name(name: str) -> str:
    """A reference-class name: 1-64 letters, digits, '_' or '-' (it becomes a file name)."""
    if not isinstance(name, str) or not NAME_RE.fullmatch(name):
        raise UserError(f"Reference class names use 1-64 letters, digits, '_' or '-'; "
                        f"{name!r} is not allowed.")
    return name


def shipped_reference_dir() -> Path:
    """``data/reference/`` in the repository: reference classes shipped with mlpm."""
    return repo_data_dir() / "reference"


def shipped_reference_path(name: str) -> Path:
    """Where the shipped reference class ``name`` is (or would be) stored."""
    return shipped_reference_dir() / f"{validate_name(name)}.json"


def parse_reference(text: str, what: str) -> ReferenceClass:
    try:
        return ReferenceClass.model_validate(json.loads(text))
    except json.JSONDecodeError as exc:
        raise UserError(f"{what} is not valid JSON ({exc}).") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "file"
        raise UserError(f"{what} is not a valid reference class: {where}: "
                        f"{first['msg']}.") from None


def read_reference_file(path: Path) -> ReferenceClass:
    """Load one reference-class JSON file, turning bad content into a readable UserError."""
    path = Path(path)
    if not path.exists():
        raise UserError(f"No reference class file at {path}.")
    try:
        text = read_regular_file(path, REFERENCE_FILE_LIMIT).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UserError(f"{path.name} is not valid JSON ({exc}).") from None
    return parse_reference(text, path.name)


def shipped_reference_class(name: str = "default") -> ReferenceClass:
    """The reference class ``name`` shipped with mlpm in ``data/reference/``.

    A class the user saved is the store's business (``mlpm_core.store.load_reference_class``
    looks there first); the engine falls back to this when its caller hands it no class.
    """
    path = shipped_reference_path(name)
    if not path.is_file():
        shipped = ", ".join(sorted(shipped_reference_names())) or "none"
        raise UserError(f"No reference class named {name!r} is shipped with mlpm (shipped: "
                        f"{shipped}); a saved class is looked up in the store.")
    return read_reference_file(path)


def shipped_reference_names() -> list[str]:
    """Names of the reference classes shipped in ``data/reference/``."""
    return sorted(path.stem for path in shipped_reference_dir().glob("*.json")
                  if NAME_RE.fullmatch(path.stem))
