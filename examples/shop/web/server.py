#!/usr/bin/env python3
"""The shop's front end: serves the built pages and proxies /api/* to the api.

GET /api/PATH   forwarded to $API_URL/PATH (default http://127.0.0.1:18080); 502 if it is down
GET /anything   a file from $DIST_DIR (default dist/, as rendered by build.py)

Listens on 127.0.0.1:$PORT (default 18081). SIGTERM or SIGINT: exit 0.
"""

import functools
import os
import signal
import sys
import urllib.error
import urllib.request
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

API_URL = os.environ.get("API_URL", "http://127.0.0.1:18080").rstrip("/")


class Handler(SimpleHTTPRequestHandler):
    server_version = "shop-web/1"

    def do_GET(self):
        if self.path == "/api" or self.path.startswith("/api/"):
            self.proxy(self.path.removeprefix("/api") or "/")
        else:
            super().do_GET()

    def proxy(self, path):
        try:
            with urllib.request.urlopen(API_URL + path, timeout=5) as response:
                status, body = response.status, response.read()
                content_type = response.headers.get("Content-Type", "application/json")
        except urllib.error.HTTPError as error:
            status, body = error.code, error.read()
            content_type = error.headers.get("Content-Type", "application/json")
        except (urllib.error.URLError, OSError) as error:
            status, content_type = 502, "application/json"
            body = ('{"error": "api unreachable: %s"}' % str(error).replace('"', "'")).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        print("web: " + format % args, flush=True)


def stop(signum, _frame):
    print(f"web: {signal.Signals(signum).name} received, shutting down", flush=True)
    raise SystemExit(0)


def main():
    port = int(os.environ.get("PORT", "18081"))
    dist = Path(os.environ.get("DIST_DIR", "dist")).resolve()
    if not (dist / "index.html").is_file():
        print(f"web: {dist}/index.html is missing: run build.py first", flush=True)
        return 1
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    handler = functools.partial(Handler, directory=str(dist))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    print(f"web: serving {dist} on http://127.0.0.1:{port}, /api -> {API_URL}", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()


if __name__ == "__main__":
    sys.exit(main())
