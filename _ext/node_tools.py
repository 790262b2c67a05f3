"""The site build's Node.js tools (``tools/node/``): one process per call, JSON in and JSON out.

``_ext/math_prerender.py`` (MathJax, ``typeset.js``) and ``_ext/theme_assets.py`` (PurgeCSS,
``purge.js``) run their script through :func:`run`. Node.js 20 and the pinned packages
(``npm ci --prefix tools/node``, which ``make site`` and ``make test`` do) are required: without
them the build stops and says what to install, since a fallback would silently bring back the slow
pages these extensions exist to avoid.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from sphinx.errors import ExtensionError

TOOLS = Path(__file__).resolve().parents[1] / "tools" / "node"


def run(script: str, package: str, request: dict) -> dict:
    """Run ``tools/node/<script>``, which needs the npm `package`, with `request` as JSON on stdin;
    return its JSON stdout."""
    node = shutil.which("node")
    if node is None:
        raise ExtensionError(
            "the site build runs Node.js (formulas typeset with MathJax, stylesheets cut with PurgeCSS), "
            "which is not installed: `sudo apt-get install nodejs npm` (Node 20 or later), then `make site` "
            "(or `npm ci --prefix tools/node`)"
        )
    if not (TOOLS / "node_modules" / package / "package.json").is_file():
        raise ExtensionError(
            f"{package}, one of the site build's Node.js tools, is not installed: "
            "`npm ci --prefix tools/node` (`make site` and `make test` do it)"
        )
    result = subprocess.run(
        [node, str(TOOLS / script)], input=json.dumps(request), capture_output=True, text=True, cwd=TOOLS
    )
    if result.returncode != 0:
        raise ExtensionError(f"tools/node/{script} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout)
