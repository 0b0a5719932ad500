#!/usr/bin/env python3
"""Figures for watching (quality bars P1 and P3), reported as medians.

P1  change -> restart latency: one service that prints a start timestamp (its own clock,
    nanoseconds), `debounce: 0ms` and the default 50ms; write a watched file, time until the
    new instance's first line names a start after the write; 30 edits each. Peers (entr -r,
    watchexec) are measured the same way when installed.
P3  big tree: 100,000 files in 10,000 directories, `watch: ["**"]`: time from launch until a
    change is seen (probing with a touch every 20 ms), CPU seconds over 10 s idle, and RSS.

The binary is $ORCH, or the release build's. Standard library only.
"""

import os
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import orch_binary


def latencies(command, cwd, watched, edits=30):
    """Starts `command`, edits `watched` `edits` times, returns the latencies in ms."""
    proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    results = []

    def next_start(after_ns, deadline):
        while time.time() < deadline:
            ready, _, _ = select.select([proc.stdout], [], [], max(0.0, deadline - time.time()))
            if not ready:
                return None
            line = proc.stdout.readline()
            if not line:
                return None
            text = line.decode(errors="replace")
            if "START " in text:
                stamp = int(text.rsplit("START ", 1)[1].split()[0])
                if stamp >= after_ns:
                    return stamp
        return None

    try:
        if next_start(0, time.time() + 20) is None:
            return []
        for i in range(edits):
            time.sleep(0.15)
            written = time.time_ns()
            with open(watched, "w") as f:
                f.write(f"edit {i}\n")
            started = next_start(written, time.time() + 10)
            if started is None:
                break
            results.append((started - written) / 1e6)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return results


def report(name, values):
    if not values:
        print(f"  {name:38s} no measurement")
        return
    values = sorted(values)
    p90 = values[min(len(values) - 1, int(len(values) * 0.9))]
    print(f"  {name:38s} p50 {statistics.median(values):7.2f} ms  p90 {p90:7.2f} ms  ({len(values)} edits)")


def p1(orch, work):
    print("P1 change -> restart latency (30 edits)")
    service = "echo START $(date +%s%N); exec sleep 1000"
    for debounce in ("0ms", "50ms"):
        project = work / f"p1-{debounce}"
        project.mkdir()
        (project / "src").mkdir()
        (project / "src" / "app.py").write_text("x = 0\n")
        (project / "orch.yaml").write_text(
            f"settings:\n  debounce: {debounce}\nprocesses:\n  web:\n"
            f"    command: \"{service}\"\n    watch: [\"src/**/*.py\"]\n")
        # The loop guard suspends a watch after 10 restarts in 60 s, so 30 edits are three
        # sessions of 10.
        values = []
        for _ in range(3):
            values += latencies([orch, "up", "--no-color"], project, project / "src" / "app.py", 10)
        report(f"orch, debounce {debounce}", values)
    peer_dir = work / "p1-peers"
    peer_dir.mkdir()
    (peer_dir / "app.py").write_text("x = 0\n")
    script = ["sh", "-c", service]
    if shutil.which("entr"):
        cmd = ["sh", "-c", f"echo app.py | entr -rn sh -c '{service}'"]
        report("entr -r", latencies(cmd, peer_dir, peer_dir / "app.py"))
    else:
        print("  entr: not installed")
    if shutil.which("watchexec"):
        cmd = ["watchexec", "-r", "-w", "app.py", "--debounce", "0", "--", *script]
        report("watchexec -r", latencies(cmd, peer_dir, peer_dir / "app.py"))
    else:
        print("  watchexec: not installed")


def p3(orch, work):
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
        "    command: \"echo START; exec sleep 1000\"\n    watch: [\"tree/**\"]\n")
    start = time.perf_counter()
    proc = subprocess.Popen([orch, "up", "--no-color"], cwd=project, stdout=subprocess.PIPE)
    os.set_blocking(proc.stdout.fileno(), False)
    seen = None
    buffer = b""
    while time.perf_counter() - start < 30:
        probe.write_text(str(time.time()))
        time.sleep(0.02)
        chunk = proc.stdout.read() or b""
        buffer += chunk
        if b"restarting web" in buffer:
            seen = time.perf_counter() - start
            break
    time.sleep(1)
    stat = Path(f"/proc/{proc.pid}/stat").read_text().split()
    cpu_before = (int(stat[13]) + int(stat[14])) / os.sysconf("SC_CLK_TCK")
    time.sleep(10)
    stat = Path(f"/proc/{proc.pid}/stat").read_text().split()
    cpu_after = (int(stat[13]) + int(stat[14])) / os.sysconf("SC_CLK_TCK")
    status = Path(f"/proc/{proc.pid}/status").read_text()
    rss = int(next(l for l in status.splitlines() if l.startswith("VmRSS")).split()[1]) / 1024
    proc.send_signal(signal.SIGINT)
    proc.wait()
    print("P3 big tree: 100,000 files in 10,000 directories, watch: [\"tree/**\"]")
    if seen is None:
        print("  no change seen within 30 s")
    else:
        print(f"  first change seen {seen * 1000:.0f} ms after launch (an upper bound on 'watching'; bar: 0.6 s)")
    print(f"  CPU over 10 s idle: {cpu_after - cpu_before:.3f} s (bar: <= 0.01 s)")
    print(f"  RSS: {rss:.1f} MB (bar: <= 20 MB)")


def main():
    orch = orch_binary()
    if not os.access(orch, os.X_OK):
        print(f"bench/watch.py: no orch binary at {orch}; run `make release`", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="orch-bench-") as tmp:
        work = Path(tmp)
        p1(orch, work)
        p3(orch, work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
