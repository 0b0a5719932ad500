#!/usr/bin/env python3
"""Figures for watching (quality bars P1 and P3), reported as medians and as ratios to peers
measured in the same run.

The service: every tool runs the same one, which prints `START <ns> <pid>` (its own
CLOCK_REALTIME at start) as its first line and then waits for a signal. It is a tiny C
program compiled here (`cc -O2 -static`, else dynamic), or, without a C compiler, a shell
one-liner whose own start-up (~3 ms) is large next to the P1 bar. Its start-up cost, from just
before posix_spawn to its own timestamp (median of 30), is printed as a baseline to subtract.

P1  change -> restart latency: write a watched file (time.time_ns() just before the write),
    time until the first START stamp at or after it; 30 edits at a person's pace, 0.7 to 1.5 s
    apart (seeded, the same spacing for every tool); p50, p90 (nearest rank), how many edits got
    a restart and how many restarts there were in all (one per edit is right: more is a double
    restart, fewer a lost edit). orch at `debounce: 0ms` and at its default (50ms), one session
    of 30 edits each. An orch edit that got no restart fails the run loudly (exit 1).
    Peers, one session of 30 edits each, when installed: `entr -r`, `reflex -s`, and
    watchfiles' Python API at debounce 0 (a small driver script that restarts the service).
    Ratios: each peer's p50 over orch's at debounce 0.
P3  big tree: 100,000 files in 10,000 directories, built once, `watch: ["tree/**"]` for orch;
    reflex and the watchfiles driver watch the same tree. For each: time from launch until a
    change is seen (probing with a write every 20 ms, or every 350 ms for reflex, which acts only
    after 300 ms without events; orch: a `restarting web` line, peers: the service's second
    START line), CPU seconds of the watcher process over 10 s idle (/proc/PID/stat) and its RSS
    (/proc/PID/status): orch with its watchdog, reflex's own pid, and the watchfiles driver's Python
    process (interpreter included; watchfiles at its default step of 50 ms here).

The binary is $ORCH, or the release build's. Standard library only (the peers are optional).
"""

import json
import os
import random
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

from _common import (Child, Service, cpu_seconds, emit_json, median, memory_kb, orch_binary,
                     percentile)

EDITS = 30
SPACING = (0.7, 1.5)      # seconds between an edit's restart and the next edit: a person's pace
SEED = 20261206           # the same spacing for every tool
DEFAULT_DEBOUNCE_MS = 50  # orch's default `debounce` (Config.swift, Settings.debounce)

SERVICE_C = r"""
#include <signal.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

int main(void) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    char line[64];
    int n = snprintf(line, sizeof line, "START %lld %ld\n",
                     (long long)now.tv_sec * 1000000000LL + now.tv_nsec, (long)getpid());
    if (write(1, line, (size_t)n) != n) return 1;
    /* Die on TERM, INT and HUP even if the launcher left them ignored or blocked. */
    signal(SIGTERM, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    for (;;) pause();
}
"""

SHELL_SERVICE = "echo START $(date +%s%N) $$; exec sleep 1000"

# The watchfiles peer: watchfiles.watch() at debounce 0, restarting the service (terminate,
# wait, start again) on each batch of changes; the service's stdout is this process's stdout.
# Arguments: PATH STEP_MS SERVICE...
#
# watch() sleeps `step` ms between looks at its change set and, with debounce 0, yields one
# look after the first change appears, so a change costs about 1-2 steps. step=1 is the lowest
# that still sleeps: step=0 is accepted but turns the loop into a busy poll that holds a CPU
# at 100 % (on this 2-CPU machine it would slow the very restarts being timed).
WATCHFILES_DRIVER = r"""
import signal, subprocess, sys
import watchfiles

path, step, service = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
signal.signal(signal.SIGTERM, signal.default_int_handler)
child = subprocess.Popen(service)
try:
    for _ in watchfiles.watch(path, debounce=0, step=step):
        child.terminate()
        child.wait()
        child = subprocess.Popen(service)
except KeyboardInterrupt:
    pass
finally:
    child.terminate()
    child.wait()
"""


