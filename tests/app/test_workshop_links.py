"""Which address a workshop's join link starts with (``join_base``), and the public URL check."""

from __future__ import annotations

import io
from urllib.parse import parse_qs, urlsplit

import pytest
import zxingcpp
from PIL import Image

from mlpm_core.errors import UserError
from mlpm_ui.workshop_links import (
    JoinBase,
    checked_public_url,
    join_base,
    link_for,
    loopback,
    seat_from_param,
    seat_link,
)
from mlpm_ui.workshop_present import qr_png, short_link

TOKEN = "Abc_def-123456789012345678901234567890123"
PAGE = "http://127.0.0.1:8501/workshop"


@pytest.mark.parametrize(("given", "expected"), [
    ("https://mlpm.example.org", "https://mlpm.example.org"),
    (" https://mlpm.example.org/team/ ", "https://mlpm.example.org/team"),
    ("http://10.1.2.3:8080", "http://10.1.2.3:8080"),
])
def test_a_public_url_is_kept_without_its_trailing_slash(given, expected):
    assert checked_public_url(given) == expected


@pytest.mark.parametrize(("given", "reason"), [
    ("mlpm.example.org", "http:// or https://"),
    ("ftp://mlpm.example.org", "http:// or https://"),
    ("https://", "http:// or https://"),
    ("https://ada:secret@mlpm.example.org", "user name or password"),
    ("https://mlpm.example.org/?x=1", "query"),
    ("https://mlpm.example.org/#top", "fragment"),
    ("https://mlpm.example.org:port", "not a valid URL"),
])
def test_a_bad_public_url_is_refused_in_one_readable_line(given, reason):
    with pytest.raises(UserError, match="MLPM_PUBLIC_URL") as caught:
        checked_public_url(given)
    assert reason in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize(("host", "expected"), [
    ("localhost", True), ("127.0.0.1", True), ("127.9.9.9", True), ("[::1]", True),
    ("0.0.0.0", True), ("", True), ("app.localhost", True),
    ("10.0.0.5", False), ("192.168.1.20", False), ("mlpm.example.org", False), ("fe80::1", False),
])
def test_loopback_hosts(host, expected):
    assert loopback(host) is expected


def test_the_public_url_comes_first():
    base = join_base("https://mlpm.example.org/team/", "http://10.0.0.5:8501/workshop",
                     "10.0.0.5", 8501)
    assert base.reachable and base.problem is None
    assert link_for(base, TOKEN) == f"https://mlpm.example.org/team/join?room={TOKEN}"


def test_a_bad_public_url_is_reported_and_the_next_rule_applies():
    base = join_base("ftp://x", PAGE, "192.168.1.20", 8501)
    assert base.problem and "MLPM_PUBLIC_URL" in base.problem
    assert link_for(base, TOKEN) == f"http://192.168.1.20:8501/join?room={TOKEN}"


def test_a_page_opened_through_the_network_address_is_used_as_it_is():
    base = join_base(None, "https://mlpm.example.org/p/workshop", None, 8501)
    assert base.reachable
    assert link_for(base, TOKEN) == f"https://mlpm.example.org/p/join?room={TOKEN}"


def test_a_server_bound_to_a_network_address_links_there_with_its_path_prefix():
    base = join_base(None, PAGE, "192.168.1.20", 8502, "/mlpm/")
    assert base.reachable
    assert link_for(base, TOKEN) == f"http://192.168.1.20:8502/mlpm/join?room={TOKEN}"
    v6 = join_base(None, PAGE, "fd00::5", 8501)
    assert link_for(v6, TOKEN) == f"http://[fd00::5]:8501/join?room={TOKEN}"


def test_a_server_bound_to_every_interface_uses_this_computers_network_address():
    base = join_base(None, PAGE, "0.0.0.0", 8501, machine_addresses=("127.0.1.1", "10.9.8.7"))
    assert base.reachable
    assert link_for(base, TOKEN) == f"http://10.9.8.7:8501/join?room={TOKEN}"


@pytest.mark.parametrize(("address", "machine"), [
    (None, ("10.9.8.7",)), ("127.0.0.1", ("10.9.8.7",)), ("localhost", ()), ("0.0.0.0", ()),
    ("0.0.0.0", ("127.0.1.1",)),
])
def test_only_loopback_is_flagged_unreachable(address, machine):
    """Bound to loopback (or nothing else known): the link works on this computer only."""
    base = join_base(None, PAGE, address, 8501, machine_addresses=machine)
    assert not base.reachable
    assert link_for(base, TOKEN) == f"http://127.0.0.1:8501/join?room={TOKEN}"


def test_the_qr_code_reads_back_as_the_link():
    link = f"https://mlpm.example.org/team/join?room={TOKEN}"
    image = Image.open(io.BytesIO(qr_png(link)))
    assert image.width >= 500  # large enough for the back of a room
    assert [found.text for found in zxingcpp.read_barcodes(image)] == [link]
    assert short_link(link) == f"mlpm.example.org/team/join?room={TOKEN}"


def test_a_seat_link_is_the_join_link_with_the_seat_the_join_page_reads():
    """The link a facilitator hands over opens the room and carries the participant's seat."""
    link = link_for(JoinBase("https://mlpm.example.org", True, root=True), TOKEN)
    seated = seat_link(link, "0" * 32, "s3cret_-x" * 5)
    parts = urlsplit(seated)
    assert seated.startswith("https://mlpm.example.org/join?room=" + TOKEN + "&seat=")
    assert seat_from_param(parse_qs(parts.query)["seat"][0]) == ("0" * 32, "s3cret_-x" * 5)
