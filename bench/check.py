#!/usr/bin/env python3
"""Time `orch check` on a generated 200-process orch.yaml (quality bar P4: 50 ms).

Writes a realistic config into a temporary project (services and tasks,
depends_on chains and fan-in with every condition and both forms, watch sets
with excludes, every kind of ready check, environment in both forms, a .env),
checks once that orch accepts it (exit 0), then times `orch check -f FILE`
against `orch --version` (bare process start-up) measured in the same run, and
prints median, p90 (nearest rank) and min of each and their ratio. Both are
timed the same way, with time.perf_counter around subprocess.run, so the
fork/exec cost of Python is in both and the ratio is fair.

The binary is $ORCH, or the release build's (`swift build -c release
--static-swift-stdlib --show-bin-path`). Standard library only.

  bench/check.py                   run the benchmark
  bench/check.py --emit FILE       only write the generated config to FILE
"""

import argparse
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import emit_json, median, orch_binary, percentile, repeat, timed_run

BAR_MS = 50
PLAIN = re.compile(r"^[A-Za-z_/.][A-Za-z0-9_./-]*$")


def fail(message):
    print(f"bench/check.py: {message}", file=sys.stderr)
    sys.exit(1)


# ---------------------------------------------------------------------------
# The generator


def generate(count=200, seed=1):
    """Return (orch.yaml text, directories the config's cwd values need)."""
    rng = random.Random(seed)
    processes = []  # (name, body dict), in config order
    kinds = {}
    port = 20000

    def next_port():
        nonlocal port
        port += 1
        return port

    def ready_check(name, p):
        choice = rng.randrange(5)
        if choice == 0:
            return {"tcp": p}
        if choice == 1:
            return {"http": f"http://127.0.0.1:{p}/health", "interval": "50ms", "timeout": "30s"}
        if choice == 2:
            return {"exec": f"test -e /tmp/{name}.ready", "interval": "250ms"}
        if choice == 3:
            return {"log": "listening on", "timeout": "1m"}
        return {"tcp": f"localhost:{p}", "timeout": "1m30s"}

    def depends(candidates, howmany):
        """depends_on over earlier processes: list form, or mapping form with conditions."""
        picked = rng.sample(candidates, min(howmany, len(candidates)))
        if not picked:
            return None
        if rng.random() < 0.4 and all(kinds[d] == "service" for d in picked):
            return picked  # list form: default conditions
        edges = {}
        for dep in picked:
            if kinds[dep] == "task":
                condition = "completed"
            else:
                condition = rng.choice(["ready", "ready", "started"])
            if rng.random() < 0.2:
                edges[dep] = {"condition": condition, "restart": False}
            else:
                edges[dep] = condition
        return edges

    def add(name, kind, body):
        kinds[name] = kind
        if kind == "task":
            body = {"kind": "task", **body}
        processes.append((name, body))

    # Infrastructure: databases and caches with ready checks.
    infra = []
    for i in range(1, 5):
        p = 15432 + i
        add(f"db-{i}", "service", {
            "command": f"exec postgres -D .data/pg{i} -p {p}",
            "ready": {"tcp": p, "timeout": "60s"},
            "stop_signal": "SIGINT",
            "stop_timeout": "10s",
        })
        infra.append(f"db-{i}")
    for i in range(1, 5):
        p = 16379 + i
        add(f"cache-{i}", "service", {
            "command": ["redis-server", "--port", str(p), "--save", ""],
            "ready": {"exec": f"redis-cli -p {p} ping", "interval": "100ms"},
        })
        infra.append(f"cache-{i}")

    # Build steps: code generation, migrations, asset bundles.
    tasks = []
    add("codegen", "task", {
        "command": "python3 tools/codegen.py --out gen/",
        "watch": ["schema/**/*.proto", "tools/codegen.py"],
    })
    tasks.append("codegen")
    for i in range(1, 5):
        add(f"migrate-{i}", "task", {
            "command": f"python3 manage.py migrate --database db{i}",
            "depends_on": {f"db-{i}": "ready"},
            "watch": [f"migrations/db{i}/*.sql"],
        })
        tasks.append(f"migrate-{i}")
    for i in range(1, 8):
        add(f"assets-{i}", "task", {
            "command": ["npx", "esbuild", f"web/app{i}/main.ts", "--bundle", f"--outdir=dist/app{i}"],
            "depends_on": {"codegen": "completed"},
            "watch": [f"web/app{i}/**/*.{{ts,tsx,css}}", "!**/*.test.ts"],
            "ignore": [f"web/app{i}/fixtures/"],
        })
        tasks.append(f"assets-{i}")

    # Application services: chains (each may depend on the one before) and fan-in.
    languages = [
        ("python3 -u -m app.server", ["**/*.py", "config/*.{yml,yaml}", "!**/test_*.py"]),
        ("node dist/server.js", ["src/**/*.ts", "package.json", "!src/**/*.spec.ts"]),
        ("./target/debug/svc", ["src/**/*.rs", "Cargo.toml"]),
        ("go run ./cmd/svc", ["**/*.go", "go.mod", "!**/*_test.go"]),
    ]
    directories = []
    services = []
    gateways_left = 4
    while len(processes) < count:
        index = len(processes)
        remaining = count - index
        if remaining <= gateways_left:
            # Fan-in: a gateway in front of many services.
            name = f"gateway-{gateways_left}"
            gateways_left -= 1
            p = next_port()
            body = {
                "command": f"exec envoy -c gateway.yaml --base-id {gateways_left}",
                "depends_on": depends(services, rng.randint(12, 25)),
                "environment": {"LISTEN_PORT": str(p), "LOG_LEVEL": "info"},
                "ready": {"http": f"http://127.0.0.1:{p}/ready"},
                "watch": ["gateway.yaml"],
                "restart": "always",
            }
            add(name, "service", body)
            continue
        role = rng.choice(["api", "api", "worker", "web", "consumer"])
        name = f"{role}-{index:03d}"
        p = next_port()
        command, watch = rng.choice(languages)
        cwd = f"services/{name}"
        directories.append(cwd)
        body = {"command": command, "cwd": cwd}
        if rng.random() < 0.3:
            body["command"] = command.split() + ["--port", str(p)]
        deps = rng.sample(infra, rng.randint(0, 2)) + rng.sample(tasks, rng.randint(0, 2))
        if services and rng.random() < 0.6:
            deps.append(services[-1])  # chain
        deps += rng.sample(services, min(len(services), rng.randint(0, 2)))
        deps = list(dict.fromkeys(deps))
        if deps:
            body["depends_on"] = depends(deps, len(deps))
        body["watch"] = list(watch)
        if rng.random() < 0.3:
            body["ignore"] = ["fixtures/", "*.generated.*"]
        if rng.random() < 0.5:
            body["environment"] = {"PORT": str(p), "SERVICE_NAME": name, "RUST_LOG": "info"}
        else:
            body["environment"] = [f"PORT={p}", f"SERVICE_NAME={name}"]
        if role in ("api", "web") or rng.random() < 0.3:
            body["ready"] = ready_check(name, p)
        policy = rng.choice(["no", "on-failure", "always", None])
        if policy:
            body["restart"] = policy
        if policy in ("on-failure", "always") and rng.random() < 0.5:
            body["max_restarts"] = rng.randint(3, 20)
        if rng.random() < 0.1:
            body["restart_exit_code"] = 3
        if rng.random() < 0.2:
            body["stop_timeout"] = rng.choice(["2s", "500ms", "1.5s", "10"])
        if rng.random() < 0.1:
            body["tty"] = rng.choice(["auto", "true", "false"])
        if rng.random() < 0.05:
            body["autostart"] = False
        add(name, "service", body)
        services.append(name)

    top = {
        "version": 1,
        "environment": {"APP_ENV": "development", "TZ": "UTC"},
        "settings": {
            "debounce": "50ms",
            "stop_timeout": "5s",
            "shell": "/bin/sh",
            "ignore": ["**/*.log", "tmp/"],
            "gitignore": True,
            "default_ignores": True,
            "poll": False,
            "timestamps": False,
        },
    }
    lines = [f"# {count} processes generated by bench/check.py (seed {seed})"]
    emit(top, 0, lines)
    lines.append("processes:")
    for name, body in processes:
        lines.append(f"  {name}:")
        emit(body, 4, lines)
    return "\n".join(lines) + "\n", directories