def shell_service(work):
    """The service without a C compiler: (argv, description, the exe its instances run)."""
    return ([shutil.which("sh"), "-c", SHELL_SERVICE],
            "shell fallback (no C compiler): " + SHELL_SERVICE,
            os.path.realpath(shutil.which("sleep")))


class Session:
    """One tool's edits: the latency of each edit that got a restart, the edits that got none,
    and every restart seen (START lines after the first)."""

    def __init__(self):
        self.values = []
        self.missed = []
        self.restarts = 0


def latencies(command, cwd, watched, service, edits, sig=signal.SIGTERM, stdin=None):
    """Starts `command`, edits `watched` `edits` times at a person's pace; a Session."""
    child = Child(command, cwd, stdin)
    session = Session()
    starts = []
    spacing = random.Random(SEED)

    def next_start(after_ns, timeout):
        deadline = time.monotonic() + timeout
        while True:
            line = child.next_line(deadline)
            if line is None:
                return None
            parsed = service.parse(line)
            if parsed is None:
                continue
            starts.append(parsed[1])
            if parsed[1] >= after_ns:
                return parsed[1]

    try:
        if next_start(0, 20) is None:
            session.missed = list(range(edits))
            return session
        time.sleep(0.5)  # let the watcher settle before the first edit
        for i in range(edits):
            time.sleep(spacing.uniform(*SPACING))
            written = time.time_ns()
            with open(watched, "w") as f:
                f.write(f"edit {i}\n")
            started = next_start(written, 3)
            if started is None:
                session.missed.append(i)
                continue
            session.values.append((started - written) / 1e6)
        # A second restart for the last edit would come now.
        next_start(time.time_ns() + 10**12, 0.5)
    finally:
        service.stop(child, sig)
    session.restarts = len(starts) - 1
    return session


