"""`mlpm run` recognises a team server by an [auth] table in a secrets file Streamlit reads."""

from __future__ import annotations

from pathlib import Path

from mlpm_cli.sign_in import sign_in_configured


def _secrets(folder: Path, text: str) -> None:
    (folder / ".streamlit").mkdir(parents=True, exist_ok=True)
    (folder / ".streamlit" / "secrets.toml").write_text(text, encoding="utf-8")


def test_an_auth_table_in_the_app_or_home_secrets_means_team_mode(tmp_path: Path) -> None:
    """[auth] in either file turns team mode on; other tables, bad TOML or no file do not."""
    app, home = tmp_path / "app", tmp_path / "home"
    app.mkdir()
    home.mkdir()
    assert not sign_in_configured(app, home)
    _secrets(app, '[database]\nurl = "x"\n')
    _secrets(home, "[auth\n")
    assert not sign_in_configured(app, home)
    _secrets(home, '[auth]\nclient_id = "mlpm"\n')
    assert sign_in_configured(app, home)
    _secrets(home, "")
    _secrets(app, 'auth = "not a table"\n')
    assert not sign_in_configured(app, home)
    _secrets(app, '[auth]\nclient_id = "mlpm"\n')
    assert sign_in_configured(app, home)
