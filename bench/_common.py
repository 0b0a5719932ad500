"""Shared by the benchmark scripts (bench/run skips files starting with `_`).

JSON lines: besides its table, a script prints every figure of the table as one JSON object
on a line of its own (`emit_json`), nothing before or after it on the line, so that
`bench/run | grep '^{'` collects them all. For example

    {"figure": "P1", "bench": "watch", "tool": "orch", "debounce_ms": 0, "p50_ms": 2.41,
     "p90_ms": 2.93, "n": 30, "edits": 30, "p50_ratio_to_orch": 1.0}

(on one line). The keys, in this order:
- "figure": the quality bar the table's heading names (P1 ... P6, R5);
- "bench": the script that measured it (watch, cascade, up, check);
- what names the table's row (tool, command, span, ...), then its figures in the order the
  table shows them. A figure's name ends in its unit (_ms, _s, _mb, _pct; ratio_to_X is a
  ratio to row X); "n" is how many samples a median or percentile is of. Medians are
  `median`'s, percentiles `percentile`'s (nearest rank). Floats are rounded to 3 decimal
  places; null is a figure not measured. A peer that is not installed gets a line with
  "installed": false and no figures.
"""

import json
import math
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH = Path(sys.argv[0]).stem  # the script running: watch, cascade, up or check


def orch_binary():
    """$ORCH, or the release build's binary (`swift build -c release --static-swift-stdlib
    --show-bin-path`); exits with a message naming the script when there is none."""
    script = f"bench/{BENCH}.py"
    if os.environ.get("ORCH"):
        path = os.path.abspath(os.environ["ORCH"])
    else:
        try:
            out = subprocess.run(
                ["swift", "build", "-c", "release", "--static-swift-stdlib", "--show-bin-path"],
                cwd=REPO, capture_output=True, text=True, check=True)
        except (OSError, subprocess.CalledProcessError) as error:
            sys.exit(f"{script}: cannot ask swift for the release bin path ({error});"
                     " set ORCH=/path/to/orch")
        path = os.path.join(out.stdout.strip(), "orch")
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        sys.exit(f"{script}: no orch binary at {path}: run `make release` first,"
                 " or set ORCH=/path/to/orch")
    return path


def median(values):
    """The median of `values` (any iterable of numbers): the middle one once sorted, or the
    mean of the two middle ones for an even count, as statistics.median. ValueError if empty."""
    values = sorted(values)
    if not values:
        raise ValueError("median of no values")
    middle = len(values) // 2
    if len(values) % 2:
        return values[middle]
    return (values[middle - 1] + values[middle]) / 2


def percentile(values, p):
    """The `p`th percentile (0 <= p <= 100) of `values` by the nearest-rank method: the
    smallest value that at least p % of the values are at or below, sorted(values)[ceil(p/100
    x n) - 1] (0 gives the minimum). No interpolation, so it is always a measured value: p90
    of 30 values is the 27th smallest, of 10 the 9th. ValueError if empty."""
    values = sorted(values)
    if not values:
        raise ValueError("percentile of no values")
    return values[max(0, math.ceil(p * len(values) / 100) - 1)]


def emit_json(figure, **fields):
    """Prints one figure as a JSON line: {"figure": figure, "bench": BENCH, **fields} (the
    format is in this module's docstring)."""
    print(json.dumps({"figure": figure, "bench": BENCH, **_rounded(fields)}, sort_keys=False))


def _rounded(value):
    if isinstance(value, float):
        return round(value, 3)
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_rounded(item) for item in value]
    return value


