"""Workshop load: N participants in one room, each in a real browser session.

Why real browsers: a Streamlit page is a websocket session that runs the app script on every
interaction. An HTTP load tool hitting ``/`` only fetches the static shell: it never runs the
app script and so measures nothing. This script drives Debian's headless chromium through
Playwright's async API, all against one app server on 127.0.0.1 (no other network): every
participant has a tab of their own, i.e. a Streamlit session (websocket, session state) of
their own, as separate devices would.

The browsers share this machine's CPUs with the server, where real participants bring their
own devices. Two things keep the benchmark from measuring mostly its own browsers: they run at
a lower priority than the server (``--browser-nice``), and by default all tabs share one
browser profile, so the app's JavaScript (megabytes) is compiled once instead of 30 times on
the same two cores (``--devices separate`` gives each participant a profile of its own: the
worst case for this machine, not for the server). The server still runs one session per tab.

Flow: the bike-shop example is saved to the server's store; a facilitator context opens its
Workshop page and presses "Open a room" (its live view then refreshes every few seconds for the
whole run); the join link is read from the page. Then all participants, phase by phase ("now
everybody..."): open the link, join under a distinct name, submit estimates for the first task,
and (unless ``--no-resubmit``) change them and add the second task. Within a phase each person
acts after a random 0..``--think`` s (default 20 s, as a room of people does when the facilitator
says "now everybody"; ``--think 0`` makes all 30 click at the same instant).

Each interaction is timed in the page's own clock: from the click (a capture listener) or the
start of the navigation, to the first moment the app is connected, not running, fully drawn (no
widget still a loading skeleton) and shows the interaction's result: the join form, the
estimate form, "Saved your round 1 input ...". An interaction that takes longer than
``--timeout`` or shows an error counts as failed (its page state and a screenshot are kept).
The run reports the CPU the server and the browsers each used, and probes the server's health
check every few seconds to show whether the server kept up.

Target: p95 <= 2 s for every kind of interaction with 30 participants. At the end the store must
hold exactly N participants, each with exactly the range they typed last for each task they
estimated (none lost, none duplicated), and the facilitator's view must count N submitters.

    python bench/bench_workshop.py [--participants 30] [--think 20] [--devices shared]
                                   [--browser-nice 10] [--timeout 180] [--no-resubmit]

Progress goes to stderr, the table to stdout, the details to bench/results/workshop.json (and
failure screenshots to bench/results/workshop-failures/). Exits 1 when an interaction failed,
the store check failed, or a p95 misses the target.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from playwright.async_api import Browser, BrowserContext, Page, async_playwright
from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mlpm_core.scenario.document import load_scenario  # noqa: E402
from mlpm_core.store.database import Store  # noqa: E402
from mlpm_core.store.rooms import room_for_token, room_view  # noqa: E402
from mlpm_core.store.schema import (  # noqa: E402
    participants,
    submission_requests,
    submissions,
)
from tests.browser.support import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    IDLE_JS,
    VIEWPORT,
    Server,
    running_server,
    widget,
)

EXAMPLE = ROOT / "data" / "examples" / "bike_shop_service_forecast.json"
RESULTS = ROOT / "bench" / "results" / "workshop.json"
SHOTS = ROOT / "bench" / "results" / "workshop-failures"  # a screenshot per failure
TARGET_S = 2.0
SHOWN = 5  # failures and server log lines printed; the JSON has all
SETUP_TIMEOUT_MS = 120_000  # the facilitator's steps, before the load starts
HEALTH_EVERY_S, HEALTH_TIMEOUT_S = 5.0, 30.0
PHONE = {"width": 420, "height": 900}
# Without these, chromium may throttle timers of pages it thinks are in the background, and the
# benchmark would measure its own throttling.
BENCH_ARGS = [*CHROMIUM_ARGS, "--disable-background-timer-throttling",
              "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows"]
KINDS = ("open", "join", "submit", "resubmit")
JOIN_FORM = r"Your name, as the facilitator will see it"
ESTIMATE_FORM = r"Round 1: your estimates"
# The room's receipt (read from the store, so the same after a reload): the count of tasks it
# holds tells this submission's receipt from the previous one.
SAVED = r"Saved your round 1 input at \d\d:\d\d:\d\d UTC: {count} of \d+ tasks"

LOADED_JS = "performance.getEntriesByType('navigation')[0].loadEventEnd / 1000"
CLICK_JS = ("document.addEventListener('click', () => "
            "{ window.__mlpmClickAt = performance.now(); }, true);")
# Ready: connected, not running, every element drawn (none still a loading skeleton: widgets'
# code is loaded on first use) and the expected text on the page. Returns the seconds since the
# last click (or since the navigation started), or the text of an error the page shows.
READY_JS = """([pattern, clicked]) => {
  const failed = document.querySelector(
    '[data-testid="stException"], [data-testid="stAlertContentError"]');
  if (failed) return {error: failed.textContent.slice(0, 400)};
  const app = document.querySelector('[data-testid="stApp"]');
  const idle = app && app.getAttribute("data-test-script-state") === "notRunning"
    && app.getAttribute("data-test-connection-state") === "CONNECTED";
  const drawing = document.querySelector('[data-testid="stMain"] [data-testid="stSkeleton"]');
  if (!idle || drawing || !new RegExp(pattern).test(document.body.textContent)) return false;
  const start = clicked ? window.__mlpmClickAt : 0;
  if (start === null || start === undefined) return false;
  return {seconds: (performance.now() - start) / 1000};
}"""
# What a page was doing when a wait timed out.
STATE_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const status = document.querySelector('[data-testid="stStatusWidget"]');
  return {address: location.href,
          script: app && app.getAttribute("data-test-script-state"),
          connection: app && app.getAttribute("data-test-connection-state"),
          status: status && status.textContent.slice(0, 100),
          skeletons: document.querySelectorAll('[data-testid="stSkeleton"]').length,
          number_inputs: document.querySelectorAll('[data-testid="stNumberInput"]').length,
          page_ends_with: (document.querySelector('[data-testid="stMain"]') || document.body)
            .innerText.slice(-500)};
}"""


