#!/usr/bin/env python3
"""Figures for `orch up` (quality bars P2, P4 and P6), each against a baseline measured in
the same run, reported as medians and ratios.

P2  throughput: one task printing 1,000,000 numbered ~60-byte lines, `orch up --no-color`
    read through a pipe; every line must arrive. Baselines: the generator alone into
    /dev/null (the bar: orch <= 1.25x its time), and the same generator piped through
    `sed 's/^/gen  | /'`; honcho and foreman too when installed.
P4  start-up: 50 services (`sleep`); time from launch until all 50 `started` lines.
P6  memory: 20 chatty services for a few seconds; orch's peak RSS (VmHWM).
R5  crash loop: one `restart: always` service that exits at once, for 10 s: spawns (bar: <= 10,
    on the 250 ms doubling backoff), the gaps between them, and orch's CPU over those 10 s
    (bar: < 5 %).

The binary is $ORCH, or the release build's. Standard library only.
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import cpu_seconds, emit_json, median, memory_kb, orch_binary, repeat, timed_run

LINES = 1_000_000
GENERATOR = "cat lines.txt"


def write_lines(directory):
    """The input: LINES numbered ~60-byte lines, written once so `cat` feeds them at full speed."""
    with open(directory / "lines.txt", "w") as out:
        for i in range(1, LINES + 1):
            out.write("%09d abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwx\n" % i)


def timed_lines(command, cwd, env=None):
    """Runs a shell pipeline, counts the lines it prints, returns (seconds, lines)."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, shell=True, cwd=cwd, stdout=subprocess.PIPE, env=env)
    count = 0
    while True:
        chunk = proc.stdout.read(1 << 20)
        if not chunk:
            break
        count += chunk.count(b"\n")
    proc.wait()
    return time.perf_counter() - start, count


def median_of(runs, fn):
    results = repeat(fn, runs)
    return median(r[0] for r in results), results


def p2(orch, work):
    project = work / "p2"
    project.mkdir()
    write_lines(project)
    (project / "orch.yaml").write_text(
        "processes:\n  gen:\n    kind: task\n    command: \"%s\"\n"
        % GENERATOR.replace("\\", "\\\\").replace('"', '\\"'))
    runs = 5
    rows = []
    orch_t, orch_results = median_of(runs, lambda: timed_lines(f"{orch} up --no-color", project))
    lost = [LINES + 2 - r[1] for r in orch_results]
    rows.append(("orch up --no-color", "orch up --no-color", runs, orch_t))
    sed_t, _ = median_of(runs, lambda: timed_lines(GENERATOR + " | sed 's/^/gen  | /'", project))
    rows.append(("sed 's/^/gen | /' (baseline)", "sed", runs, sed_t))
    gen_t, _ = median_of(runs, lambda: timed_lines(GENERATOR, project))
    rows.append(("generator alone", "generator alone", runs, gen_t))
    procfile = work / "p2-procfile"
    procfile.mkdir()
    write_lines(procfile)
    (procfile / "Procfile").write_text("gen: " + GENERATOR + "\n")
    for peer, cmd in (("honcho", "honcho start"), ("foreman", "foreman start")):
        if shutil.which(peer):
            t, _ = median_of(1, lambda: timed_lines(cmd, procfile))
            rows.append((f"{peer} (1 run)", cmd, 1, t))
        else:
            rows.append((f"{peer}: not installed", cmd, 0, None))
    print(f"P2 throughput: {LINES:,} lines of ~60 bytes, median of {runs} runs")
    for name, _, _, t in rows:
        if t is None:
            print(f"  {name}")
        else:
            print(f"  {name:34s} {t * 1000:9.1f} ms  {LINES / t / 1e6:6.2f} M lines/s")
    print(f"  lines lost by orch per run: {lost}")
    print(f"  ratio orch / generator alone: {orch_t / gen_t:.2f}x  (bar: <= 1.25x);"
          f" orch / sed: {orch_t / sed_t:.2f}x")
    for i, (_, tool, n, t) in enumerate(rows):
        if t is None:
            emit_json("P2", tool=tool, installed=False)
            continue
        orchs = ({"lines_lost": lost, "ratio_to_generator": orch_t / gen_t,
                  "ratio_to_sed": orch_t / sed_t} if i == 0 else {})
        emit_json("P2", tool=tool, median_ms=t * 1000, mlines_per_s=LINES / t / 1e6, n=n, **orchs)


