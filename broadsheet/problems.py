"""Problems found in a site: errors and warnings with a file and a line."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Problem:
    """One error or warning, located at `path:line` (path relative to the site)."""

    path: str
    line: int  # 0 when the problem concerns the whole file
    message: str
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        kind = "warning: " if self.warning else ""
        return f"{where}: {kind}{self.message}"


@dataclass
class Problems:
    """Collects every problem of one run so all of them are reported together."""

    items: list[Problem] = field(default_factory=list)

    def error(self, path: str, line: int, message: str) -> None:
        """Record an error at `path:line`."""
        self.items.append(Problem(path, line, message))

    def warn(self, path: str, line: int, message: str) -> None:
        """Record a warning at `path:line`."""
        self.items.append(Problem(path, line, message, warning=True))

    @property
    def errors(self) -> list[Problem]:
        """The errors, sorted by path and line."""
        return sorted({p for p in self.items if not p.warning})

    @property
    def warnings(self) -> list[Problem]:
        """The warnings, sorted by path and line."""
        return sorted({p for p in self.items if p.warning})

    def has_errors(self, strict: bool = False) -> bool:
        """True when the build must stop (with `strict`, warnings count too)."""
        return bool(self.errors) or (strict and bool(self.warnings))
