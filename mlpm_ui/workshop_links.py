"""Workshop links: the participants' join link built from the facilitator's address, and back.

Pure functions (no Streamlit), so the link rules are unit-tested. The link is
``<the app's address>/join?room=<token>``: the join page is found next to the page the
facilitator is on, so a deployment under a path prefix (``server.baseUrlPath``) or behind a
proxy gets links that work, as long as the facilitator opened the app through the address the
participants can reach.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

JOIN_PAGE = "join"
FACILITATOR_PAGE = "workshop"
ROOM_PARAM = "room"
SEAT_PARAM = "seat"
SEAT_SEPARATOR = "."  # neither a uuid's hex nor a token_urlsafe secret contains it
MAX_LINK = 2000


def join_link(current_url: str | None, token: str, current_page: str = FACILITATOR_PAGE) -> str:
    """The join link for ``token`` next to ``current_url`` (the facilitator's page address).

    Without a known address (e.g. in tests) the link is relative: ``join?room=<token>``.
    """
    query = urlencode({ROOM_PARAM: token})
    if not current_url:
        return f"{JOIN_PAGE}?{query}"
    parts = urlsplit(current_url)
    path = parts.path.rstrip("/")
    if path.endswith("/" + current_page) or path == current_page:
        path = path[: -len(current_page)]
    else:
        path += "/"
    return urlunsplit((parts.scheme, parts.netloc, path + JOIN_PAGE, query, ""))


def token_from_link(text: str | None) -> str | None:
    """The room token in a pasted join link, or the text itself when it is a bare token.

    Returns None for empty or overlong input; whether the token is valid is for the store to say.
    """
    cleaned = (text or "").strip()
    if not cleaned or len(cleaned) > MAX_LINK:
        return None
    if "?" in cleaned or "://" in cleaned or "=" in cleaned:
        query = urlsplit(cleaned).query or cleaned.split("?", 1)[-1]
        found = parse_qs(query).get(ROOM_PARAM)
        return found[0].strip() if found and found[0].strip() else None
    return cleaned


def seat_param(participant_id: str, secret: str) -> str:
    """The value of a participant's ``seat`` query parameter: who they are in the room."""
    return f"{participant_id}{SEAT_SEPARATOR}{secret}"


def seat_from_param(value: str | None) -> tuple[str, str] | None:
    """The participant id and secret in a ``seat`` parameter; None when it is not one (whether
    it is valid is for the store to say)."""
    participant_id, separator, secret = (value or "").strip().partition(SEAT_SEPARATOR)
    if not separator or not participant_id or not secret or len(value or "") > MAX_LINK:
        return None
    return participant_id, secret
