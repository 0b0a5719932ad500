#!/usr/bin/env python3
"""Figures for the restart cascade (quality bar P5): a chain of 10 services, each with a `tcp`
ready check; a change to the root's watched file restarts all 10 in one round, and orch's own
overhead per hop, beyond the services' start time, must be at most 20 ms.

The project: services s0..s9, s(i) `depends_on: [s(i-1)]` (condition `ready` and
`restart: true`, both defaults), each `ready: {tcp: PORT_i}` on a free port with the default
`interval` (the bar is about orch as users run it), s0 `watch: ["s0.txt"]` at `debounce: 0ms`.

The service: `SERVICE PORT` prints `START <ns> <pid>` (its own CLOCK_REALTIME at start), binds
and listens on 127.0.0.1:PORT, prints `LISTENING <ns>` and accepts until a signal ends it. It is
a tiny C program compiled here (`cc -O2 -static`, else dynamic), or, without a C compiler, the
same in Python (whose own start-up, tens of ms, then dominates the figures).

Baseline: the service's own start time, from just before posix_spawn to its LISTENING stamp (a
connect is made then to confirm the port accepts), median of 30, measured by this script.

Cascade: `orch up --no-color`; once all 10 are ready, EDITS times: write s0.txt
(time.time_ns() just before the write), time until orch's `s9 ready` line is read. orch stops
s9..s0 and starts s0..s9 again, each after its dependency's ready check passes. Reported: the
median total; per-hop overhead = (total - 10 x baseline) / 10, against the bar; and where the
time goes, from the services' own stamps: change -> s0's START (watching, stopping all 10,
spawning s0), s(i-1) LISTENING -> s(i) START as the mean of an edit's 9 hops (noticing
readiness, spawning, and whatever the service does before its START stamp: little in C, the
interpreter's start-up in Python), and s9 LISTENING -> `s9 ready` read here.

The loop guard suspends a watch after more than 10 file-change restarts in 60 s, so EDITS is at
most 10 per orch session. The binary is $ORCH, or the release build's. Standard library only.

JSON lines (format in _common.py): "baseline" for the service's own start and 10 times it,
"span" total, first (change -> s0 START), hop (the mean of an edit's 9) and tail
(s9 LISTENING -> `s9 ready` read), then the overhead per hop against the bar.
"""

import json
import os
import signal
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _common import Child, Service, emit_json, median, orch_binary

CHAIN = 10
EDITS = 10           # one session: the loop guard allows 10 file-change restarts in 60 s
SPACING = 0.1        # seconds between `s9 ready` and the next edit
BASELINE_RUNS = 30
BAR_MS = 20.0

SERVICE_C = r"""
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static void stamp(const char *what) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    char line[80];
    int n = snprintf(line, sizeof line, "%s %lld %ld\n", what,
                     (long long)now.tv_sec * 1000000000LL + now.tv_nsec, (long)getpid());
    if (write(1, line, (size_t)n) != n) exit(1);
}

int main(int argc, char **argv) {
    stamp("START");
    if (argc < 2) return 2;
    /* Die on TERM, INT and HUP even if the launcher left them ignored or blocked. */
    signal(SIGTERM, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int on = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    struct sockaddr_in address = {0};
    address.sin_family = AF_INET;
    address.sin_port = htons((unsigned short)atoi(argv[1]));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&address, sizeof address) != 0) { perror("bind"); return 1; }
    if (listen(fd, 64) != 0) { perror("listen"); return 1; }
    stamp("LISTENING");
    for (;;) {
        int client = accept(fd, NULL, NULL);
        if (client >= 0) close(client);
    }
}
"""

SERVICE_PY = r"""
import os, signal, socket, sys, time
def stamp(what):
    os.write(1, f"{what} {time.time_ns()} {os.getpid()}\n".encode())
stamp("START")
for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
    signal.signal(s, signal.SIG_DFL)
signal.pthread_sigmask(signal.SIG_SETMASK, [])
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", int(sys.argv[1])))
server.listen(64)
stamp("LISTENING")
while True:
    server.accept()[0].close()
"""


def python_service(work):
    """The service without a C compiler: (argv, description, the exe its instances run)."""
    script = work / "service.py"
    script.write_text(SERVICE_PY)
    return ([sys.executable, "-S", str(script)], "Python fallback (no C compiler)",
            os.path.realpath(sys.executable))


def connect(port):
    """Confirms that 127.0.0.1:`port` accepts a connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=2):
        pass


def free_ports(count):
    """`count` distinct loopback ports that nothing listens on now."""
    holders = []
    try:
        for _ in range(count):
            holder = socket.socket()
            holder.bind(("127.0.0.1", 0))
            holders.append(holder)
        return [holder.getsockname()[1] for holder in holders]
    finally:
        for holder in holders:
            holder.close()


def write_project(project, service, ports):
    """orch.yaml for the chain, and s0's watched file."""
    lines = ["settings:", "  debounce: 0ms", "processes:"]
    for i, port in enumerate(ports):
        lines += [f"  s{i}:", f"    command: {json.dumps([*service.argv, str(port)])}",
                  f"    ready: {{tcp: {port}}}"]
        if i == 0:
            lines.append('    watch: ["s0.txt"]')
        else:
            lines.append(f"    depends_on: [s{i - 1}]")
    project.mkdir()
    (project / "orch.yaml").write_text("\n".join(lines) + "\n")
    (project / "s0.txt").write_text("edit -1\n")


