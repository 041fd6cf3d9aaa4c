"""The theme's templates compiled once for this engine, as Python keeps an engine's `.pyc`
(`EngineTemplates`): their Jinja bytecode and their digests' analyses in one file beside them,
`__pycache__/templates.pickle`, for this code, these libraries and this Python only. A build
whose state lacks them (a full build) takes them from there instead of compiling the theme
again (a third of a second of the main process, while the workers read the articles).
`make .venv/.compiled` writes it, and so does a build that compiled a theme template it lacked,
where it can; a site's own templates are never taken from it (their files are not the theme's)."""

from __future__ import annotations

import os
import pickle
import sys
from pathlib import Path
from typing import Any

from ..cache import code_key, hash_parts, write_pickle
from ..digests import Analysis, analyses
from . import FOLDER, TEMPLATES

FILE = FOLDER / "__pycache__" / "templates.pickle"
#: the theme's files: a template whose file is under it is the theme's (ThemeLoader's own names)
_THEME = str(TEMPLATES) + os.sep


def engine_key() -> str:
    """What the file's templates were compiled by and from where: Broadsheet's code and the
    libraries shaping its output (`code_key`: Jinja's version among them), this Python, this theme."""
    return hash_parts(code_key(), sys.version, _THEME)


class EngineTemplates:
    """The compiled theme templates of the file, by the key the build state gives them
    (`compiling.StateBytecode`: its prefix, then Jinja's bucket key), each with the analysis its
    digests use; the file is read when a theme template is first asked for. A file that is
    missing, damaged or of another engine is as an empty one."""

    def __init__(self, path: Path | None = None):
        self.path = path or FILE
        self._entries: dict[str, tuple[bytes, Analysis]] | None = None
        self.dirty = False  # a template compiled that the file lacks: `save` writes it

    @property
    def entries(self) -> dict[str, tuple[bytes, Analysis]]:
        """The file's templates (read at the first look)."""
        if self._entries is None:
            self._entries = self._read()
        return self._entries

    def _read(self) -> dict[str, tuple[bytes, Analysis]]:
        try:
            with self.path.open("rb") as handle:
                key, entries = pickle.load(handle)
        except Exception:  # noqa: BLE001 - missing or damaged (any unpickling error): compiled as without it
            return {}
        return entries if key == engine_key() and type(entries) is dict else {}

    @staticmethod
    def holds(filename: str | None) -> bool:
        """Whether a template's file is the theme's (a site's own template never is)."""
        return filename is not None and filename.startswith(_THEME)

    def load(self, bucket: Any, key: str, name: str, source: str) -> None:
        """Fill Jinja's bucket with the template's compiled code, and take in its analysis, when
        the file has them for this source (Jinja checks the source's checksum)."""
        found = self.entries.get(key)
        if type(found) is not tuple or len(found) != 2 or type(found[1]) is not Analysis:
            return
        try:
            bucket.bytecode_from_string(found[0])
        except Exception:  # noqa: BLE001 - damaged bytecode: compiled from the source
            bucket.reset()
        if bucket.code is not None:
            analyses({(name, source): found[1]})

    def keep(self, key: str, data: bytes, name: str, source: str) -> None:
        """Keep a theme template just compiled, with the analysis its compiler made."""
        analysis = analyses().get((name, source))
        if analysis is not None:
            self.entries[key] = (data, analysis)
            self.dirty = True

    def save(self) -> None:
        """Write the file, when a template was added to it, whole or not at all (a temporary file
        renamed over it); a folder that cannot be written (an installed engine) is left as it is."""
        if not self.dirty:
            return
        self.dirty = False
        try:
            self.path.parent.mkdir(exist_ok=True)
            write_pickle(self.path, (engine_key(), self.entries))
        except OSError:
            pass
