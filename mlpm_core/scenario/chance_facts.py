"""The chances of success the feasibility scores may name, as ``success.*``.

The chance the answers give is computed from the condition context itself (``success`` reads
``derived.*``), so it cannot be a derived fact: only the scores, which run after it, offer it.
A pydantic model all the same, so that their conditions are type-checked like the others.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ChanceFacts(BaseModel):
    """The team's own chance beside the answers' one."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    answers_p: float | None = Field(None, description="With the team's own chance set, the "
                                    "chance the answers alone give (else null).")
    own_below_answers: float = Field(0.0, description="How far the team's own chance falls "
                                     "below the answers' (0 when above, or not set).")
