"""Text the CLI takes from the user (files, standard input, arguments), read as UTF-8 or refused in one line."""

from __future__ import annotations

import sys
from pathlib import Path

from process_designer.errors import InputError

__all__ = ["argument_text", "decode_utf8", "read_stdin", "read_text_file", "require_utf8"]


def decode_utf8(data: bytes, source: str) -> str:
    """``data`` as text (a UTF-8 byte-order mark is dropped); an InputError naming the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{source} is not UTF-8 text: byte 0x{data[exc.start]:02x} at offset {exc.start} "
                         "cannot be decoded; save the file as UTF-8") from None


def read_text_file(path: Path | str, *, max_bytes: int | None = None) -> str:
    """The text of the file at ``path``, or an InputError saying what is wrong with it."""
    file = Path(path)
    try:
        if max_bytes is not None and (size := file.stat().st_size) > max_bytes:
            raise InputError(f"{path}: file too large ({size:,} bytes); the limit is {max_bytes:,} bytes")
        data = file.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory; give a file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from None
    return decode_utf8(data, str(path))


def require_utf8(path: Path | str | None) -> None:
    """Refuse a file that a loader elsewhere would read, before it is read there."""
    if path is not None and Path(path).is_file():
        read_text_file(path)


def read_stdin() -> str:
    """All of standard input as text."""
    return decode_utf8(sys.stdin.buffer.read(), "standard input")


def argument_text(value: str, name: str) -> str:
    """A command-line argument as text: bytes that were not UTF-8 reach Python as lone surrogates."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return decode_utf8(value.encode("utf-8", "surrogateescape"), name)
    return value
