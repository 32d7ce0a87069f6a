"""The example deployment files in deploy/ match the code they start."""

from __future__ import annotations

import configparser
import re
import shlex

from mlpm_cli.main import build_parser
from mlpm_core.paths import DATA_DIR_ENV
from mlpm_core.store.database import DATABASE_URL_ENV
from tests.browser.support import ROOT

DEPLOY = ROOT / "deploy"


def _unit() -> configparser.ConfigParser:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(DEPLOY / "mlpm@.service")
    return unit


def test_the_systemd_unit_starts_one_replica_on_127_0_0_1_at_its_instance_port() -> None:
    command = shlex.split(_unit()["Service"]["ExecStart"].replace("%i", "8501"))
    assert command[0].endswith("/mlpm")
    args = build_parser().parse_args(command[1:])
    assert (args.command, args.address, args.port) == ("run", "127.0.0.1", 8501)


def test_every_replica_the_proxy_names_is_an_instance_of_the_unit() -> None:
    upstream = (DEPLOY / "nginx" / "mlpm-upstream.conf").read_text()
    servers = re.findall(r"^\s*server 127\.0\.0\.1:(\d+);\s*# .*mlpm@(\d+)", upstream, re.M)
    assert len(servers) == 2 and all(port == instance for port, instance in servers)


def test_the_environment_example_sets_the_variables_the_code_reads() -> None:
    unit = _unit()["Service"]
    assert unit["EnvironmentFile"].endswith("/mlpm.env")
    lines = (DEPLOY / "mlpm.env.example").read_text().splitlines()
    names = {line.split("=", 1)[0] for line in lines if line and not line.startswith("#")}
    assert names == {DATABASE_URL_ENV, DATA_DIR_ENV}
