"""Workshop links: the participants' join link, which address it starts with, and back.

Pure functions (no Streamlit), so the link rules are unit-tested. The link is
``<the app's address>/join?room=<token>``. Which address: ``join_base`` says (a public URL from
MLPM_PUBLIC_URL, else an address other devices can reach, else a loopback address flagged as
unreachable so the page can say so and how to fix it).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from mlpm_core.errors import UserError

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


def seat_link(link: str, participant_id: str, secret: str) -> str:
    """A participant's own page address: the room's join link (``join?room=...``) with their
    seat, which the join page reads to carry on as them. The facilitator hands it over when a
    participant lost theirs (``reissue_seat``)."""
    return f"{link}&{urlencode({SEAT_PARAM: seat_param(participant_id, secret)})}"


def seat_from_param(value: str | None) -> tuple[str, str] | None:
    """The participant id and secret in a ``seat`` parameter; None when it is not one (whether
    it is valid is for the store to say)."""
    participant_id, separator, secret = (value or "").strip().partition(SEAT_SEPARATOR)
    if not separator or not participant_id or not secret or len(value or "") > MAX_LINK:
        return None
    return participant_id, secret


# ------------------------------------------------------------------------------ the public base
PUBLIC_URL_ENV = "MLPM_PUBLIC_URL"
WILDCARDS = frozenset({"", "0.0.0.0", "::", "[::]"})


@dataclass(frozen=True)
class JoinBase:
    """Where participants' links point: an address (None: relative links) and whether other
    devices can reach it. ``problem`` is a readable line about an unusable MLPM_PUBLIC_URL."""

    url: str | None
    reachable: bool
    problem: str | None = None
    root: bool = False  # url is the app's root address, not the facilitator's page address


def checked_public_url(text: str) -> str:
    """The public base URL, e.g. ``https://mlpm.example.org/team``, without a trailing slash.

    Refused (UserError, one line): anything but an absolute http or https URL with a host, and
    URLs carrying credentials, a query or a fragment, which would leak or break every link.
    """
    cleaned = text.strip()
    try:
        parts = urlsplit(cleaned)
        parts.port  # noqa: B018 -- raises ValueError for a port that is not a number
    except ValueError as error:
        raise UserError(f"{PUBLIC_URL_ENV} is not a valid URL ({error}).") from error
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UserError(f"{PUBLIC_URL_ENV} must be an http:// or https:// address with a host, "
                        f"such as https://mlpm.example.org; got {cleaned[:80]!r}.")
    if parts.username is not None or parts.password is not None:
        raise UserError(f"{PUBLIC_URL_ENV} must not contain a user name or password: every "
                        "participant would see them in the link.")
    if parts.query or parts.fragment or "#" in cleaned or "?" in cleaned:
        raise UserError(f"{PUBLIC_URL_ENV} must not contain a query (?...) or fragment (#...): "
                        "the join link adds its own.")
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


def loopback(host: str | None) -> bool:
    """Is this host only reachable from this computer (localhost, 127.x, ::1, 0.0.0.0)?"""
    name = (host or "").strip("[]").lower()
    if name in ("", "localhost") or name.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False  # a host name other than localhost: assume others resolve it too
    return address.is_loopback or address.is_unspecified


def _server_root(host: str, port: int, base_path: str) -> str:
    netloc = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    path = "/" + base_path.strip("/") if base_path.strip("/") else ""
    return f"http://{netloc}{path}"


def join_base(public_url: str | None, page_url: str | None, server_address: str | None,
              port: int, base_path: str = "", machine_addresses: Sequence[str] = ()) -> JoinBase:
    """The address participants' links start with, first that applies:

    1. ``public_url`` (MLPM_PUBLIC_URL), when it is a valid URL (else its problem is reported);
    2. the facilitator's page address, when its host is not loopback (a proxy, or a page opened
       through the network address), so links work as the facilitator's own page does;
    3. the server's own address, when it is bound to one that is not loopback;
    4. bound to every interface (0.0.0.0): this computer's first non-loopback address;
    5. otherwise the facilitator's (loopback) page address, marked unreachable.
    """
    problem = None
    if public_url and public_url.strip():
        try:
            return JoinBase(checked_public_url(public_url), True, root=True)
        except UserError as error:
            problem = str(error)
    page_host = urlsplit(page_url).hostname if page_url else None
    if page_url and not loopback(page_host):
        return JoinBase(page_url, True, problem)
    bound = (server_address or "").strip()
    if bound not in WILDCARDS and not loopback(bound):
        return JoinBase(_server_root(bound, port, base_path), True, problem, root=True)
    if bound in WILDCARDS and server_address is not None:
        usable = [address for address in machine_addresses if not loopback(address)]
        if usable:
            return JoinBase(_server_root(usable[0], port, base_path), True, problem, root=True)
    return JoinBase(page_url, False, problem)


def link_for(base: JoinBase, token: str) -> str:
    """The join link for ``token`` at ``base`` (a page address or the app's root address)."""
    if base.root and base.url:
        return f"{base.url.rstrip('/')}/{JOIN_PAGE}?{urlencode({ROOM_PARAM: token})}"
    return join_link(base.url, token)