def p1(orch, work, service):
    cost = service.start_cost()
    rows = []
    for debounce in ("0ms", None):
        project = work / f"p1-{debounce or 'default'}"
        (project / "src").mkdir(parents=True)
        (project / "src" / "app.py").write_text("x = 0\n")
        settings = f"settings:\n  debounce: {debounce}\n" if debounce else ""
        (project / "orch.yaml").write_text(
            f"{settings}processes:\n  web:\n"
            f"    command: {json.dumps(service.argv)}\n    watch: [\"src/**/*.py\"]\n")
        values = latencies([orch, "up", "--no-color"], project, project / "src" / "app.py",
                           service, EDITS, sig=signal.SIGINT)
        label = f"debounce: {debounce}" if debounce else f"default ({DEFAULT_DEBOUNCE_MS}ms)"
        rows.append((f"orch, {label}",
                     {"tool": "orch", "debounce_ms": int(debounce[:-2]) if debounce
                      else DEFAULT_DEBOUNCE_MS}, values))

    peers = work / "p1-peers"
    peers.mkdir()
    watched = peers / "app.py"
    watched.write_text("x = 0\n")
    (work / "p1-entr-list").write_text(f"{watched}\n")
    if shutil.which("entr"):
        with open(work / "p1-entr-list") as names:
            rows.append(("entr -r", {"tool": "entr -r"}, latencies(
                ["entr", "-rn", *service.argv], peers, watched, service, EDITS, stdin=names)))
    else:
        rows.append(("entr: not installed", {"tool": "entr -r"}, None))
    if shutil.which("reflex"):
        rows.append(("reflex -s", {"tool": "reflex -s"}, latencies(
            ["reflex", "-s", "-r", r"^app\.py$", "--", *service.argv],
            peers, watched, service, EDITS)))
    else:
        rows.append(("reflex: not installed", {"tool": "reflex -s"}, None))
    watchfiles = {"tool": "watchfiles", "debounce_ms": 0, "step_ms": 1}
    if have_watchfiles():
        driver = write_driver(work)
        rows.append(("watchfiles watch(), debounce 0, step 1", watchfiles, latencies(
            [sys.executable, str(driver), str(peers), "1", *service.argv],
            peers, watched, service, EDITS)))
    else:
        rows.append(("watchfiles: not installed", watchfiles, None))

    print(f"P1 change -> restart latency: {EDITS} edits each,"
          f" {SPACING[0]:.1f}-{SPACING[1]:.1f} s apart")
    print(f"  service: {service.kind}")
    if cost is None:
        print("  its own start-up: not measured (no START line from it)")
    else:
        print(f"  its own start-up, posix_spawn -> its stamp: {cost:.2f} ms median of 30"
              " (included in every figure below)")
    lines = [{"baseline": "service start-up", "service": service.kind, "median_ms": cost,
                "n": 30}]
    base = median(rows[0][2].values) if rows[0][2] and rows[0][2].values else None
    print(f"  {'':40s} {'p50 ms':>8s} {'p90 ms':>8s} {'edits':>6s} {'restarts':>8s}"
          f" {'p50/orch':>9s}")
    failures = []
    for name, fields, session in rows:
        if session is None:
            print(f"  {name}")
            lines.append({**fields, "installed": False})
            continue
        values = session.values
        p50, p90 = (median(values), percentile(values, 90)) if values else (None, None)
        ratio = p50 / base if values and base else None
        lines.append({**fields, "p50_ms": p50, "p90_ms": p90, "n": len(values), "edits": EDITS,
                      "restarts": session.restarts, "missed": session.missed,
                      "p50_ratio_to_orch": ratio})
        done = f"{len(values):>3d}/{EDITS}"
        if not values:
            print(f"  {name:40s} {'-':>8s} {'-':>8s} {done} {session.restarts:>8d}")
        else:
            shown = f"{ratio:8.2f}x" if ratio is not None else ""
            print(f"  {name:40s} {p50:8.2f} {p90:8.2f} {done} {session.restarts:>8d}"
                  f" {shown:>9s}")
        if fields["tool"] == "orch" and (session.missed or session.restarts != EDITS):
            failures.append(f"{name}: edits {session.missed} got no restart,"
                            f" {session.restarts} restarts for {EDITS} edits")
    for failure in failures:
        print(f"  FAILED: {failure}")
    print(f"  bars: all {EDITS} edits restart once; orch at debounce 0 p50 <= 2 ms, p90 <= 4 ms;"
          f" default debounce p50 <= {DEFAULT_DEBOUNCE_MS + 5} ms")
    for fields in lines:
        emit_json("P1", **fields)
    return not failures


def have_watchfiles():
    try:
        import watchfiles  # noqa: F401
    except ImportError:
        return False
    return True


def write_driver(work):
    driver = work / "watchfiles_driver.py"
    if not driver.exists():
        driver.write_text(WATCHFILES_DRIVER)
    return driver


