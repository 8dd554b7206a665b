"""Reading JSON/YAML input with one-line errors, and writing files atomically."""

from __future__ import annotations

import enum
import errno
import json
import os
import re
import reprlib
import stat
import tempfile
from pathlib import Path
from typing import Any, TextIO

from auditor.errors import InputError, OutputError

#: Inputs larger than this are refused before parsing (a snapshot file of a 50k-queue org is ~200 MB).
MAX_INPUT_BYTES = 2 * 1024**3


_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxstring, _REPR.maxother, _REPR.maxlong = 3, 200, 200, 200


def shorten(value: object, limit: int = 80) -> str:
    """A printable, bounded rendering of a user-supplied value for error messages."""
    # reprlib: a huge (or alias-shared) structure is never rendered whole just to be cut short.
    text = _REPR.repr(value) if not isinstance(value, str) else value[: limit + 1]
    if not text.isprintable():  # rare; the per-character pass dominated rule time on big orgs
        text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def read_bytes(path: Path, max_bytes: int = MAX_INPUT_BYTES, *, follow_links: bool = True) -> bytes:
    """The whole of a regular file, at most `max_bytes`; anything else is an InputError naming the file.

    The size is not taken on trust: devices and FIFOs report 0 (and /dev/zero never ends), so only
    regular files are opened at all (a FIFO would block the open itself), and the read stops one
    byte past the limit whatever the size said. `follow_links=False` refuses a symbolic link too
    (for files gcaudit itself wrote beside a snapshot, which are never links).
    """
    path = Path(path)
    try:
        info = os.stat(path) if follow_links else os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            raise InputError(path, "is a symbolic link; expected a file")
        if stat.S_ISDIR(info.st_mode):
            raise InputError(path, "is a directory, expected a file")
        if not stat.S_ISREG(info.st_mode):
            raise InputError(path, "is not a regular file (a device, FIFO or socket); expected a file")
        if info.st_size > max_bytes:
            raise InputError(path, f"file is {info.st_size} bytes, larger than the {max_bytes}-byte limit")
        nofollow = 0 if follow_links else os.O_NOFOLLOW
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC | nofollow)
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):  # swapped since the stat
                raise InputError(path, "is not a regular file (a device, FIFO or socket); expected a file")
            return _read_at_most(handle, info.st_size, max_bytes, path)
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except IsADirectoryError:
        raise InputError(path, "is a directory, expected a file") from None
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except ValueError:  # a NUL in the name (`curl -d @...` text): os.stat refuses it
        raise InputError(str(path).replace("\x00", "\\0"), "not a file name (it holds a NUL character)") from None
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None


