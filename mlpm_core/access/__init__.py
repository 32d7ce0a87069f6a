"""Who may use the workbench and what each person may see and change.

The meeting-room key (``workbench_key``) opens a server to the browser that brought it; in team
mode an ``Identity`` from the sign-in provider is checked against each item's owner and shares
(``policy``), by the store's guard on every read and write.
"""

from mlpm_core.access.identity import (
    ADMIN_EMAIL_ENV,
    LOCAL,
    LOCAL_OWNER,
    TEAM,
    Identity,
    admin_from,
    checked_email,
    team_identity,
)
from mlpm_core.access.policy import (
    AccessDenied,
    Grant,
    Level,
    ReadOnlyShare,
    SignInRequired,
    level,
    require,
    signed_in,
)
from mlpm_core.access.workbench_key import (
    KEY_HASH_ENV,
    key_hash,
    key_matches,
    lock_from_environment,
    needs_key,
    new_key,
)

__all__ = ["ADMIN_EMAIL_ENV", "KEY_HASH_ENV", "LOCAL", "LOCAL_OWNER", "TEAM", "AccessDenied",
           "Grant", "Identity", "Level", "ReadOnlyShare", "SignInRequired", "admin_from",
           "checked_email", "key_hash", "key_matches", "level", "lock_from_environment",
           "needs_key", "new_key", "require", "signed_in", "team_identity"]
