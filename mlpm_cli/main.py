"""The ``mlpm`` command: estimate, validate, schema, run.

Every user mistake ends in one line on stderr and exit status 2; a traceback is always a bug.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from mlpm_cli.sign_in import sign_in_configured
from mlpm_core import __version__
from mlpm_core.access import KEY_HASH_ENV, key_hash, needs_key, new_key
from mlpm_core.errors import UserError, readable

if TYPE_CHECKING:
    from mlpm_core.scenario import Scenario

EXIT_USAGE = 2
EXIT_INTERNAL = 70
FORMATS = ("json", "md", "html", "pdf")


def _write(text: str | bytes, output: str | None) -> None:
    if output is None:
        sys.stdout.write(text if isinstance(text, str) else text.decode())
        return
    path = Path(output)
    try:
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise UserError(f"cannot write {output}: {error.strerror or error}") from None


def _refuse_overwriting(scenario: str, output: str | None) -> None:
    """Stop before an estimate replaces the scenario it was made from: ``estimate X -o X``
    had overwritten a review's scenario with its estimate and exited 0."""
    if output is None:
        return
    target, source = Path(output), Path(scenario)
    same = target.resolve() == source.resolve()
    if not same and target.exists():
        try:
            same = target.samefile(source)
        except OSError:
            same = False
    if same:
        raise UserError(f"-o {output} is the scenario itself: the estimate would replace it; "
                        "write the estimate to another file")


def _load(path: str) -> Scenario:
    """Read a scenario (imported lazily so that ``mlpm --help`` stays fast)."""
    from mlpm_core.scenario import load_scenario

    return load_scenario(Path(path))


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector while an estimate runs, then restore its state.

    An estimate is one short burst of work that imports a lot (pydantic builds its schemas,
    fpdf2 its font tables) but leaves little cyclic garbage: on ``estimate --format pdf`` the
    collector ran about 260 times, took about a tenth of the CPU time and freed a couple of
    thousand objects. Reference counting still frees everything else at once. The previous
    state comes back afterwards because tests call ``main`` in their own process.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _start_chart_helper(args: argparse.Namespace) -> None:
    """Start the chart-drawing helper now when the report will draw charts (HTML, or a PDF
    with somewhere to go). Its JavaScript engine takes about half a second to start, which then
    overlaps loading the scenario and running the simulation instead of delaying the report."""
    if args.format == "html" or (args.format == "pdf" and args.output is not None):
        from mlpm_core.charts import images as chart_images

        chart_images.prewarm()


def cmd_estimate(args: argparse.Namespace) -> int:
    """Simulate a scenario and print the estimate."""
    with cyclic_gc_paused():
        return _estimate(args)


def _estimate(args: argparse.Namespace) -> int:
    """Load, simulate and write the estimate or report (``cmd_estimate`` wraps it so that the
    cycle collector stays paused for exactly this work)."""
    _start_chart_helper(args)
    from mlpm_core.assessment import run_estimate

    scenario = _load(args.scenario)
    if args.trials is not None and not 5000 <= args.trials <= 1_000_000:
        raise UserError(f"--trials must be between 5,000 and 1,000,000, got {args.trials}")
    if args.seed is not None and not 0 <= args.seed < 2**32:
        raise UserError(f"--seed must be between 0 and 4294967295, got {args.seed}")
    if args.reference:
        scenario = scenario.model_copy(update={"simulation": scenario.simulation.model_copy(
            update={"reference_class": args.reference})})
    if args.format == "pdf" and args.output is None:
        raise UserError("a PDF needs an output file: add -o report.pdf")
    _refuse_overwriting(args.scenario, args.output)
    from mlpm_core.store import load_reference_class, reference_for

    if args.reference:
        load_reference_class(args.reference)  # a clear error even when the bias is off
    result = run_estimate(scenario, trials=args.trials, seed=args.seed,
                          reference=reference_for(scenario))
    if args.format == "json":
        _write(result.estimate.model_dump_json(indent=2) + "\n", args.output)
        return 0
    from mlpm_core.report import render

    rendered = render(result, args.format, paper=args.paper)
    _write(rendered if args.format == "pdf" else rendered.decode("utf-8"), args.output)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """Check a scenario file and say what is wrong, or that it is fine."""
    scenario = _load(args.scenario)
    _check_reference_class(scenario)
    print(f"{args.scenario}: valid scenario '{scenario.project.name}' "
          f"({len(scenario.tasks)} tasks, schema_version {scenario.schema_version})")
    return 0


def _check_reference_class(scenario: Scenario) -> None:
    """The scenario's reference class must exist in the store ``estimate`` would read: refused
    when the estimator bias uses it, a note on stderr when the bias is off."""
    from mlpm_core.store import load_reference_class

    simulation = scenario.simulation
    try:
        load_reference_class(simulation.reference_class)
    except UserError as error:
        if simulation.correlation:
            raise UserError(f"simulation.reference_class: {error}") from None
        print(f"mlpm: note: simulation.reference_class: {error} It is not used "
              "while simulation.correlation is off.", file=sys.stderr)


def cmd_schema(args: argparse.Namespace) -> int:
    """Print the scenario JSON Schema."""
    from mlpm_core.scenario import scenario_schema

    _write(json.dumps(scenario_schema(), indent=2) + "\n", args.output)
    return 0


