#!/usr/bin/env python3
"""The shop's JSON API: the catalogue from data/products.json.

GET /health          {"status": "ok"}            (the ready check; not logged)
GET /products        {"products": [...]}
GET /products/ID     one product, or 404
GET /stats           uptime, requests served, low-stock count

Listens on 127.0.0.1:$PORT (default 18080). SIGTERM or SIGINT: exit 0.
"""

import json
import os
import signal
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "products.json"
STARTED = time.monotonic()
LOW_STOCK = int(os.environ.get("LOW_STOCK", "5"))
served = 0


def load_products():
    # Read on every request: editing the data file needs no restart, editing this file does.
    with DATA.open(encoding="utf-8") as file:
        return json.load(file)


class Handler(BaseHTTPRequestHandler):
    server_version = "shop-api/1"

    def do_GET(self):
        global served
        served += 1
        path = self.path.split("?", 1)[0].rstrip("/") or "/"
        if path == "/health":
            self.reply(200, {"status": "ok"})
        elif path == "/products":
            self.reply(200, {"products": load_products()})
        elif path.startswith("/products/"):
            wanted = path.removeprefix("/products/")
            match = [p for p in load_products() if str(p["id"]) == wanted]
            if match:
                self.reply(200, match[0])
            else:
                self.reply(404, {"error": f"no product {wanted}"})
        elif path == "/stats":
            products = load_products()
            self.reply(200, {
                "uptime_s": round(time.monotonic() - STARTED, 1),
                "requests": served,
                "products": len(products),
                "low_stock": [p["name"] for p in products if p["stock"] < LOW_STOCK],
            })
        else:
            self.reply(404, {"error": f"no route {path}"})

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_request(self, code="-", size="-"):
        code = getattr(code, "value", code)
        if not self.path.startswith("/health"):
            print(f"api: {self.command} {self.path} {code}", flush=True)

    def log_message(self, format, *args):
        print("api: " + format % args, flush=True)


def stop(signum, _frame):
    print(f"api: {signal.Signals(signum).name} received, shutting down", flush=True)
    raise SystemExit(0)


def main():
    port = int(os.environ.get("PORT", "18080"))
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    level = os.environ.get("LOG_LEVEL", "info")
    print(f"api: listening on http://127.0.0.1:{port} (log level {level})", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()


if __name__ == "__main__":
    sys.exit(main())
