#!/usr/bin/env python3
"""The shop's stock watcher: polls the api's /stats and reports low stock.

API_URL (default http://127.0.0.1:18080), POLL_SECONDS (default 3).
SIGTERM or SIGINT: finish the current poll and exit 0.
"""

import json
import os
import signal
import sys
import threading
import urllib.error
import urllib.request

API_URL = os.environ.get("API_URL", "http://127.0.0.1:18080").rstrip("/")
POLL_SECONDS = float(os.environ.get("POLL_SECONDS", "3"))
stopping = threading.Event()


def stop(signum, _frame):
    print(f"worker: {signal.Signals(signum).name} received, shutting down", flush=True)
    stopping.set()


def poll(round_number):
    try:
        with urllib.request.urlopen(f"{API_URL}/stats", timeout=2) as response:
            stats = json.load(response)
    except (urllib.error.URLError, OSError, ValueError) as error:
        print(f"worker: poll {round_number}: api unreachable ({error})", flush=True)
        return
    low = stats["low_stock"]
    note = "low stock: " + ", ".join(low) if low else "stock ok"
    print(
        f"worker: poll {round_number}: {stats['products']} products, {note} "
        f"(api up {stats['uptime_s']}s)",
        flush=True,
    )


def main():
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"worker: polling {API_URL}/stats every {POLL_SECONDS:g}s", flush=True)
    round_number = 0
    while not stopping.is_set():
        round_number += 1
        poll(round_number)
        stopping.wait(POLL_SECONDS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