def cpu_seconds(pid):
    """User plus system CPU seconds the process `pid` has used so far (/proc/PID/stat)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2:].split()  # after "pid (comm) "
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def memory_kb(pid):
    """The kB figures of /proc/PID/status by name (VmRSS, VmHWM, ...); none for a process
    that has exited and is not reaped yet."""
    figures = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        value = value.split()
        if len(value) == 2 and value[1] == "kB":
            figures[name] = int(value[0])
    return figures


def timed_run(argv, cwd=None, **options):
    """Seconds (time.perf_counter) around subprocess.run(argv, cwd=cwd, **options)."""
    start = time.perf_counter()
    subprocess.run(argv, cwd=cwd, **options)
    return time.perf_counter() - start


def repeat(fn, runs, warmups=0):
    """Calls fn() `warmups + runs` times; the results of the last `runs` calls."""
    results = [fn() for _ in range(warmups + runs)]
    return results[warmups:]


class Child:
    """A child process whose stdout lines a reader thread pushes into a queue (so no line sits
    unseen in a buffer while the caller waits); started in its own session, so `stop` can end
    whatever it leaves behind in its process group."""

    def __init__(self, command, cwd, stdin=None):
        self.lines = queue.Queue()
        self.proc = subprocess.Popen(
            command, cwd=cwd, stdin=stdin if stdin is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True)
        self.pid = self.proc.pid
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def next_line(self, deadline):
        """The next line (bytes), or None at EOF or once time.monotonic() passes `deadline`."""
        try:
            return self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            return None

    def _exited(self):
        # WNOWAIT leaves the zombie in place, so its pid (the group id) stays reserved until
        # stop() has signalled the group.
        try:
            return os.waitid(os.P_PID, self.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
        except ChildProcessError:
            return True

    def stop(self, sig=signal.SIGTERM, grace=5.0):
        """`sig` to the child, SIGKILL if it is still there after `grace` s, then SIGKILL to
        anything left in its process group; reaps it and waits briefly for the reader."""
        if self.proc.returncode is None:
            os.kill(self.pid, sig)
            deadline = time.monotonic() + grace
            while not self._exited() and time.monotonic() < deadline:
                time.sleep(0.01)
            if not self._exited():
                os.kill(self.pid, signal.SIGKILL)
            try:
                os.killpg(self.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        self.proc.wait()
        self.reader.join(timeout=2)
        if not self.reader.is_alive():
            self.proc.stdout.close()


def compile_service(source_text, work):
    """Compiles a benchmark's C service into `work` (`cc -O2 -static`, else dynamic): returns
    (argv, description, binary path), or None without a C compiler."""
    source = work / "service.c"
    source.write_text(source_text)
    binary = work / "service"
    cc = shutil.which("cc") or shutil.which("gcc")
    if not cc:
        return None
    for flags, kind in ((["-static"], "static C"), ([], "dynamic C")):
        built = subprocess.run([cc, "-O2", *flags, "-o", str(binary), str(source)],
                               capture_output=True)
        if built.returncode == 0:
            description = f"{kind} program (cc -O2 {' '.join(flags)}".rstrip() + ")"
            return [str(binary)], description, str(binary)
    return None


def sweep_instances(pids, exe):
    """SIGKILLs those of `pids` still running `exe` (instances a tool left behind, found by
    the pids the service printed); empties `pids` and returns how many were killed."""
    left = 0
    for pid in pids:
        try:
            if os.readlink(f"/proc/{pid}/exe") == exe:
                os.kill(pid, signal.SIGKILL)
                left += 1
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            pass
    pids.clear()
    return left


class Service:
    """The one service a benchmark runs under every tool: `source_c` compiled here
    (`compile_service`), else `fallback(work)` -> (argv, description, exe). Each of its lines
    `WORD <ns> <pid>` (WORD one of `words`, <ns> its own CLOCK_REALTIME then) names the
    instance's pid, which is remembered so that instances a tool leaves running can be swept."""

    def __init__(self, work, source_c, fallback, words=("START",)):
        compiled = compile_service(source_c, work)
        self.argv, self.kind, self.exe = compiled if compiled else fallback(work)
        self.words = words
        self.pids = set()

    def parse(self, line):
        """(WORD, stamp in ns) for a line (bytes or str) holding one of the service's
        `WORD <ns> <pid>`, also behind a tool's prefix (`web | START ...`), else None;
        remembers the instance's pid."""
        text = line.decode(errors="replace") if isinstance(line, bytes) else line
        for word in self.words:
            head, found, tail = text.rpartition(word + " ")
            if not found or (head and not head[-1].isspace()):
                continue
            fields = tail.split()
            if not fields or not fields[0].isdigit():
                return None
            if len(fields) > 1 and fields[1].isdigit():
                self.pids.add(int(fields[1]))
            return word, int(fields[0])
        return None

    def start_cost(self, args=(), until="START", confirm=None, runs=30):
        """Median ms of `runs` from just before posix_spawn of the service (its argv, then
        `args`) to the stamp of its `until` line, a run counting once `confirm()` (when given,
        e.g. a connect) returns; None if no run got that far."""
        argv = [*self.argv, *args]
        costs = []
        for _ in range(runs):
            r, w = os.pipe()
            before = time.time_ns()
            pid = os.posix_spawn(argv[0], argv, os.environ,
                                 file_actions=[(os.POSIX_SPAWN_DUP2, w, 1)])
            os.close(w)
            stamp = None
            data = b""
            try:
                while stamp is None:
                    chunk = os.read(r, 256)
                    if not chunk:
                        break
                    *lines, data = (data + chunk).split(b"\n")
                    for line in lines:
                        parsed = self.parse(line)
                        if parsed and parsed[0] == until:
                            stamp = parsed[1]
                            break
                if stamp is not None:
                    if confirm:
                        confirm()
                    costs.append((stamp - before) / 1e6)
            finally:
                os.close(r)
                os.kill(pid, signal.SIGTERM)
                os.waitpid(pid, 0)
        self.pids.clear()
        return median(costs) if costs else None

    def stop(self, child, sig=signal.SIGTERM):
        """Stops `child` (a Child running some tool) with `sig`, then kills the service
        instances it left running, saying how many."""
        child.stop(sig)
        left = sweep_instances(self.pids, self.exe)
        if left:
            print(f"  (killed {left} service instance(s) left running)")
