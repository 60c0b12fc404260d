"""User-facing input errors: one line, ``FILE:LINE: what is wrong``, never a traceback."""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """A mistake in a user's input file; the CLI prints ``str(err)`` and exits 2."""

    def __init__(self, path: Path | str, line: int | None, message: str, column: int | None = None) -> None:
        super().__init__(message)
        self.path = str(path)
        self.line = line
        self.column = column
        self.message = message

    def __reduce__(self) -> tuple[type[InputError], tuple[str, int | None, str, int | None]]:
        """Picklable as itself (``kg.forked`` sends a child's error to its parent)."""
        return type(self), (self.path, self.line, self.message, self.column)

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {' '.join(self.message.split())}"