def helpers_of(pid, name):
    """The direct children of `pid` whose command name is `name`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            comm = (entry / "comm").read_text().strip()
        except OSError:
            continue
        if int(fields[1]) == pid and comm == name:
            found.append(int(entry.name))
    return found


def big_tree(command, cwd, probe, service, seen, sig=signal.SIGTERM, period=0.02):
    """Launches `command`, writes `probe` every `period` s until `seen(line, starts)` holds for
    an output line; then idle CPU over 10 s and RSS of the launched process (with orch's
    watchdog)."""
    start = time.monotonic()
    child = Child(command, cwd)
    starts = 0
    seen_after = None
    try:
        while seen_after is None and time.monotonic() - start < 30:
            probe.write_text(str(time.time_ns()))
            deadline = time.monotonic() + period
            while seen_after is None:
                line = child.next_line(deadline)
                if line is None:
                    break
                if service.parse(line) is not None:
                    starts += 1
                if seen(line, starts):
                    seen_after = time.monotonic() - start
        time.sleep(1)
        before = cpu_seconds(child.pid)
        time.sleep(10)
        cpu = cpu_seconds(child.pid) - before
        rss = memory_kb(child.pid).get("VmRSS")  # None: it has exited
        # orch's watchdog is part of orch: their RSS counts together (quality.md P3).
        for helper in helpers_of(child.pid, "orch-watchdog"):
            rss = (rss or 0) + (memory_kb(helper).get("VmRSS") or 0)
        rss = rss / 1024 if rss is not None else None
    finally:
        service.stop(child, sig)
    return seen_after, cpu, rss


def p3(orch, work, service):
    project = work / "p3"
    tree = project / "tree"
    for d in range(10_000):
        directory = tree / f"d{d // 100:03d}" / f"e{d % 100:02d}"
        directory.mkdir(parents=True)
        for f in range(10):
            (directory / f"f{f}.txt").write_text("x")
    probe = tree / "probe.txt"
    probe.write_text("0")
    (project / "orch.yaml").write_text(
        "settings:\n  debounce: 0ms\nprocesses:\n  web:\n"
        f"    command: {json.dumps(service.argv)}\n    watch: [\"tree/**\"]\n")

    def restarted(line, starts):
        return starts >= 2  # the service's second start

    rows = [("orch", {"tool": "orch", "probe_ms": 20},
             big_tree([orch, "up", "--no-color"], project, probe, service,
                      lambda line, starts: b"restarting web" in line, signal.SIGINT))]
    reflex = {"tool": "reflex -s", "probe_ms": 350}
    if shutil.which("reflex"):
        # reflex restarts only after 300 ms without events, so a probe every 20 ms would hold
        # it off for ever: probe it every 350 ms (its figure includes that wait).
        rows.append(("reflex -s (probe every 350 ms)", reflex, big_tree(
            ["reflex", "-s", "--", *service.argv], tree, probe, service, restarted, period=0.35)))
    else:
        rows.append(("reflex: not installed", reflex, None))
    watchfiles = {"tool": "watchfiles", "debounce_ms": 0, "step_ms": 50, "probe_ms": 20}
    if have_watchfiles():
        # watchfiles' own default step (50 ms) here: at step 1 its idle CPU would be its
        # 1,000 looks a second, not the cost of the tree.
        rows.append(("watchfiles watch(), debounce 0, step 50", watchfiles, big_tree(
            [sys.executable, str(write_driver(work)), str(tree), "50", *service.argv],
            tree, probe, service, restarted)))
    else:
        rows.append(("watchfiles: not installed", watchfiles, None))

    print("P3 big tree: 100,000 files in 10,000 directories, watch: [\"tree/**\"]"
          " (peers: the same tree)")
    base = rows[0][2][0]
    lines = []
    print(f"  {'':40s} {'seen ms':>8s} {'/orch':>6s} {'idle CPU s':>10s} {'RSS MB':>7s}")
    for name, fields, figures in rows:
        if figures is None:
            print(f"  {name}")
            lines.append({**fields, "installed": False})
            continue
        seen_after, cpu, rss = figures
        ratio = seen_after / base if seen_after is not None and base else None
        lines.append({**fields, "seen_ms": seen_after * 1000 if seen_after is not None else None,
                      "seen_ratio_to_orch": ratio, "idle_cpu_s": cpu, "rss_mb": rss})
        seen_ms = f"{seen_after * 1000:8.0f}" if seen_after is not None else f"{'>30000':>8s}"
        shown = f"{ratio:5.2f}x" if ratio is not None else ""
        rss_mb = f"{rss:7.1f}" if rss is not None else f"{'exited':>7s}"
        print(f"  {name:40s} {seen_ms} {shown:>6s} {cpu:10.3f} {rss_mb}")
    print("  seen: launch -> first change seen (an upper bound on 'watching');"
          " idle CPU: over 10 s;")
    print("  RSS: the watcher's own processes (orch with its watchdog; reflex's pid; the"
          " watchfiles driver's Python)")
    print("  bars: seen <= 600 ms, idle CPU <= 0.01 s, RSS (orch with its watchdog) <= 10 MB")
    for fields in lines:
        emit_json("P3", **fields)


def main():
    orch = orch_binary()
    with tempfile.TemporaryDirectory(prefix="orch-bench-") as tmp:
        work = Path(tmp)
        service = Service(work, SERVICE_C, shell_service)
        passed = p1(orch, work, service)
        p3(orch, work, service)
    if not passed:
        print("P1 FAILED: an orch edit got no restart, or more than one (see above)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
