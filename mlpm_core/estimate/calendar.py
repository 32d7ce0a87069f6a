"""From person-days to calendar days: phases, ongoing work and calendar waits.

Phases run one after another and, within a phase, roles work in parallel at their FTE: a phase
lasts as long as its longest role. Some work belongs to no phase: management, stakeholder
check-ins and reviews go on for as long as the project does. Paced as a phase of their own they
would add their whole length to the date (40 days of check-ins at half time became 16 weeks of
planning). Instead an ongoing task takes a steady share of its role's time over the project's
length ``D``, so its role works on phased tasks at ``FTE - ongoing days / D`` and

    D = sum over phases of max over roles of (phase days / (FTE - ongoing days / D)),

or, when the ongoing work outlasts the phases, ``D = ongoing days / FTE`` of its busiest role.
The right side falls as ``D`` grows, so each trial's ``D`` is found by bisection.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mlpm_core.estimate.sampling import draw, side_stream
from mlpm_core.scenario import PHASES, Range

BISECTION_STEPS = 20
"""Halvings of the bracket [D0, 2 D0]: a millionth of the length, far below an hour."""


@dataclass(frozen=True)
class Pace:
    """Calendar days (person-days after the multipliers / FTE) summed, or averaged, over
    trials: ``pair_days`` per phased (phase, role) pair of ``pair_phase``/``pair_role``, and
    ``phase_days`` per phase of ``PHASES``. A phase lasts as long as its longest role, so the
    largest of its phased pairs says, on average, who sets its pace. ``ongoing_share`` is, per
    role, the share of its time its ongoing tasks take; ``overrun_days`` the days the ongoing
    work goes on after the last phase. The phases, ``overrun_days`` and ``wait_days`` (the
    scenario's calendar waits, in work days) add up to the duration."""

    pair_days: np.ndarray
    phase_days: np.ndarray
    wait_days: float = 0.0
    ongoing_share: np.ndarray | None = None
    overrun_days: float = 0.0
    role_days: np.ndarray | None = None
    """Per role, all its days (phased and ongoing) at its FTE: the overlapped schedule's
    length is the longest of them in each trial, so the largest says who sets it."""


def mean_pace(paces: list[Pace], trials: int) -> Pace:
    """The pace of a run: its chunks' sums over trials, divided by the trials."""
    shares = [pace.ongoing_share for pace in paces if pace.ongoing_share is not None]
    roles = [pace.role_days for pace in paces if pace.role_days is not None]
    return Pace(pair_days=np.sum([pace.pair_days for pace in paces], axis=0) / trials,
                phase_days=np.sum([pace.phase_days for pace in paces], axis=0) / trials,
                wait_days=sum(pace.wait_days for pace in paces) / trials,
                ongoing_share=np.sum(shares, axis=0) / trials if shares else None,
                overrun_days=sum(pace.overrun_days for pace in paces) / trials,
                role_days=np.sum(roles, axis=0) / trials if len(roles) == len(paces) else None)


def phased_pairs(slot_phase: np.ndarray, slot_role: np.ndarray, slot_ongoing: np.ndarray,
                 ) -> tuple[list[tuple[int, int]], np.ndarray]:
    """The (phase, role) pairs of the phased slots, in phase then role order, and each slot's
    pair (-1 for an ongoing slot). Slots split a role's phase by the risk its tasks cover."""
    pairs = sorted({(int(phase), int(role)) for phase, role, ongoing
                    in zip(slot_phase, slot_role, slot_ongoing, strict=True) if not ongoing})
    slot_pair = np.array([-1 if ongoing else pairs.index((int(phase), int(role)))
                          for phase, role, ongoing
                          in zip(slot_phase, slot_role, slot_ongoing, strict=True)],
                         dtype=np.intp).reshape(-1)
    return pairs, slot_pair


def phase_calendar(pairs: np.ndarray, pair_phase: np.ndarray, pair_role: np.ndarray,
                   ftes: list[float | np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Calendar days per phase and trial from person-days per (phase, role) pair and trial:
    a role works at its FTE, a phase lasts as long as its longest role (a missing pair, zero
    days, never changes it). Also each pair's calendar days summed over trials. A certain FTE
    of exactly 1 skips the division, which would be exact."""
    n = pairs.shape[1]
    calendar_days = np.zeros((len(PHASES), n))
    pair_days = np.zeros(len(pairs))
    days = np.empty(n)
    for pair, (row, phase, role) in enumerate(zip(pairs, pair_phase, pair_role, strict=True)):
        fte = ftes[role]
        role_days = row if np.ndim(fte) == 0 and fte == 1.0 else np.divide(row, fte, out=days)
        np.maximum(calendar_days[phase], role_days, out=calendar_days[phase])
        pair_days[pair] = role_days.sum()
    return calendar_days, pair_days


def shared_pace(phased: list[tuple[int, int, np.ndarray]], ongoing: OngoingWork,
                ftes: list[float | np.ndarray], plain: np.ndarray) -> tuple[np.ndarray, Pace]:
    """Each trial's length in days and the pace, when the ``ongoing`` work shares its roles'
    time with the ``phased`` (phase, role, person-days per trial) pairs. ``plain`` is each
    phase's calendar days per trial without ongoing work."""
    result = with_ongoing(phased, ongoing, ftes, plain)
    return result.total, Pace(
        pair_days=result.pair_days, phase_days=result.calendar.sum(axis=1),
        ongoing_share=result.shares,
        overrun_days=float((result.total - result.calendar.sum(axis=0)).sum()))


@dataclass(frozen=True)
class OngoingWork:
    """Per role, the ongoing tasks' person-days (after the multipliers) of every trial."""

    days: np.ndarray  # (roles, n)
    roles: tuple[int, ...]  # the roles with ongoing tasks


@dataclass(frozen=True)
class SharedCalendar:
    """Calendar days with the ongoing work taking its share: per phase and trial, each
    trial's length, and summed over trials per phased pair and the ongoing share per role."""

    calendar: np.ndarray  # (phases, n)
    total: np.ndarray  # (n,)
    pair_days: np.ndarray  # (phased pairs,)
    shares: np.ndarray  # (roles,)


def with_ongoing(phased: list[tuple[int, int, np.ndarray]], ongoing: OngoingWork,
                 ftes: list[float | np.ndarray], plain: np.ndarray) -> SharedCalendar:
    """Calendar days with the ongoing work taking its share of its roles' time.

    ``phased`` holds (phase, role, person-days) of every phased pair; ``plain`` is each
    phase's calendar days per trial without ongoing work, the least they can be. Only the
    phases a role with ongoing work takes part in change with the length, so only those are
    recomputed while the length is searched for."""
    phases = plain.shape[0]
    ongoing_fte = {role: ongoing.days[role] / ftes[role] for role in ongoing.roles}
    floor = np.maximum(plain.sum(axis=0), np.max(list(ongoing_fte.values()), axis=0))
    moving = {phase for phase, role, _ in phased if role in ongoing.roles}
    fixed = plain[[phase for phase in range(phases) if phase not in moving]].sum(axis=0)
    searched = [pair for pair in phased if pair[0] in moving]
    def longer(length: np.ndarray) -> np.ndarray:
        days = _phase_days(searched, ongoing, ftes, phases, length, keep_pairs=False)[0]
        return np.asarray(days.sum(axis=0) + fixed > length)

    with np.errstate(divide="ignore", invalid="ignore"):
        # where the least length already holds everything (the ongoing work fits beside phases
        # its role does not pace), it is the answer exactly; elsewhere it lies in (floor, 2 floor]
        low, high = floor.copy(), np.where(longer(floor), 2.0 * floor, floor)
        for _ in range(BISECTION_STEPS):
            middle = 0.5 * (low + high)
            above = longer(middle)
            low, high = np.where(above, middle, low), np.where(above, high, middle)
        calendar, pairs = _phase_days(phased, ongoing, ftes, phases, high)
        shares = np.zeros(len(ftes))
        for role, days in ongoing_fte.items():
            shares[role] = float(np.nan_to_num(days / high).sum())
    empty = floor == 0  # a trial without work has no length to share
    calendar[:, empty] = 0.0
    return SharedCalendar(calendar=calendar, total=np.where(empty, 0.0, high),
                          pair_days=np.array([float(np.where(empty, 0.0, days).sum())
                                              for days in pairs]), shares=shares)


def _phase_days(phased: list[tuple[int, int, np.ndarray]], ongoing: OngoingWork,
                ftes: list[float | np.ndarray], phases: int, length: np.ndarray,
                keep_pairs: bool = True) -> tuple[np.ndarray, list[np.ndarray]]:
    """Each phase's calendar days, and each phased pair's, when the project lasts ``length``
    days: the ongoing work leaves its role ``FTE - ongoing days / length`` for phased work
    (none left: endless)."""
    free = {role: ftes[role] - ongoing.days[role] / length for role in ongoing.roles}
    calendar = np.zeros((phases, len(length)))
    pairs = []
    for phase, role, days in phased:
        share = free.get(role, ftes[role])
        # no time left: days / 0 is endless, and 0 / 0 (no days) is NaN, which fmax skips
        needed = days / np.maximum(share, 0.0)
        np.fmax(calendar[phase], needed, out=calendar[phase])
        if keep_pairs:
            pairs.append(np.nan_to_num(needed, nan=0.0, posinf=np.inf))
    return calendar, pairs


def overlapped_days(by_role: np.ndarray, ftes: list[float | np.ndarray],
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Per trial, the days the team's time alone allows: each role works through all its
    days, phased and ongoing, at its FTE without waiting for the phase before, so the busiest
    role sets the length. No plan with this staffing is shorter (a phase lasting as long as its
    longest role sums, over phases, at least any one role's days), and phases in order are
    the other end: a deadline only the overlapped schedule meets is a planning condition, not
    a no-go (``Outcome.overlapped_weeks_p50``). Also each role's days at its FTE summed over
    the trials (``Pace.role_days``)."""
    longest = np.zeros(by_role.shape[1])
    sums = np.zeros(len(by_role))
    for role, (days, fte) in enumerate(zip(by_role, ftes, strict=True)):
        calendar = days / fte
        np.maximum(longest, calendar, out=longest)
        sums[role] = calendar.sum()
    return longest, sums


OVERLAP_SHOWN_WEEKS = 0.05
"""Less than this off the median is not worth saying (one role, or one pacer throughout)."""


def overlap_shortens(gated_p50: float | None, overlapped_p50: float | None) -> bool:
    """Whether overlapping the phases takes enough off the median duration to be said."""
    return (gated_p50 is not None and overlapped_p50 is not None
            and gated_p50 - overlapped_p50 >= OVERLAP_SHOWN_WEEKS)


WAITS_STREAM = 1
"""The key of the calendar waits' own random stream beside a chunk's (``side_stream``)."""


def calendar_waits(wait: Range, rng: np.random.Generator, n: int) -> float | np.ndarray:
    """Calendar weeks waited per trial, drawn only when uncertain and from a stream of their
    own, so that adding or changing a wait moves no other draw: the cost stays, and the NPV
    moves only by the later start."""
    if wait.is_certain:
        return wait.low
    weeks: np.ndarray = np.maximum(draw(side_stream(rng, WAITS_STREAM), wait, n), 0.0)
    return weeks  # a normal range may dip below 0
