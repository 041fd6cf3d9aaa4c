#!/usr/bin/env python3
"""Build this site's digital edition: `python build.py [build|check|serve|new|init] [options]` (see --help)."""

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

try:
    from broadsheet.cli import run
except ImportError as missing:
    venv_python = HERE / ".venv" / "bin" / "python"
    if venv_python.exists() and Path(sys.prefix).resolve() != venv_python.parent.parent.resolve():
        # The dependencies live in the project's virtual environment: use it.
        os.execv(str(venv_python), [str(venv_python), *sys.argv])
    sys.exit(f"{missing.name or missing} is not installed: run `make build` once to set up .venv")

if __name__ == "__main__":
    run()
