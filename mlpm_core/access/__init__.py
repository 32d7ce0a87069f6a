"""Who may use the workbench: the meeting-room key (solo use needs none)."""

from mlpm_core.access.workbench_key import (
    KEY_HASH_ENV,
    key_hash,
    key_matches,
    lock_from_environment,
    needs_key,
    new_key,
)

__all__ = ["KEY_HASH_ENV", "key_hash", "key_matches", "lock_from_environment", "needs_key",
           "new_key"]