def scalar(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if PLAIN.match(value) and value not in ("true", "false", "null", "no", "yes", "on", "off"):
        return value
    return json.dumps(value)  # a JSON string is a valid YAML double-quoted scalar


def emit(mapping, indent, lines):
    pad = " " * indent
    for key, value in mapping.items():
        if isinstance(value, dict):
            lines.append(f"{pad}{key}:")
            emit(value, indent + 2, lines)
        elif isinstance(value, list):
            lines.append(f"{pad}{key}: [{', '.join(scalar(v) for v in value)}]")
        else:
            lines.append(f"{pad}{key}: {scalar(value)}")


def write_project(root, count):
    text, directories = generate(count)
    for directory in directories:
        (root / directory).mkdir(parents=True, exist_ok=True)
    (root / ".env").write_text("DATABASE_URL=postgres://127.0.0.1:15433/app\nexport FEATURE_FLAGS=beta\n")
    config = root / "orch.yaml"
    config.write_text(text)
    return config


# ---------------------------------------------------------------------------
# The measurement


def timings(argv, cwd, runs, warmups):
    def once():
        return timed_run(argv, cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) * 1000

    samples = sorted(repeat(once, runs, warmups))
    return {
        "median": median(samples),
        "p90": percentile(samples, 90),
        "min": samples[0],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=200)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmups", type=int, default=3)
    parser.add_argument("--emit", metavar="FILE", help="write the generated config to FILE and stop")
    parser.add_argument("--keep", action="store_true", help="keep the temporary project")
    args = parser.parse_args()

    if args.emit:
        text, _ = generate(args.processes)
        Path(args.emit).write_text(text)
        print(f"wrote {args.emit}: {args.processes} processes, {text.count(chr(10))} lines")
        return 0

    orch = orch_binary()
    root = Path(tempfile.mkdtemp(prefix="orch-bench-check-"))
    keep = args.keep
    try:
        config = write_project(root, args.processes)
        check = subprocess.run(
            [orch, "check", "-f", str(config)], cwd=root, capture_output=True, text=True
        )
        if check.returncode != 0:
            keep = True
            sys.stderr.write(check.stdout + check.stderr)
            fail(f"orch check rejected the generated config (exit {check.returncode}): "
                 f"see above and {config}")
        rows = [
            (f"orch check -f orch.yaml ({args.processes} processes)",
             {"command": "orch check -f orch.yaml", "processes": args.processes},
             timings([orch, "check", "-f", str(config)], root, args.runs, args.warmups)),
            ("orch --version (start-up)", {"command": "orch --version"},
             timings([orch, "--version"], root, args.runs, args.warmups)),
        ]
    finally:
        if keep:
            print(f"kept {root}", file=sys.stderr)
        else:
            shutil.rmtree(root, ignore_errors=True)

    width = max(len(label) for label, _, _ in rows)
    print(f"orch check ({args.runs} runs after {args.warmups} warm-ups, binary {orch})")
    print(f"{'':{width}}  {'median':>9}  {'p90':>9}  {'min':>9}")
    for label, _, t in rows:
        print(f"{label:{width}}  " + "  ".join(f"{t[k]:6.2f} ms" for k in ("median", "p90", "min")))
    ratio = rows[0][2]["median"] / rows[1][2]["median"]
    print(f"check / start-up (medians): {ratio:.2f}x")
    print(f"bar: {BAR_MS} ms (median of orch check on 200 processes)")
    for i, (_, fields, t) in enumerate(rows):
        check = {"ratio_to_version": ratio} if i == 0 else {}
        emit_json("P4", **fields, median_ms=t["median"], p90_ms=t["p90"], min_ms=t["min"],
                  n=args.runs, **check)
    return 0


if __name__ == "__main__":
    sys.exit(main())