@dataclass
class Person:
    """One participant: their tab, what they type, and what each interaction took."""

    number: int
    tab: Page
    seconds: dict[str, float] = field(default_factory=dict)
    page_loaded_s: float | None = None  # of "open": the HTML and scripts, before the websocket
    error: str | None = None
    page_errors: list[str] = field(default_factory=list)
    sockets: int = 0  # websockets the tab opened: more than one means it reconnected

    @property
    def name(self) -> str:
        return f"Bench participant {self.number:02d}"

    def points(self, resubmit: bool) -> list[float]:
        """First task's three points (and, on the resubmit, changed ones plus the second's)."""
        low = 1.0 + self.number % 5
        first = [low, low + 1, low + 3 + self.number % 3]
        if not resubmit:
            return first
        return [x + 0.5 for x in first] + [low + 2, low + 4, low + 9]


# ------------------------------------------------------------------------------ page waits
async def settle(tab: Page) -> None:
    """The async twin of ``tests.browser.support.settle``: wait until the app is idle."""
    await tab.evaluate("window.__mlpmIdleSince = null")
    await tab.wait_for_timeout(120)
    await tab.wait_for_function(IDLE_JS, polling=50)


async def ready(tab: Page, pattern: str, clicked: bool) -> float:
    """Seconds from the last click (or the navigation) until the page shows ``pattern``."""
    handle = await tab.wait_for_function(READY_JS, arg=[pattern, clicked], polling=50)
    result = await handle.json_value()
    if "error" in result:
        raise RuntimeError(f"the page shows an error: {result['error']}")
    return float(result["seconds"])


async def click_until(tab: Page, label: str, pattern: str) -> float:
    """Click a button and time it until the page shows ``pattern``."""
    await tab.evaluate("window.__mlpmClickAt = null")
    await tab.get_by_role("button", name=label, exact=True).first.click()
    return await ready(tab, pattern, clicked=True)


# ------------------------------------------------------------------------------ the facilitator
def saved_example(server: Server) -> str:
    """Save the bike-shop example in the server's store; its scenario id."""
    store = server.store()
    try:
        return store.create(load_scenario(EXAMPLE), note="workshop benchmark").id
    finally:
        store.close()