class Session:
    """One `orch up`, its lines split into orch's own and the services' stamps."""

    def __init__(self, orch, project, service):
        self.child = Child([orch, "up", "--no-color"], project)
        self.service = service
        self.stamps = {}  # (name, "START" or "LISTENING") -> latest stamp (ns)

    def wait_for(self, text, timeout):
        """time.time_ns() when orch's own line `text` is read, or None at EOF or timeout."""
        deadline = time.monotonic() + timeout
        while True:
            line = self.child.next_line(deadline)
            if line is None:
                return None
            seen = time.time_ns()
            name, bar, rest = line.decode(errors="replace").rstrip("\n").partition(" | ")
            if not bar:
                continue
            name = name.strip()
            if name == "orch":
                if rest == text:
                    return seen
                continue
            parsed = self.service.parse(rest)
            if parsed:
                self.stamps[(name, parsed[0])] = parsed[1]

    def stop(self):
        self.service.stop(self.child, signal.SIGINT)


def cascade(orch, work, service, ports):
    """Runs one session of EDITS edits; returns a list of per-edit figures in ms."""
    project = work / "project"
    write_project(project, service, ports)
    watched = project / "s0.txt"
    last = f"s{CHAIN - 1} ready"
    session = Session(orch, project, service)
    results = []
    try:
        if session.wait_for(last, 30) is None:
            print("  orch never reported all services ready", file=sys.stderr)
            return results
        time.sleep(0.5)  # let the watcher settle before the first edit
        for i in range(EDITS):
            time.sleep(SPACING)
            session.stamps.clear()
            written = time.time_ns()
            watched.write_text(f"edit {i}\n")
            seen = session.wait_for(last, 10)
            if seen is None:
                print(f"  edit {i}: no `{last}` within 10 s", file=sys.stderr)
                break
            stamps = session.stamps
            try:
                hops = [(stamps[(f"s{k}", "START")] - stamps[(f"s{k - 1}", "LISTENING")]) / 1e6
                        for k in range(1, CHAIN)]
                first = (stamps[("s0", "START")] - written) / 1e6
                tail = (seen - stamps[(f"s{CHAIN - 1}", "LISTENING")]) / 1e6
            except KeyError:
                hops, first, tail = [], None, None
            results.append({"total": (seen - written) / 1e6, "first": first, "hops": hops,
                            "tail": tail})
    finally:
        session.stop()
    return results


def report(service, baseline, results):
    lines = []
    table(service, baseline, results, lines)
    for fields in lines:
        emit_json("P5", **fields)


def table(service, baseline, results, lines):
    """Prints the table, and appends each of its figures to `lines` for its JSON line."""
    print(f"P5 cascade: chain of {CHAIN} services with tcp ready checks (default interval),"
          f" root's watched file written {EDITS} times")
    print(f"  service: {service.kind}")
    lines.append({"baseline": "service start", "service": service.kind, "median_ms": baseline,
                  "n": BASELINE_RUNS})
    if baseline is None:
        print("  its own start: not measured (no LISTENING line from it)")
        return
    print(f"  its own start, posix_spawn -> listening: {baseline:.2f} ms"
          f" median of {BASELINE_RUNS}")
    if not results:
        print("  no cascade measured")
        lines.append({"span": "total", "p50_ms": None, "max_ms": None, "n": 0})
        return
    def column(figure):
        return [r[figure] for r in results]

    # A hop's figure is the mean over the edit's 9 hops: a median of single hops would hide
    # a mix of fast hops and slow ones.
    hops = [statistics.mean(r["hops"]) if r["hops"] else None for r in results]
    rows = [
        ("change -> `s9 ready` (total)", "total", column("total")),
        ("  change -> s0 START (watch, stop 10, spawn)", "first", column("first")),
        (f"  s(i-1) LISTENING -> s(i) START, mean of {CHAIN - 1} hops", "hop", hops),
        (f"  s{CHAIN - 1} LISTENING -> `s{CHAIN - 1} ready` read", "tail", column("tail")),
    ]
    print(f"  {'':50s} {'p50 ms':>8s} {'max ms':>8s}")
    for name, span, values in rows:
        values = [v for v in values if v is not None]
        p50, most = (median(values), max(values)) if values else (None, None)
        lines.append({"span": span, "p50_ms": p50, "max_ms": most, "n": len(values)})
        shown = f"{p50:8.2f} {most:8.2f}" if values else f"{'-':>8s} {'-':>8s}"
        print(f"  {name:50s} {shown}")
    own = f"{CHAIN} x the service's own start"
    print(f"  {own:50s} {CHAIN * baseline:8.2f}")
    lines.append({"baseline": f"{CHAIN} x service start", "total_ms": CHAIN * baseline})
    total = median(column("total"))
    overhead = (total - CHAIN * baseline) / CHAIN
    verdict = "meets" if overhead <= BAR_MS else "MISSES"
    print(f"  orch's overhead per hop: (total - {CHAIN} x start) / {CHAIN} = {overhead:.2f} ms;"
          f" {len(results)}/{EDITS} edits; {verdict} the bar (<= {BAR_MS:.0f} ms)")
    lines.append({"overhead_per_hop_ms": overhead, "n": len(results), "edits": EDITS,
                  "bar_ms": BAR_MS, "meets_bar": overhead <= BAR_MS})


def main():
    orch = orch_binary()
    with tempfile.TemporaryDirectory(prefix="orch-bench-") as tmp:
        work = Path(tmp)
        service = Service(work, SERVICE_C, python_service, words=("START", "LISTENING"))
        ports = free_ports(CHAIN)
        baseline = service.start_cost([str(ports[0])], until="LISTENING",
                                      confirm=lambda: connect(ports[0]), runs=BASELINE_RUNS)
        results = cascade(orch, work, service, ports) if baseline is not None else []
        report(service, baseline, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
