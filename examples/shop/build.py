#!/usr/bin/env python3
"""Render templates/*.html into dist/ (the shop's "build step").

Placeholders are string.Template fields: $shop_name, $tagline, $currency, $built_at.
A template that uses an unknown field fails the build with exit 1, so you can
see orch keep the old web server running while the build is broken.
"""

import os
import sys
import time
from pathlib import Path
from string import Template

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"


def main() -> int:
    out = Path(os.environ.get("DIST_DIR", "dist"))
    print(f"build: rendering {TEMPLATES.name}/ into {out}/", flush=True)
    fields = {
        "shop_name": os.environ.get("SHOP_NAME", "shop"),
        "tagline": os.environ.get("SHOP_TAGLINE", ""),
        "currency": os.environ.get("SHOP_CURRENCY", "EUR"),
        "built_at": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    count = 0
    for source in sorted(TEMPLATES.glob("*.html")):
        try:
            text = Template(source.read_text(encoding="utf-8")).substitute(fields)
        except (KeyError, ValueError) as error:
            print(f"build: {source.name}: bad placeholder {error}", flush=True)
            return 1
        target = out / source.name
        # Write beside the target, then rename, so the web server never serves half a file.
        partial = target.with_suffix(".tmp")
        partial.write_text(text, encoding="utf-8")
        partial.replace(target)
        print(f"build: {source.name} -> {target} ({len(text.encode())} bytes)", flush=True)
        count += 1
    elapsed = (time.perf_counter() - started) * 1000
    print(f"build: {count} pages in {elapsed:.1f} ms", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