async def open_room_as_facilitator(browser: Browser, server: Server,
                                   scenario_id: str) -> tuple[Page, str, str]:
    """Open a room from the Workshop page; the tab (kept open), the join link and the key."""
    context = await browser.new_context(viewport=VIEWPORT)
    tab = await context.new_page()
    tab.set_default_timeout(SETUP_TIMEOUT_MS)
    # Home first: on a fresh server the first session's deep link says "Page not found".
    await tab.goto(server.url)
    await settle(tab)
    await tab.goto(f"{server.url}/workshop?scenario={scenario_id}")
    await settle(tab)
    await tab.get_by_role("button", name="Open a room", exact=True).first.click()
    await settle(tab)
    await tab.locator('[data-testid="stCode"]', has_text="/join?room=").first.wait_for()
    # By content, not position: the page draws the key's block and the link's in its own order.
    texts = [text.strip() for text in
             await tab.locator('[data-testid="stCode"]').all_inner_texts()]
    links = [text for text in texts if text.startswith(f"{server.url}/join?room=")]
    keys = [text for text in texts if text not in links]
    if len(links) != 1 or len(keys) != 1:
        raise RuntimeError(f"expected one join link and one key on the page, found: {texts}")
    return tab, links[0], keys[0]


# ------------------------------------------------------------------------------ participants
async def phone(browser: Browser) -> BrowserContext:
    """A browser profile of its own (cookies, cache): one device."""
    context = await browser.new_context(viewport=PHONE)
    await context.add_init_script(CLICK_JS)
    return context


async def new_person(device: BrowserContext, number: int, timeout_s: float) -> Person:
    """A participant in a tab of their own: a Streamlit session (websocket, session state) of
    their own, whether or not other tabs share the device's profile."""
    person = Person(number, await device.new_page())
    person.tab.set_default_timeout(timeout_s * 1000)  # every wait and navigation
    person.tab.on("pageerror", lambda error: person.page_errors.append(str(error)[:300]))
    person.tab.on("websocket", lambda _: setattr(person, "sockets", person.sockets + 1))
    return person


async def fill_points(tab: Page, points: list[float]) -> None:
    """Type the points into the first tasks' number inputs, each committed with Tab."""
    boxes = tab.locator('[data-testid="stNumberInput"] input')
    for index, value in enumerate(points):
        await boxes.nth(index).fill(f"{value:g}")
        await boxes.nth(index).press("Tab")


async def open_link(person: Person, link: str) -> float:
    await person.tab.goto(link)
    seconds = await ready(person.tab, JOIN_FORM, clicked=False)
    person.page_loaded_s = await person.tab.evaluate(LOADED_JS)
    return seconds


async def join(person: Person) -> float:
    await widget(person.tab, "workshop.display_name").locator("input").fill(person.name)
    return await click_until(person.tab, "Join", ESTIMATE_FORM)


async def submit(person: Person, resubmit: bool) -> float:
    points = person.points(resubmit)
    await fill_points(person.tab, points)
    count = len(points) // 3
    return await click_until(person.tab, "Submit my estimates", SAVED.format(count=count))


async def step(person: Person, kind: str, action: Callable[[Person], Awaitable[float]],
               think: float) -> None:
    """One interaction of one participant, after a random think time; errors are recorded."""
    if person.error:
        return
    await asyncio.sleep(random.Random(f"{person.number}{kind}").uniform(0, think))
    try:
        person.seconds[kind] = await action(person)
    except Exception as error:  # recorded and reported; the other participants carry on
        lines = [line.strip() for line in str(error).splitlines() if line.strip()]
        message = " | ".join(dict.fromkeys(lines[:1] + lines[-2:]))[:400]  # with Playwright's
        person.error = f"{kind}: {type(error).__name__}: {message}; {await diagnose(person, kind)}"


