"""Persistence: scenarios, actuals, reference classes and workshop rooms in SQL.

Lazy: only the parts a caller uses are imported, so a command line that reads a shipped
reference class never pays for importing SQLAlchemy.
"""

from typing import TYPE_CHECKING

from mlpm_core.lazy import lazy_attributes

if TYPE_CHECKING:
    from mlpm_core.store.database import Store, open_store, resolve_url, shared_store
    from mlpm_core.store.guarded import GuardedStore
    from mlpm_core.store.reference_classes import (
        check_new_reference_name,
        list_reference_classes,
        load_reference_class,
        reference_for,
        save_reference_class,
    )
    from mlpm_core.store.room_access import PARTICIPANT_REFUSED, ProvenanceRecord, SubmitReceipt
    from mlpm_core.store.room_codes import room_code
    from mlpm_core.store.rooms import (
        adopt,
        archive_room,
        close_room,
        delete_room,
        join,
        list_rooms,
        next_round,
        open_room,
        participant_for,
        participant_status,
        provenance,
        reissue_seat,
        reopen_room,
        reveal_names,
        room_for_facilitator,
        room_for_token,
        room_view,
        submit,
    )
    from mlpm_core.store.sponsor_links import SponsorLink, SponsorLinkRefused, open_sponsor_link

_WHERE = {
    "database": (
        "Store",
        "open_sponsor_link",
    "open_store",
        "resolve_url",
        "shared_store",
    ),
    "guarded": ("GuardedStore",),
    "sponsor_links": ("SponsorLink", "SponsorLinkRefused", "open_sponsor_link"),
    "reference_classes": (
        "check_new_reference_name",
        "list_reference_classes",
        "load_reference_class",
        "reference_for",
        "save_reference_class",
    ),
    "room_access": (
        "PARTICIPANT_REFUSED",
        "ProvenanceRecord",
        "SubmitReceipt",
    ),
    "room_codes": ("room_code",),
    "rooms": (
        "adopt",
        "archive_room",
        "close_room",
        "delete_room",
        "join",
        "list_rooms",
        "next_round",
        "open_room",
        "participant_for",
        "participant_status",
        "provenance",
        "reissue_seat",
        "reopen_room",
        "reveal_names",
        "room_for_facilitator",
        "room_for_token",
        "room_view",
        "submit",
    ),
}
__getattr__, __dir__ = lazy_attributes(__name__, _WHERE)

__all__ = [
    "PARTICIPANT_REFUSED",
    "GuardedStore",
    "ProvenanceRecord",
    "SponsorLink",
    "SponsorLinkRefused",
    "Store",
    "SubmitReceipt",
    "adopt",
    "archive_room",
    "check_new_reference_name",
    "close_room",
    "delete_room",
    "join",
    "list_reference_classes",
    "list_rooms",
    "load_reference_class",
    "next_round",
    "open_room",
    "open_sponsor_link",
    "open_store",
    "participant_for",
    "participant_status",
    "provenance",
    "reference_for",
    "reissue_seat",
    "reopen_room",
    "resolve_url",
    "reveal_names",
    "room_code",
    "room_for_facilitator",
    "room_for_token",
    "room_view",
    "save_reference_class",
    "shared_store",
    "submit",
]