def _read_at_most(handle: Any, size_hint: int, max_bytes: int, path: Path) -> bytes:
    chunks: list[bytes] = []
    total = 0
    want = min(size_hint, max_bytes) + 1  # one read (and no copy) when the size was right
    while True:
        chunk = handle.read(min(want, max_bytes + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        if total > max_bytes:
            raise InputError(path, f"file is larger than the {max_bytes}-byte limit")
        want = 1 << 20
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


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
    except ValueError:
        # Python refuses to convert an integer of more than 4,300 digits (sys.int_info): a number no
        # API or configuration field holds, in a file a user or a pull request supplies.
        raise InputError(source, "not valid JSON: a number with too many digits") from None


def read_json(path: Path) -> Any:
    return parse_json(read_bytes(path), path)


#: YAML files a user writes (plan, waivers, gcaudit.yaml, orgs.yaml) are small.
MAX_YAML_BYTES = 16 * 1024**2
#: Nodes that aliases may add by expansion, all uses together. Anchors for a shared owner or a
#: list of sites cost a few dozen; nested anchors (a "billion laughs") would cost billions.
MAX_YAML_ALIAS_NODES = 100_000


def _yaml_loader() -> type:
    """A SafeLoader that bounds alias expansion and turns unreadable scalars into YAML errors."""
    import yaml
    from yaml.composer import ComposerError
    from yaml.constructor import ConstructorError
    from yaml.events import AliasEvent

    class BoundedSafeLoader(yaml.SafeLoader):
        def __init__(self, stream: Any) -> None:
            super().__init__(stream)
            self._sizes: dict[int, int] = {}
            self._expanded = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(AliasEvent):
                event = self.peek_event()
                anchored = self.anchors.get(event.anchor)
                if anchored is not None:
                    size = self._sizes.get(id(anchored))
                    if size is None:  # the alias sits inside its own anchor
                        raise ComposerError(None, None, f"alias *{shorten(event.anchor, 40)} refers to itself",
                                            event.start_mark)
                    self._expanded += size
                    if self._expanded > MAX_YAML_ALIAS_NODES:
                        raise ComposerError(None, None, f"aliases expand to more than {MAX_YAML_ALIAS_NODES} "
                                            "nodes (nested anchors?)", event.start_mark)
                return super().compose_node(parent, index)
            node = super().compose_node(parent, index)
            if isinstance(node.value, list):
                children = (c for item in node.value for c in (item if isinstance(item, tuple) else (item,)))
                self._sizes[id(node)] = 1 + sum(self._sizes.get(id(child), 1) for child in children)
            else:
                self._sizes[id(node)] = 1
            return node

        def construct_object(self, node: Any, deep: bool = False) -> Any:
            try:
                return super().construct_object(node, deep=deep)
            except (ValueError, OverflowError, TypeError) as exc:
                # `expires: 2026-02-30`, `!!int abc`, an hour of 25: a bad value, not a bug.
                tag = node.tag.rsplit(":", 1)[-1]
                value = shorten(node.value, 60) if isinstance(node.value, str) else tag
                raise ConstructorError(None, None, f"cannot read {value!r} as {tag} ({shorten(str(exc), 80)})",
                                       node.start_mark) from None

    return BoundedSafeLoader


def read_yaml(path: Path) -> Any:
    import yaml  # only the plan/waiver/config paths need it

    text = read_bytes(path, max_bytes=MAX_YAML_BYTES)
    try:
        return yaml.load(text, Loader=_yaml_loader())
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1} column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "invalid syntax"
        raise InputError(path, f"not valid YAML: {problem}{where}") from None
    except RecursionError:
        raise InputError(path, "not valid YAML: nested too deeply") from None


#: Every file gcaudit writes holds org data (reports and logs name agents, snapshots and history
#: hold the configuration): owner-only files, and owner-only directories where gcaudit creates them.
PRIVATE_FILE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700


class Target(enum.Enum):
    """What an output path holds, and so how it is written."""

    #: Nothing yet: created atomically.
    NEW = "new"
    #: A regular file: replaced atomically (readers see the old file or the whole new one).
    REGULAR = "regular"
    #: A character device or a FIFO (also through a link, as /dev/stdout is): written in place,
    #: never replaced.
    STREAM = "stream"


def _oserror(path: object, exc: OSError, doing: str = "cannot write") -> OutputError:
    return OutputError(path, f"{doing}: {(exc.strerror or str(exc)).lower()}")


def target_for_mode(path: object, mode: int, *, streams: bool) -> Target:
    """The decision for a path whose (link-followed) `st_mode` is `mode`; OutputError if refused.

    `streams=False` (files gcaudit names itself inside an output directory) accepts only a regular
    file: a device or FIFO there is something planted, not an output the user chose.
    """
    if stat.S_ISREG(mode):
        return Target.REGULAR
    if streams and (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
        return Target.STREAM
    if stat.S_ISDIR(mode):
        raise OutputError(path, "is a directory, expected a file")
    kind = ("a socket" if stat.S_ISSOCK(mode) else "a block device" if stat.S_ISBLK(mode)
            else "a character device" if stat.S_ISCHR(mode) else "a FIFO" if stat.S_ISFIFO(mode)
            else "not a regular file")
    raise OutputError(path, f"is {kind}; refusing to write to it")


#: Names of an already open descriptor (`-o /dev/stdout` with stdout redirected to a file, a pipe
#: or a terminal): always written in place, appending, never replaced.
_FD_ALIAS = re.compile(r"^/(?:dev/(?:stdout|stderr|fd/\d+)|proc/(?:self|\d+)/fd/\d+)$")


def is_fd_alias(path: Path | str) -> bool:
    return bool(_FD_ALIAS.match(str(path)))


def output_target(path: Path, *, streams: bool = True) -> Target:
    """Decide how `path` may be written without replacing anything that is not a regular file.

    A symbolic link is written through only when it leads to a character device or FIFO (so
    `-o /dev/stdout` streams); a link to a file, a directory or nothing is refused, because
    replacing it would break the link and writing through it would clobber a file elsewhere.
    """
    if streams and is_fd_alias(path):
        return Target.STREAM
    try:
        link = os.lstat(path)
    except FileNotFoundError:
        return Target.NEW
    except OSError as exc:
        raise _oserror(path, exc) from None
    if not stat.S_ISLNK(link.st_mode):
        return target_for_mode(path, link.st_mode, streams=streams)
    if streams:
        try:
            followed = os.stat(path)
        except OSError:
            followed = None
        if followed is not None and (stat.S_ISCHR(followed.st_mode) or stat.S_ISFIFO(followed.st_mode)):
            return Target.STREAM
    raise OutputError(path, "is a symbolic link; refusing to write through it (give the real path or remove the link)")


def make_private_dirs(directory: Path) -> None:
    """Create `directory` and its missing parents, each new one owner-only; existing ones stay as they are."""
    missing = []
    current = Path(directory)
    while not os.path.lexists(current) and current != current.parent:
        missing.append(current)
        current = current.parent
    for new in reversed(missing):
        try:
            os.mkdir(new, PRIVATE_DIR_MODE)
        except FileExistsError:
            continue
        except OSError as exc:
            raise _oserror(new, exc, "cannot create the directory") from None
    if not Path(directory).is_dir():
        raise OutputError(directory, "is not a directory")


def _write_stream(path: Path, data: bytes) -> bool:
    """Write into a character device or FIFO in place; False if the path turned into a regular file."""
    fd_alias = is_fd_alias(path)
    try:
        # O_NONBLOCK: a FIFO with no reader fails at once (ENXIO) instead of hanging the run.
        # O_APPEND for a descriptor's name: `> file` left it empty, `>> file` keeps what it holds.
        flags = os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC | (os.O_APPEND if fd_alias else 0)
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise OutputError(path, "is a FIFO with no reader") from None
        raise _oserror(path, exc) from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISREG(mode) and not fd_alias:  # swapped since we looked: take the atomic path instead
            return False
        if not (stat.S_ISREG(mode) and fd_alias):
            target_for_mode(path, mode, streams=True)
        os.set_blocking(fd, True)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        return True
    except OSError as exc:
        raise _oserror(path, exc) from None
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, data: bytes, mode: int = PRIVATE_FILE_MODE, *, streams: bool = True) -> None:
    """Write `data` to `path` so that readers see either the old file or the whole new one.

    Only a regular file (or nothing) is ever replaced. A character device or FIFO is written in
    place (`streams=True`, for paths the user named); anything else is refused with OutputError.
    """
    path = Path(path)
    if output_target(path, streams=streams) is Target.STREAM and _write_stream(path, data):
        return
    make_private_dirs(path.parent)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise _oserror(path, exc) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        # Looked at again just before the rename: what is there now must still be ours to replace.
        if output_target(path, streams=False) not in (Target.NEW, Target.REGULAR):
            raise OutputError(path, "changed into something that is not a regular file; not replaced")
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise _oserror(path, exc) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str, mode: int = PRIVATE_FILE_MODE, *, streams: bool = True) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), mode=mode, streams=streams)


