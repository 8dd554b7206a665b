"""Reading JSON/YAML input with one-line errors, and writing files atomically."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from auditor.errors import InputError

#: Inputs larger than this are refused before parsing (a snapshot file of a 50k-queue org is ~200 MB).
MAX_INPUT_BYTES = 2 * 1024**3


def shorten(value: object, limit: int = 80) -> str:
    """A printable, bounded rendering of a user-supplied value for error messages."""
    text = repr(value) if not isinstance(value, str) else value
    if not text.isprintable():  # rare; the per-character pass dominated rule time on big orgs
        text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def read_bytes(path: Path, max_bytes: int = MAX_INPUT_BYTES) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(path, f"file is {size} bytes, larger than the {max_bytes}-byte limit")
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except IsADirectoryError:
        raise InputError(path, "is a directory, expected a file") from None
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None


def parse_json(data: bytes | str, source: object) -> Any:
    try:
        if isinstance(data, bytes | bytearray):
            # Decoded exactly as json.loads would, but first: rebinding `data` frees the bytes
            # before parsing, instead of holding bytes + text (2 × 450 MB at 50k queues) throughout.
            data = data.decode(json.detect_encoding(data), "surrogatepass")
        return json.loads(data)
    except json.JSONDecodeError as exc:
        raise InputError(source, f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except UnicodeDecodeError:
        raise InputError(source, "not valid JSON: the file is not UTF-8 text") from None
    except RecursionError:
        raise InputError(source, "not valid JSON: nested too deeply") from None


def read_json(path: Path) -> Any:
    return parse_json(read_bytes(path), path)


def read_yaml(path: Path) -> Any:
    import yaml  # only the plan/waiver/config paths need it

    text = read_bytes(path, max_bytes=16 * 1024**2)
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1} column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "invalid syntax"
        raise InputError(path, f"not valid YAML: {problem}{where}") from None
    except RecursionError:
        raise InputError(path, "not valid YAML: nested too deeply") from None


def atomic_write_bytes(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write `data` to `path` so that readers see either the old file or the whole new one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str, mode: int = 0o644) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), mode=mode)


def dump_json(value: Any, indent: int | None = 2) -> str:
    from auditor.sanitise import json_document  # a lone surrogate from the API stays writable UTF-8

    return json_document(json.dumps(value, indent=indent, ensure_ascii=False, sort_keys=False)) + "\n"