def server_command(address: str, port: int, *options: str) -> list[str]:
    """The command that starts the workbench's server (``mlpm_ui.serve``, a ``streamlit run
    app.py`` that knows the app navigates with ``st.navigation``); shared by ``mlpm run``, the
    browser tests and the benchmarks so that they all start the server the same way."""
    return [sys.executable, "-m", "mlpm_ui.serve", "--server.address", address,
            "--server.port", str(port), *options]


def cmd_run(args: argparse.Namespace) -> int:
    """Start the Streamlit workbench on this machine only (127.0.0.1 unless told otherwise)."""
    app = Path(__file__).resolve().parent.parent / "app.py"
    if not app.exists():
        raise UserError(f"the app is not installed next to mlpm_core ({app} is missing)")
    from mlpm_cli.server import headless, serve

    return serve(server_command(args.address, args.port, "--server.headless",
                                "true" if headless(args.headless) else "false"), app.parent,
                 server_environment(args))


PUBLIC_URL_ENV = "MLPM_PUBLIC_URL"


def _public_url(text: str) -> str:
    """The base of workshop join links as given, once it is an http(s) address of a host."""
    from urllib.parse import urlsplit

    parts = urlsplit(text.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username \
            or parts.password or parts.fragment or parts.query:
        raise UserError(f"--public-url must be an http:// or https:// address of a host, "
                        f"without a user, query or fragment (got {text!r})")
    return text.strip().rstrip("/")


def server_environment(args: argparse.Namespace) -> dict[str, str]:
    """The server's environment: on a meeting-room server, the hash of a key that this prints
    once, in the workbench URL (a participant's join link does not carry it)."""
    env = os.environ.copy()
    env.pop(KEY_HASH_ENV, None)
    if args.public_url is not None:
        env[PUBLIC_URL_ENV] = _public_url(args.public_url)
    if sign_in_configured(Path(__file__).resolve().parent.parent):
        sys.stderr.write("Team sign-in is configured ([auth] in secrets.toml): everyone signs "
                         "in; no workbench key is needed.\n")
        return env
    if not needs_key(args.address, args.require_key or args.key is not None):
        return env
    key = args.key if args.key is not None else new_key()
    env[KEY_HASH_ENV] = key_hash(key)
    host = "127.0.0.1" if args.address in ("0.0.0.0", "::") else args.address
    host = f"[{host}]" if ":" in host else host
    sys.stderr.write(f"Workbench (for you only, it holds the key): "
                     f"http://{host}:{args.port}/?key={key}\n"
                     "Participants join by the room links the Workshop page shows.\n")
    sys.stderr.flush()
    return env


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with one sub-command per job."""
    parser = argparse.ArgumentParser(
        prog="mlpm", description="ML project feasibility and cost estimation.")
    parser.add_argument("--version", action="version", version=f"mlpm {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    estimate = commands.add_parser("estimate", help="simulate a scenario and print the estimate")
    estimate.add_argument("scenario", help="scenario JSON file")
    estimate.add_argument("--trials", type=int, help="simulated projects (default: scenario's)")
    estimate.add_argument("--seed", type=int, help="random seed (default: scenario's)")
    estimate.add_argument("--format", choices=FORMATS, default="json", help="output format")
    estimate.add_argument("-o", "--output", help="write to this file instead of stdout")
    estimate.add_argument("--paper", choices=("A4", "Letter"), default="A4",
                          help="paper size of a PDF report (default A4)")
    estimate.add_argument("--reference", help="reference class for the estimator bias "
                          "(default: the scenario's)")
    estimate.set_defaults(handler=cmd_estimate)

    validate = commands.add_parser("validate", help="check a scenario file")
    validate.add_argument("scenario", help="scenario JSON file")
    validate.set_defaults(handler=cmd_validate)

    schema = commands.add_parser("schema", help="print the scenario JSON Schema")
    schema.add_argument("-o", "--output", help="write to this file instead of stdout")
    schema.set_defaults(handler=cmd_schema)

    run = commands.add_parser("run", help="start the workbench in the browser")
    run.add_argument("--port", type=int, default=8501, help="port (default 8501)")
    run.add_argument("--address", default="127.0.0.1",
                     help="address to bind (default 127.0.0.1: this machine only)")
    run.add_argument("--headless", action="store_true", help="do not open a browser (always "
                     "so without a terminal: under a service manager, nohup or a container)")
    run.add_argument("--require-key", action="store_true",
                     help="open the workbench only to browsers with the printed key (the "
                     "default on any address but 127.0.0.1)")
    run.add_argument("--key", help="use this key instead of a random one (16+ characters)")
    run.add_argument("--public-url", help="the address participants open, for workshop join "
                     "links and their QR code (e.g. https://mlpm.example.org); sets "
                     "MLPM_PUBLIC_URL")
    run.set_defaults(handler=cmd_run)

    from mlpm_cli.calibration import register

    register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: parse, dispatch, and turn user errors into one line and exit status 2."""
    args = build_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except UserError as error:
        print(f"mlpm: error: {error}", file=sys.stderr)  # str() is one readable line
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # a bug: still one line for the user, never a traceback
        print(f"mlpm: internal error ({type(error).__name__}: {readable(str(error))}); "
              "please report it "
              "with the command you ran", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
