"""Shared by the benchmark scripts (bench/run skips files starting with `_`)."""

import os
import queue
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def orch_binary():
    """$ORCH, or the release build's binary."""
    if os.environ.get("ORCH"):
        return os.path.abspath(os.environ["ORCH"])
    out = subprocess.run(
        ["swift", "build", "-c", "release", "--static-swift-stdlib", "--show-bin-path"],
        cwd=REPO, capture_output=True, text=True, check=True)
    return os.path.join(out.stdout.strip(), "orch")


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
