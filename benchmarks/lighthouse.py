"""Lighthouse on every page of the built site, as a phone sees it (issue 13, "fast on a phone").

Builds nothing: serves the built site (default `_build/html`, made by `make site`) from a small local
server that gzips text responses as a static host (GitHub Pages) does, each file once and then from
memory, as a host's cache serves it. (Gzipping on every request took Python 160 ms for a long
chapter, which Lighthouse counted as server response time, and which delayed the stylesheets until
after the page was parsed, so that the first paint waited for the whole page's layout.) Runs
Lighthouse 12 (pinned in `benchmarks/lighthouse/package.json`; its default mobile preset: a phone
screen, simulated slow 4G and a 4x slower CPU) with Debian's Chromium on every page of `_toc.yml` and
the search page, and prints one row per page: the four category scores, first and largest contentful
paint, total blocking time, layout shift and the bytes sent.

    cd benchmarks/lighthouse && npm ci && cd ../..    # once: Lighthouse into benchmarks/lighthouse/node_modules
    .venv/bin/python benchmarks/lighthouse.py                    # every page
    .venv/bin/python benchmarks/lighthouse.py --pages intro chapters/softmax-regression --runs 3
    .venv/bin/python benchmarks/lighthouse.py --site _build/html/zh    # the Chinese edition

Targets: performance >= 90, accessibility, best practices and SEO 100. The exit status is 1 when a
page misses one; the audits that cost points are listed under the table. The performance score is
computed from timings measured on this machine (then slowed down by the preset), so a loaded machine
gives lower scores: the script prints the load average, runs Chromium niced like the rest of the
tests, and `--runs N` reports each page's median run. The JSON reports land in `_build/lighthouse/`.
Never downloads a browser: `CHROME_PATH` (default /usr/bin/chromium) is the browser Lighthouse drives.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIGHTHOUSE = ROOT / "benchmarks" / "lighthouse" / "node_modules" / "lighthouse" / "cli" / "index.js"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
TARGETS = {"performance": 90, "accessibility": 100, "best-practices": 100, "seo": 100}
TEXT_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")


def toc_pages() -> list[str]:
    """Every page of `_toc.yml` in book order (paths without `.html`)."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                pages.append(str(Path(entry["file"]).with_suffix("")))
            walk(entry.get("sections"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return pages


@functools.lru_cache(maxsize=None)
def compressed(path: str) -> bytes:
    """A file's gzip body, made once: a static host (GitHub Pages' CDN) serves it from a cache."""
    return gzip.compress(Path(path).read_bytes(), compresslevel=6)


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files; text types gzipped when the browser accepts it (as GitHub Pages and most hosts)."""

    def log_message(self, format, *args):  # quiet
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "max-age=600")  # what GitHub Pages sends
        super().end_headers()

    def send_head(self):
        path = self.translate_path(self.path)
        ctype = self.guess_type(path)
        if (
            not os.path.isfile(path)
            or not ctype.startswith(TEXT_TYPES)
            or "gzip" not in self.headers.get("Accept-Encoding", "")
        ):
            return super().send_head()
        body = compressed(path)
        self.send_response(200)
        self.send_header("Content-Type", ctype + ("; charset=utf-8" if ctype.startswith("text/") else ""))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        import io

        return io.BytesIO(body)


def serve(site: Path) -> http.server.ThreadingHTTPServer:
    handler = lambda *a, **k: GzipHandler(*a, directory=str(site), **k)  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def lighthouse(url: str, out: Path, chrome: str) -> dict:
    env = dict(os.environ, CHROME_PATH=chrome, PUPPETEER_SKIP_DOWNLOAD="1")
    cmd = [
        "nice", "-n", "10", "node", str(LIGHTHOUSE), url,
        "--output=json", f"--output-path={out}", "--quiet",
        "--only-categories=" + ",".join(CATEGORIES),
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage",
    ]  # fmt: skip
    subprocess.run(cmd, check=True, env=env, cwd=ROOT)
    return json.loads(out.read_text(encoding="utf-8"))


def summary(report: dict) -> dict:
    audits = report["audits"]
    row = {c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES}
    row["fcp"] = audits["first-contentful-paint"]["numericValue"] / 1000
    row["lcp"] = audits["largest-contentful-paint"]["numericValue"] / 1000
    row["tbt"] = audits["total-blocking-time"]["numericValue"]
    row["cls"] = audits["cumulative-layout-shift"]["numericValue"]
    row["bytes"] = audits["total-byte-weight"]["numericValue"]
    lost = []
    for cat in CATEGORIES[1:]:
        for ref in report["categories"][cat]["auditRefs"]:
            audit = audits[ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                lost.append(f"{cat}: {ref['id']} ({audit['title']})")
    errors = audits.get("errors-in-console", {}).get("details", {}).get("items", [])
    lost += [f"console: {e.get('description', '')[:120]} {e.get('sourceLocation', {}).get('url', '')}" for e in errors]
    row["lost"] = lost
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html", help="the built site")
    parser.add_argument("--pages", nargs="*", help="pages to measure (default: _toc.yml + search)")
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the median run is shown")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "lighthouse", help="JSON reports")
    args = parser.parse_args()

    chrome = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is not installed: cd benchmarks/lighthouse && npm ci")
    if not shutil.which(chrome) and not Path(chrome).exists():
        sys.exit(f"no Chromium at {chrome} (set CHROME_PATH)")
    if not (args.site / "intro.html").exists():
        sys.exit(f"no built site in {args.site}: run `make site` first")
    pages = args.pages or toc_pages() + ["search"]
    args.out.mkdir(parents=True, exist_ok=True)
    server = serve(args.site)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    header = f"{'page':36} {'perf':>4} {'a11y':>4} {'bp':>4} {'seo':>4} {'FCP s':>6} {'LCP s':>6} {'TBT ms':>6} {'CLS':>5} {'KB':>6}"
    rows = {}
    for page in pages:
        runs = []
        for i in range(args.runs):
            report = lighthouse(base + page + ".html", args.out / f"{page.replace('/', '__')}.{i}.json", chrome)
            runs.append(summary(report))
        runs.sort(key=lambda r: r["performance"])
        rows[page] = runs[len(runs) // 2]  # the median run (by performance)
        if args.runs > 1:
            rows[page]["performance_runs"] = [r["performance"] for r in runs]
        print(f"  measured {page}: {rows[page]['performance']} {[r['performance'] for r in runs]}", file=sys.stderr)
    server.shutdown()

    print(header)
    print("-" * len(header))
    failed = []
    for page, r in rows.items():
        print(
            f"{page:36} {r['performance']:4d} {r['accessibility']:4d} {r['best-practices']:4d} {r['seo']:4d} "
            f"{r['fcp']:6.1f} {r['lcp']:6.1f} {r['tbt']:6.0f} {r['cls']:5.2f} {r['bytes'] / 1024:6.0f}"
        )
        missed = [c for c in CATEGORIES if r[c] < TARGETS[c]]
        if missed:
            failed.append((page, missed, r["lost"]))
    scores = {c: [r[c] for r in rows.values()] for c in CATEGORIES}
    print("-" * len(header))
    print("range: " + ", ".join(f"{c} {min(v)}–{max(v)}" for c, v in scores.items()))
    if len(rows) > 1:
        print(f"median performance {statistics.median(scores['performance'])}")
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    for page, missed, lost in failed:
        print(f"{page}: below target in {', '.join(missed)}")
        for line in lost:
            print(f"    {line}")
    if not failed:
        print("every page meets the targets (performance >= 90, accessibility, best practices, SEO 100)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
