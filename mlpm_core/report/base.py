"""The base of every report block."""

from pydantic import BaseModel, ConfigDict


class ReportModel(BaseModel):
    """Base of every report block: unknown fields are a bug, not a silent extra."""

    model_config = ConfigDict(extra="forbid")