async def diagnose(person: Person, kind: str) -> str:
    """What the page was doing when an interaction failed (and a screenshot of it)."""
    try:
        state = await person.tab.evaluate(STATE_JS)
        SHOTS.mkdir(parents=True, exist_ok=True)
        await person.tab.screenshot(path=SHOTS / f"{person.number:02d}-{kind}.png",
                                    full_page=True, timeout=30_000)
    except Exception as error:  # the page itself may be gone
        return f"no diagnosis: {type(error).__name__}"
    return json.dumps({**state, "websockets_opened": person.sockets})


async def phase(people: list[Person], kind: str, action: Callable[[Person], Awaitable[float]],
                think: float) -> None:
    """All participants do one interaction at (nearly) the same time."""
    start = time.perf_counter()
    await asyncio.gather(*(step(person, kind, action, think) for person in people))
    done = sum(kind in person.seconds for person in people)
    log(f"{kind}: {done}/{len(people)} done in {time.perf_counter() - start:.1f} s")


def niced_chromium(folder: Path, niceness: int) -> str:
    """A chromium that runs (with every renderer it starts) at a lower CPU priority than the
    server: in a real workshop each browser runs on its participant's own device, so here the
    browsers may use whatever CPU the server leaves, not take it from the server."""
    wrapper = folder / "chromium-niced"
    wrapper.write_text(f'#!/bin/sh\nexec nice -n {niceness} {CHROMIUM} "$@"\n')
    wrapper.chmod(0o755)
    return str(wrapper)


async def drive(server: Server, args: argparse.Namespace) -> dict[str, Any]:
    """Open a room and run every participant through it; what the run produced."""
    scenario_id = saved_example(server)
    before, health = cpu_by_role(), []
    probe = asyncio.create_task(watch_health(server.url, health))
    chromium = niced_chromium(server.data_dir, args.browser_nice) if args.browser_nice else \
        CHROMIUM
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium, headless=True,
                                                   args=BENCH_ARGS)
        try:
            host, link, key = await open_room_as_facilitator(browser, server, scenario_id)
            log(f"room open: {link}")
            count = 1 if args.devices == "shared" else args.participants
            devices = list(await asyncio.gather(*(phone(browser) for _ in range(count))))
            people = list(await asyncio.gather(*(
                new_person(devices[n % count], n + 1, args.timeout)
                for n in range(args.participants))))
            log(f"{len(people)} participants' tabs ready ({args.devices} browser profiles)")
            await phase(people, "open", lambda p: open_link(p, link), args.think)
            await phase(people, "join", join, args.think)
            await phase(people, "submit", lambda p: submit(p, False), args.think)
            if args.resubmit:
                await phase(people, "resubmit", lambda p: submit(p, True), args.think)
            host_errors = await host.locator('[data-testid="stException"]').count()
            used = {role: s - before[role] for role, s in cpu_by_role().items()}
        finally:
            probe.cancel()
            await browser.close()
    return {"people": people, "token": link.split("room=", 1)[1], "key": key,
            "facilitator_exceptions": host_errors, "cpu_s": used, "health_s": health}


# ------------------------------------------------------------------------------ the server
def health_seconds(url: str) -> float | None:
    """Seconds the server takes to answer its health check; None after HEALTH_TIMEOUT_S."""
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=HEALTH_TIMEOUT_S) as answer:
            answer.read()
    except OSError:
        return None
    return time.perf_counter() - start


async def watch_health(url: str, samples: list[float | None]) -> None:
    """Probe the health check every HEALTH_EVERY_S until cancelled: how responsive the server
    itself stays (its event loop also serves the page's scripts and the websockets)."""
    while True:
        samples.append(await asyncio.to_thread(health_seconds, url))
        await asyncio.sleep(HEALTH_EVERY_S)


