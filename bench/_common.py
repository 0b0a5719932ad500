"""Shared by the benchmark scripts (bench/run skips files starting with `_`)."""

import os
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def orch_binary():
    """$ORCH, or the release build's binary."""
    if os.environ.get("ORCH"):
        return os.environ["ORCH"]
    out = subprocess.run(
        ["swift", "build", "-c", "release", "--static-swift-stdlib", "--show-bin-path"],
        cwd=REPO, capture_output=True, text=True, check=True)
    return os.path.join(out.stdout.strip(), "orch")
