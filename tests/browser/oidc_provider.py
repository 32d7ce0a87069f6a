"""A real OpenID Connect provider on 127.0.0.1 for the team sign-in tests (not a test module).

``oidc-provider-mock`` is a complete provider (discovery, authorize, token, userinfo, end
session) that needs no registration: any client id, secret and redirect URI on 127.0.0.1 work,
and on its authorize page a person types any ``sub``, which is also their e-mail. It is served
in a thread of the test process with werkzeug (its own helper binds to "localhost", and the app's
cookies are tied to the host name of its redirect URI, 127.0.0.1).
"""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.browser.support import free_port, settle

INSECURE_TRANSPORT_ENV = "AUTHLIB_INSECURE_TRANSPORT"  # plain HTTP, on 127.0.0.1 only


@contextmanager
def running_provider() -> Iterator[str]:
    """Serve the provider on a free port of 127.0.0.1; yields its base URL."""
    from oidc_provider_mock import app as provider_app
    from werkzeug.serving import make_server

    os.environ[INSECURE_TRANSPORT_ENV] = "1"
    server = make_server("127.0.0.1", free_port(), provider_app(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def write_secrets(folder: Path, provider: str, app_port: int, admin: str) -> Path:
    """A secrets.toml that turns team mode on against ``provider`` (fresh secrets per run)."""
    path = folder / "secrets.toml"
    path.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{app_port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_urlsafe(32)}"\n'
        'client_id = "mlpm-tests"\n'
        f'client_secret = "{secrets.token_urlsafe(16)}"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n'
        "\n[mlpm]\n"
        f'admin_email = "{admin}"\n', encoding="utf-8")
    return path


def sign_in(tab, app_url: str, email: str) -> None:
    """Open the app, press Sign in, and authorise as ``email`` on the provider's page."""
    tab.goto(app_url)
    settle(tab)
    tab.get_by_role("button", name="Sign in").click()
    tab.get_by_placeholder("sub").fill(email)
    tab.get_by_role("button", name="Authorize").click()
    tab.wait_for_url(f"{app_url}/**")
    settle(tab)
