"""deploy/nginx in front of two replicas: sticky sessions and the websocket, as shipped.

The test runs the shipped upstream and proxy files (only the replicas' ports changed) in an
nginx of its own on 127.0.0.1, logs which replica served each request, and checks that one
browser's requests (page, websocket, the PDF download link) all reach one replica.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from tests.browser.support import (
    ROOT,
    STEP_TIMEOUT_MS,
    VIEWPORT,
    Server,
    download,
    free_port,
    go,
    healthy,
    no_exception,
    running_server,
    settle,
    stop,
    widget,
)
from tests.store.conftest import database

pytestmark = pytest.mark.browser

NGINX_DIR = ROOT / "deploy" / "nginx"
SHIPPED_PORTS = ("127.0.0.1:8501", "127.0.0.1:8502")
MAIN_CONF = """daemon off;
pid {root}/nginx.pid;
error_log {root}/error.log;
events {{}}
http {{
    log_format replica '$cookie_mlpm_replica $upstream_addr $request_uri';
    access_log {root}/access.log replica;
    client_body_temp_path {root}/body;
    proxy_temp_path {root}/proxy;
    include {root}/mlpm-upstream.conf;
    server {{
        listen 127.0.0.1:{port};
        include {root}/mlpm-proxy.conf;
    }}
}}
"""


def _nginx() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists()
                                      else None)
    if found is None:
        pytest.fail("nginx is missing: run `make system-deps`")
    return found


@contextmanager
def proxy(root: Path, replicas: tuple[Server, Server]) -> Iterator[str]:
    """nginx on a free port with the shipped files, its upstreams pointed at ``replicas``."""
    upstream = (NGINX_DIR / "mlpm-upstream.conf").read_text()
    for shipped, replica in zip(SHIPPED_PORTS, replicas, strict=True):
        assert shipped in upstream
        upstream = upstream.replace(shipped, replica.url.removeprefix("http://"))
    (root / "mlpm-upstream.conf").write_text(upstream)
    shutil.copy(NGINX_DIR / "mlpm-proxy.conf", root / "mlpm-proxy.conf")
    port = free_port()
    (root / "nginx.conf").write_text(MAIN_CONF.format(root=root, port=port))
    process = subprocess.Popen([_nginx(), "-p", str(root), "-c", str(root / "nginx.conf")],
                               stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while not healthy(url):
            assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
            assert time.monotonic() < deadline, "nginx did not answer"
            time.sleep(0.1)
        yield url
    finally:
        stop(process)


@pytest.fixture()
def proxied(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The proxy's address and its access log, in front of two replicas of one database."""
    with database("postgresql", tmp_path) as url, ExitStack() as stack:
        replicas = (stack.enter_context(running_server(tmp_path / "a", url)),
                    stack.enter_context(running_server(tmp_path / "b", url)))
        (tmp_path / "nginx").mkdir()
        yield stack.enter_context(proxy(tmp_path / "nginx", replicas)), tmp_path / "nginx"


def _replicas_by_cookie(log: Path) -> dict[str, set[str]]:
    seen: dict[str, set[str]] = {}
    for line in log.read_text().splitlines():
        cookie, replica, _ = line.split(" ", 2)
        seen.setdefault(cookie, set()).add(replica)
    return seen


def test_first_answer_sets_the_replica_cookie_and_later_requests_keep_their_replica(
        proxied) -> None:
    url, root = proxied
    with urllib.request.urlopen(url) as first:
        cookie = re.match(r"mlpm_replica=([^;]+)", first.headers["Set-Cookie"])
    assert cookie and len(cookie.group(1)) == 32  # nginx's random request id
    for _ in range(12):
        request = urllib.request.Request(f"{url}/_stcore/health",
                                         headers={"Cookie": f"mlpm_replica={cookie.group(1)}"})
        with urllib.request.urlopen(request) as answer:
            assert answer.status == 200
    assert len(_replicas_by_cookie(root / "access.log")[cookie.group(1)]) == 1


def test_a_browser_session_works_through_the_proxy_down_to_the_pdf(browser, proxied) -> None:
    url, root = proxied
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    try:
        tab = context.new_page()
        tab.set_default_timeout(STEP_TIMEOUT_MS)
        tab.goto(url)
        settle(tab)  # connected: the websocket went through the proxy
        widget(tab, "home.example.bike_shop_service_forecast.json").get_by_role("button") \
            .first.click()
        settle(tab)
        go(tab, "Report")
        assert download(tab, "Report (PDF)").startswith(b"%PDF")
        no_exception(tab, "report")
        (cookie,) = [c["value"] for c in context.cookies() if c["name"] == "mlpm_replica"]
    finally:
        context.close()
    stream = re.compile(rf"^{cookie} \S+ /_stcore/stream", re.M)  # the websocket, logged
    deadline = time.monotonic() + 10  # when it closes: a moment after the browser went
    while not stream.search((root / "access.log").read_text()) and time.monotonic() < deadline:
        time.sleep(0.1)
    log = (root / "access.log").read_text()
    assert stream.search(log) and re.search(rf"^{cookie} \S+ /media/", log, re.M)
    assert len(_replicas_by_cookie(root / "access.log")[cookie]) == 1