def open_regular_nofollow(path: Path) -> int:
    """A write descriptor on `path`, created owner-only if absent, never truncated, and only if it
    is a regular file: O_NOFOLLOW refuses a symbolic link swapped in since the caller looked
    (OutputError), O_NONBLOCK keeps a FIFO from hanging the open, and what was opened is checked
    to be regular (`target_for_mode`). Other OS errors propagate for the caller to word."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
    try:
        fd = os.open(path, flags, PRIVATE_FILE_MODE)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise OutputError(path, "is a symbolic link; refusing to write through it") from None
        raise
    try:
        target_for_mode(path, os.fstat(fd).st_mode, streams=False)
    except BaseException:
        os.close(fd)
        raise
    return fd


def open_private_log(path: Path) -> TextIO:
    """Open a log file gcaudit names itself for streaming writes: created or truncated, owner-only.

    Only a regular file (or nothing) is opened: O_NOFOLLOW refuses a symbolic link planted at the
    path (instead of truncating whatever it points at), O_NONBLOCK keeps a planted FIFO from
    hanging the run, and the opened file is checked to be regular.
    """
    path = Path(path)
    output_target(path, streams=False)
    make_private_dirs(path.parent)
    try:
        fd = open_regular_nofollow(path)
    except OSError as exc:
        raise _oserror(path, exc) from None
    try:
        os.set_blocking(fd, True)
        os.ftruncate(fd, 0)
        os.fchmod(fd, PRIVATE_FILE_MODE)
    except OSError as exc:
        os.close(fd)
        raise _oserror(path, exc) from None
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "w", encoding="utf-8")


def dump_json(value: Any, indent: int | None = 2) -> str:
    from auditor.safety.sanitise import json_document  # a lone surrogate from the API stays writable UTF-8

    return json_document(json.dumps(value, indent=indent, ensure_ascii=False, sort_keys=False)) + "\n"