def p4(orch, work):
    project = work / "p4"
    project.mkdir()
    text = "processes:\n" + "".join(f"  s{i}:\n    command: [sleep, \"1000\"]\n" for i in range(50))
    (project / "orch.yaml").write_text(text)

    def once():
        start = time.perf_counter()
        proc = subprocess.Popen([orch, "up", "--no-color"], cwd=project, stdout=subprocess.PIPE)
        started = 0
        elapsed = None
        while started < 50:
            line = proc.stdout.readline()
            if not line:
                break
            if b"started (pid" in line:
                started += 1
        elapsed = time.perf_counter() - start
        proc.send_signal(signal.SIGINT)
        proc.stdout.read()
        proc.wait()
        return elapsed, started

    def version():
        return timed_run([orch, "--version"], capture_output=True), 0

    runs = 7
    t, results = median_of(runs, once)
    v, _ = median_of(runs, version)
    print(f"P4 start-up: 50 services, median of {runs} runs")
    print(f"  all 50 spawned after {t * 1000:.1f} ms (bar: <= 100 ms); spawned counts {[r[1] for r in results]}")
    print(f"  orch --version alone: {v * 1000:.1f} ms; ratio {t / v:.1f}x")
    emit_json("P4", command="orch up", services=50, median_ms=t * 1000, n=runs,
              spawned=[r[1] for r in results], ratio_to_version=t / v)
    emit_json("P4", command="orch --version", median_ms=v * 1000, n=runs)


def p6(orch, work):
    project = work / "p6"
    project.mkdir()
    chatty = "while :; do echo \\\"$ORCH_PROCESS says hello at $(date +%s%N) with some padding text\\\"; sleep 0.002; done"
    text = "processes:\n" + "".join(f"  chatty{i}:\n    command: \"{chatty}\"\n" for i in range(20))
    (project / "orch.yaml").write_text(text)
    proc = subprocess.Popen([orch, "up", "--no-color"], cwd=project, stdout=subprocess.DEVNULL)
    samples = []
    deadline = time.time() + 6
    while time.time() < deadline:
        time.sleep(0.25)
        try:
            memory = memory_kb(proc.pid)
        except FileNotFoundError:
            break
        if "VmHWM" not in memory:
            break  # it has exited
        samples.append((memory["VmRSS"], memory["VmHWM"]))
    proc.send_signal(signal.SIGINT)
    proc.wait()
    rss = median(s[0] for s in samples) / 1024
    peak = max(s[1] for s in samples) / 1024
    print("P6 memory: 20 chatty services for 6 s")
    print(f"  orch RSS median {rss:.1f} MB, peak {peak:.1f} MB (bar: <= 20 MB)")
    emit_json("P6", services=20, rss_median_mb=rss, rss_peak_mb=peak, n=len(samples))


def r5(orch, work):
    project = work / "r5"
    project.mkdir()
    (project / "orch.yaml").write_text(
        "processes:\n  crash:\n    command: \"exit 1\"\n    restart: always\n")
    start = time.monotonic()
    proc = subprocess.Popen([orch, "up", "--no-color"], cwd=project, stdout=subprocess.PIPE)
    os.set_blocking(proc.stdout.fileno(), False)
    spawns = []
    buffer = b""
    while time.monotonic() - start < 10:
        time.sleep(0.005)
        buffer += proc.stdout.read() or b""
        *lines, buffer = buffer.split(b"\n")
        spawns += [time.monotonic() - start for line in lines if b"crash started" in line]
    cpu = cpu_seconds(proc.pid)
    elapsed = time.monotonic() - start
    proc.send_signal(signal.SIGINT)
    proc.communicate()
    gaps = [b - a for a, b in zip(spawns, spawns[1:])]
    print("R5 crash loop: restart: always, exits at once, 10 s")
    print(f"  {len(spawns)} spawns (bar: <= 10); gaps {', '.join(f'{g:.2f}' for g in gaps)} s")
    print(f"  orch CPU {cpu:.2f} s over {elapsed:.1f} s = {cpu / elapsed * 100:.1f} % (bar: < 5 %)")
    emit_json("R5", spawns=len(spawns), gaps_s=gaps, cpu_s=cpu, elapsed_s=elapsed,
              cpu_pct=cpu / elapsed * 100)


def main():
    orch = orch_binary()
    with tempfile.TemporaryDirectory(prefix="orch-bench-") as tmp:
        work = Path(tmp)
        p2(orch, work)
        p4(orch, work)
        p6(orch, work)
        r5(orch, work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
