"""A reader runs a reader notebook in JupyterLab, started from the course's .venv as `make lab` does.

JupyterLab serves a copy of ``notebooks/setup.ipynb`` (outputs cleared, so every output is new) on
127.0.0.1 with a token; Debian's Chromium, driven by Playwright (never a downloaded browser),
opens it, runs all cells through JupyterLab's own "Run All Cells" command, and waits until the
kernel is idle with every code cell numbered. No cell may show an error, and the figure must be
there. A screenshot goes to ``_build/screenshots/jupyterlab-setup.png``.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from book_structure import ROOT
from browser_support import CHROMIUM, CHROMIUM_ARGS

JUPYTER = Path(sys.executable).with_name("jupyter")

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"no Chromium at {CHROMIUM}: `sudo apt-get install chromium` to run the JupyterLab test",
)

STATE = """() => {
  const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  if (!panel || !panel.content || !panel.content.model || !panel.sessionContext.session) return null;
  const cells = [];
  for (const cell of panel.content.model.cells) {
    if (cell.type !== 'code') continue;
    cells.push({count: cell.executionCount, outputs: cell.outputs.toJSON()});
  }
  return {kernel: panel.sessionContext.session.kernel.status, cells};
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on 127.0.0.1 serving a fresh copy of the set-up chapter's reader notebook."""
    folder = tmp_path_factory.mktemp("lab")
    notebook = json.loads((ROOT / "notebooks" / "setup.ipynb").read_text())
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    (folder / "setup.ipynb").write_text(json.dumps(notebook))
    port, token = free_port(), secrets.token_hex(16)
    server = subprocess.Popen(
        [str(JUPYTER), "lab", "--no-browser", "--expose-app-in-browser", f"--port={port}",
         "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={folder}", *(["--allow-root"] if os.geteuid() == 0 else [])],
        cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(folder / ".settings"),
             "JUPYTER_RUNTIME_DIR": str(folder / ".runtime")},
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"JupyterLab did not start:\n{server.stderr.read()[-3000:]}")
            time.sleep(0.5)
    yield url, token
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()


def test_a_reader_notebook_runs_in_jupyterlab_with_its_figure(lab):
    from playwright.sync_api import sync_playwright

    url, token = lab
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{url}/lab/tree/setup.ipynb?token={token}")
        page.wait_for_function(f"({STATE})() && ({STATE})().kernel === 'idle'", timeout=120_000)
        page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        # Done when the kernel is idle again and every cell ran, or one failed (which stops the run).
        page.wait_for_function(
            f"(() => {{ const s = ({STATE})(); return s && s.kernel === 'idle' && s.cells[0].count !== null "
            "&& (s.cells.every(c => c.count !== null) "
            "|| s.cells.some(c => c.outputs.some(o => o.output_type === 'error'))); })()",
            timeout=300_000,
        )
        state = page.evaluate(f"({STATE})()")
        SCREENSHOTS = ROOT / "_build" / "screenshots"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "jupyterlab-setup.png"))
        browser.close()

    outputs = [o for cell in state["cells"] for o in cell["outputs"]]
    failed = [o for o in outputs if o["output_type"] == "error"]
    assert not failed, f"cells failed in JupyterLab: {[(o['ename'], o['evalue']) for o in failed]}"
    assert all(cell["count"] for cell in state["cells"])
    assert any("image/png" in o.get("data", {}) for o in outputs), "no figure appeared"
    assert not errors, f"JavaScript errors in JupyterLab: {errors}"
