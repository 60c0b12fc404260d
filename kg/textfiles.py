"""Read a user's text file strictly: a size limit before reading, UTF-8 only, no BOM, no NUL."""

from __future__ import annotations

from pathlib import Path

from kg.errors import InputError


def read_text(path: Path, max_bytes: int) -> str:
    """The text of ``path``, or an :class:`InputError` naming the line of the first problem."""
    try:
        size = path.stat().st_size
    except OSError as err:
        raise InputError(path, None, f"cannot read: {err.strerror}") from None
    if size > max_bytes:
        raise InputError(path, None, f"file is {size:,} bytes; the limit is {max_bytes:,}")
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(path, 1, "file is UTF-16; save it as UTF-8 without a BOM")
    if data.startswith(b"\xef\xbb\xbf"):
        raise InputError(path, 1, "file starts with a UTF-8 byte-order mark; save it without the BOM")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError(path, line, f"not UTF-8: byte 0x{data[err.start]:02x} at offset {err.start}") from None
    if "\x00" in text:
        raise InputError(path, text[: text.index("\x00")].count("\n") + 1, "file contains a NUL character")
    return text
