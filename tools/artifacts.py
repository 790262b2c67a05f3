"""What every artifact tool shares (reader notebooks, the PDF, the Chinese edition; next slides and
assignments): one error class, one command-line skeleton, one way to write an output file.

A tool is ``main(argv=None) -> int`` built on :func:`parser`, raising :class:`ToolError` for what an
author must fix; :func:`run` prints that as ``prog: message`` (exit 1), never as a traceback. Outputs
are written with :func:`write_if_changed`, whole or not at all, and only when they changed, so that a
``--check`` run (:func:`report_stale`) and a build that changed nothing leave every file as it was.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


class ToolError(Exception):
    """Something an author must fix, said in a sentence that says how."""


def parser(doc: str, prog: str) -> argparse.ArgumentParser:
    """The tool's argument parser: its docstring's first line as description, the rest as epilog."""
    summary, _, details = doc.partition("\n\n")
    return argparse.ArgumentParser(prog=prog, description=summary.strip(), epilog=details.strip() or None,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)


def parse(options: argparse.ArgumentParser, argv: Sequence[str] | None,
          known: bool = False) -> argparse.Namespace | int:
    """The parsed arguments, or the exit code when there are none to run with: 0 after ``--help``,
    2 after a usage error (which argparse has printed). ``known``: the arguments the parser does not
    know are left in ``.extra``, for a program the tool runs."""
    try:
        if not known:
            return options.parse_args(argv)
        args, args.extra = options.parse_known_args(argv)
        return args
    except SystemExit as stop:  # argparse ends a usage error or --help so; main returns the code instead
        return stop.code if isinstance(stop.code, int) else 2


def run(main: Callable[[Sequence[str] | None], int], prog: str) -> None:
    """Exit with ``main()``'s code; a :class:`ToolError` is printed as ``prog: message`` (exit 1)."""
    try:
        code = main(None)
    except ToolError as error:
        print(f"{prog}: {error}", file=sys.stderr)
        code = 1
    sys.exit(code)


def write_if_changed(path: Path, data: str | bytes) -> bool:
    """Write ``data`` to ``path`` unless it already holds it; True if written.

    The file is replaced whole (written beside it, then renamed), so no reader or later build ever
    sees half of it.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if path.is_file() and path.read_bytes() == raw:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(raw)
    os.replace(partial, path)
    return True


def report_stale(stale: Sequence[str], command: str, prog: str) -> int:
    """For ``--check``: 1 and the stale files named on stderr (with the command that refreshes them), else 0."""
    if not stale:
        return 0
    print(f"{prog}: out of date (run `{command}`): " + ", ".join(stale), file=sys.stderr)
    return 1