# ------------------------------------------------------------------------------ CPU use
def _processes() -> dict[int, tuple[int, float]]:
    """Every process: its parent and its CPU seconds (with its children's that it reaped)."""
    tick, table = os.sysconf("SC_CLK_TCK"), {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:  # it ended meanwhile
                continue
            table[int(entry.name)] = (int(fields[1]), sum(map(int, fields[11:15])) / tick)
    return table


def _is_server(pid: int) -> bool:
    try:
        return b"mlpm_ui.serve" in (Path("/proc") / str(pid) / "cmdline").read_bytes()
    except OSError:
        return False


def cpu_by_role() -> dict[str, float]:
    """CPU seconds so far of this script's own descendants: the app server and the browsers
    (chromium and Playwright's driver); other processes on the machine are not counted."""
    table, children = _processes(), defaultdict(list)
    for pid, (parent, _) in table.items():
        children[parent].append(pid)
    totals, stack = {"server": 0.0, "browsers": 0.0}, list(children[os.getpid()])
    while stack:
        pid = stack.pop()
        stack.extend(children[pid])
        totals["server" if _is_server(pid) else "browsers"] += table[pid][1]
    return totals


# ------------------------------------------------------------------------------ checks
def stored_ranges(store: Store, room_id: str) -> tuple[dict[str, dict], int, int]:
    """Per display name the stored round-1 ranges; the range rows and the request rows."""
    with store.read() as connection:
        names = dict(connection.execute(select(participants.c.id, participants.c.display_name)
                                        .where(participants.c.room_id == room_id)).all())
        rows = connection.execute(select(submissions).where(submissions.c.room_id == room_id,
                                                            submissions.c.round == 1)).all()
        requests = connection.execute(select(func.count()).select_from(submission_requests)
                                      .where(submission_requests.c.room_id == room_id)
                                      ).scalar_one()
    ranges: dict[str, dict] = {name: {} for name in names.values()}
    for row in rows:
        ranges[names[row.participant_id]][row.task_name] = [
            row.optimistic, row.most_likely, row.pessimistic]
    return ranges, len(rows), requests


def sent(person: Person, tasks: list[str], resubmit: bool) -> dict[str, list[float]]:
    """What the participant's submission (or resubmission) holds, per task."""
    values = person.points(resubmit)
    return {tasks[i // 3]: values[i:i + 3] for i in range(0, len(values), 3)}


def saved_not_shown(people: list[Person], ranges: dict[str, dict], tasks: list[str]
                    ) -> list[str]:
    """Participants whose page failed an interaction that the store shows did happen."""
    hits = []
    for person in people:
        kind = (person.error or "").split(":", 1)[0]
        if (kind == "join" and person.name in ranges) or (
                kind in ("submit", "resubmit")
                and ranges.get(person.name) == sent(person, tasks, kind == "resubmit")):
            hits.append(f"{person.name} ({kind})")
    return hits


def check_store(server: Server, run: dict[str, Any], resubmit: bool) -> dict[str, Any]:
    """Whether the room holds exactly what every participant sent last: none lost or doubled."""
    people: list[Person] = run["people"]
    store = server.store()
    try:
        room = room_for_token(store, run["token"])
        ranges, rows, requests = stored_ranges(store, room.id)
        view = room_view(store, run["token"], facilitator_key=run["key"])
    finally:
        store.close()
    tasks = [task.name for task in room.tasks]
    wanted = {person.name: sent(person, tasks, resubmit) for person in people}
    wrong = sorted(name for name in wanted if ranges.get(name) != wanted[name])
    submits = 2 if resubmit else 1
    check = {"participants_stored": len(ranges), "submitters_in_view": view.rounds[0].participants,
             "range_rows": rows, "expected_range_rows": sum(map(len, wanted.values())),
             "requests": requests, "expected_requests": len(people) * submits,
             "unexpected_participants": sorted(set(ranges) - set(wanted)),
             "wrong_or_missing": wrong,
             "stored_but_page_did_not_show_it": saved_not_shown(people, ranges, tasks)}
    check["ok"] = (check["participants_stored"] == check["submitters_in_view"] == len(people)
                   and rows == check["expected_range_rows"]
                   and requests == check["expected_requests"]
                   and not check["unexpected_participants"] and not wrong)
    return check


def server_problems(server: Server) -> list[str]:
    """The server log's warnings and errors, each traceback kept whole (the first of a kind)."""
    lines = (server.data_dir / "server.log").read_text(errors="replace").splitlines()
    found: dict[str, str] = {}
    for index, line in enumerate(lines):
        if line.startswith("Traceback"):
            end = next((i for i in range(index + 1, len(lines))
                        if lines[i] and not lines[i][0].isspace()), len(lines) - 1)
            found.setdefault(lines[end], "\n".join(lines[max(index - 1, 0):end + 1]))
        elif (re.search(r"Error|Exception|WARNING|locked|busy", line) and not line[:1].isspace()
              and lines[index + 1:index + 2] != ["Traceback (most recent call last):"]):
            found.setdefault(line, line)
    return list(found.values())[:40]


# ------------------------------------------------------------------------------ report
def summary(values: list[float], failed: int, count: int) -> dict[str, Any]:
    """Median, p95 and max of the completed interactions; any failed one fails the target."""
    row: dict[str, Any] = {"participants": count, "interactions": len(values), "failed": failed}
    if values:
        row.update(median_s=float(np.median(values)), p95_s=float(np.percentile(values, 95)),
                   max_s=max(values))
    row["verdict"] = "FAILED" if failed or not values else (
        "ok" if row["p95_s"] <= TARGET_S else "SLOW")
    return row


def summaries(people: list[Person], kinds: list[str]) -> dict[str, dict[str, Any]]:
    samples = {kind: [p.seconds[kind] for p in people if kind in p.seconds] for kind in kinds}
    failed = {kind: sum((p.error or "").startswith(f"{kind}:") for p in people)
              for kind in kinds}
    rows = {kind: summary(samples[kind], failed[kind], len(people)) for kind in kinds}
    rows["overall"] = summary([v for values in samples.values() for v in values],
                              sum(failed.values()), len(people))
    return rows


def print_table(rows: dict[str, dict[str, Any]]) -> None:
    """One line per kind of interaction and overall (failed: timed out or showed an error)."""
    print(f"\n{'interaction':<12} {'participants':>12} {'done':>5} {'failed':>6} {'median':>8} "
          f"{'p95':>8} {'max':>8} {'target':>9}  verdict")
    for kind, row in rows.items():
        times = [f"{row[k]:>7.2f}s" if k in row else f"{'-':>8}"
                 for k in ("median_s", "p95_s", "max_s")]
        print(f"{kind:<12} {row['participants']:>12} {row['interactions']:>5} "
              f"{row['failed']:>6} {' '.join(times)} "
              f"{'p95<=' + format(TARGET_S, 'g') + 's':>9}  {row['verdict']}")


def print_checks(check: dict[str, Any], failures: list[str], problems: list[str]) -> None:
    print(f"\nstore: {check['participants_stored']} participants, "
          f"{check['submitters_in_view']} submitters in the facilitator's view, "
          f"{check['range_rows']}/{check['expected_range_rows']} ranges, "
          f"{check['requests']}/{check['expected_requests']} submit requests, "
          f"{len(check['wrong_or_missing'])} wrong or missing -> "
          f"{'ok' if check['ok'] else 'FAILED'}")
    shown = check["stored_but_page_did_not_show_it"]
    if shown:
        print(f"{len(shown)} failed interactions did reach the store (the page never showed "
              f"it): {', '.join(shown[:SHOWN])}{' ...' if len(shown) > SHOWN else ''}")
    for failure in failures[:SHOWN]:
        print(f"failed: {failure}")
    for block in problems[:SHOWN]:  # a traceback as its first and last line
        lines = block.splitlines()
        print(f"server log: {lines[0]}" + (f" ... {lines[-1]}" if len(lines) > 1 else ""))
    if len(failures) > SHOWN or len(problems) > SHOWN:
        print(f"(all {len(failures)} failures and {len(problems)} server log lines are in "
              f"{RESULTS.relative_to(ROOT)})")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def measure(args: argparse.Namespace) -> dict[str, Any]:
    """Start the server, drive the workshop, check the store; the raw results."""
    with tempfile.TemporaryDirectory(prefix="mlpm-bench-workshop-") as folder, \
            running_server(Path(folder)) as server:
        log(f"server up at {server.url}; {args.participants} participants, {os.cpu_count()} "
            f"CPUs, load average {os.getloadavg()[0]:.1f} (run on a quiet machine)")
        start = time.perf_counter()
        run = asyncio.run(drive(server, args))
        run["wall_s"] = time.perf_counter() - start
        run["store_check"] = check_store(server, run, args.resubmit)
        run["server_log_problems"] = server_problems(server)
    run["load_average_after"] = os.getloadavg()[0]
    return run


def print_open_split(people: list[Person]) -> None:
    loaded = [p.page_loaded_s for p in people if p.page_loaded_s is not None]
    after = [p.seconds["open"] - p.page_loaded_s for p in people
             if "open" in p.seconds and p.page_loaded_s is not None]
    if loaded and after:
        print(f"open = the browser loading the HTML and scripts ({np.median(loaded):.2f} s "
              f"median, {max(loaded):.2f} s max) + the app's first run over the websocket "
              f"({np.median(after):.2f} s median, {max(after):.2f} s max)")


def print_machine(run: dict[str, Any]) -> None:
    capacity = run["wall_s"] * (os.cpu_count() or 1)
    print(f"wall time {run['wall_s']:.0f} s on {os.cpu_count()} CPUs ({capacity:.0f} CPU-s): "
          f"the browsers used {run['cpu_s']['browsers']:.0f} CPU-s, the app server "
          f"{run['cpu_s']['server']:.0f} CPU-s; load average after "
          f"{run['load_average_after']:.1f}")
    answered = [s for s in run["health_s"] if s is not None]
    if answered:
        print(f"server health check every {HEALTH_EVERY_S:g} s: median {np.median(answered):.2f} s"
              f", max {max(answered):.2f} s, {len(run['health_s']) - len(answered)} of "
              f"{len(run['health_s'])} unanswered after {HEALTH_TIMEOUT_S:g} s")
    print(f"facilitator page exceptions: {run['facilitator_exceptions']}; browser page errors: "
          f"{sum(len(p.page_errors) for p in run['people'])}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=30)
    parser.add_argument("--think", type=float, default=20.0,
                        help="each action waits a random 0..THINK s first (0: all at once)")
    parser.add_argument("--devices", choices=("shared", "separate"), default="shared",
                        help="shared: every participant's tab in one browser profile, so the "
                        "app's JavaScript is compiled once, as each real device does on its "
                        "own CPU; separate: a profile each (every tab compiles it again on "
                        "this machine's CPUs)")
    parser.add_argument("--browser-nice", type=int, default=10, metavar="N",
                        help="run the browsers at niceness N, below the server (0: same "
                        "priority as the server)")
    parser.add_argument("--timeout", type=float, default=180.0,
                        help="seconds an interaction may take before it counts as failed")
    parser.add_argument("--resubmit", action=argparse.BooleanOptionalAction, default=True,
                        help="a second submission that changes the first and adds a task")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        parser.error(f"{CHROMIUM} is missing: run `make system-deps`")
    run = measure(args)
    people: list[Person] = run["people"]
    rows = summaries(people, list(KINDS if args.resubmit else KINDS[:-1]))
    failures = [f"{p.name}: {p.error}" for p in people if p.error]
    print_table(rows)
    print_checks(run["store_check"], failures, run["server_log_problems"])
    print()
    print_open_split(people)
    print_machine(run)
    write_results(args, rows, failures, run)
    slow = any(row["verdict"] != "ok" for row in rows.values())
    return 1 if (slow or failures or not run["store_check"]["ok"]
                 or run["facilitator_exceptions"]) else 0


def write_results(args: argparse.Namespace, rows: dict, failures: list[str],
                  run: dict[str, Any]) -> None:
    people: list[Person] = run["people"]
    keep = ("wall_s", "cpu_s", "health_s", "load_average_after", "store_check",
            "server_log_problems", "facilitator_exceptions")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({
        "participants": args.participants, "think_s": args.think, "resubmit": args.resubmit,
        "browser_nice": args.browser_nice, "devices": args.devices,
        "cpus": os.cpu_count(), "target_p95_s": TARGET_S, "summary": rows,
        "failures": failures, **{name: run[name] for name in keep},
        "page_errors": {p.name: p.page_errors for p in people if p.page_errors},
        "reconnected": {p.name: p.sockets for p in people if p.sockets > 1},
        "samples": {p.name: p.seconds for p in people},
        "open_page_loaded_s": {p.name: p.page_loaded_s for p in people},
    }, indent=2))
    log(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    raise SystemExit(main())
