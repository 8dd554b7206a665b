"""The output-path matrix: every writer against every kind of thing that can already sit at its path.

Writers: `audit -o` / `--html`, `preflight -o` / `--html`, the nightly reports (`latest.*`, dated
files), the nightly index, `--orgs` child logs, the history lock file and SQLite database,
`collect --out-dir`, and the directories `demo DIR` and `export-terraform SNAPSHOT DIR` fill.
Kinds: nothing, a regular file, a FIFO (with and without a reader), a symbolic link to a file,
a dangling link, a link to a FIFO (what `/dev/stdout` is), a Unix socket, a directory, and a
path whose parent is a file.

The rule each row checks: only a regular file (or nothing) is ever replaced, and then atomically
with mode 0600; a character device or FIFO the user named is written in place; everything else
is refused with exit 2 and one line, and whatever was there is left exactly as it was.

Character devices are never written here (a real machine lost /dev/null to this writer once):
the decision for them is checked on a stat mode, and `/dev/null` only ever read.
"""

from __future__ import annotations

import os
import socket
import stat
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.cli import cli
from auditor.errors import OutputError
from auditor.safety.fileio import PRIVATE_FILE_MODE, Target, atomic_write_text, open_private_log, target_for_mode
from tests.conftest import SAMPLES, run_cli

SNAP = SAMPLES / "demo-org"
PLAN = SNAP / "plan.yaml"


# --- what can sit at a path -----------------------------------------------------------------------

class Planted:
    """Something put at `path` before the writer runs, and how to tell it is untouched afterwards."""

    def __init__(self, path: Path, kind: str) -> None:
        self.path = path
        self.kind = kind
        self.decoy = path.parent / f"decoy-{path.name}"
        self._socket: socket.socket | None = None
        path.parent.mkdir(parents=True, exist_ok=True)
        if kind == "regular":
            path.write_text("old report\n")
            path.chmod(0o644)
        elif kind == "symlink-to-file":
            self.decoy.write_text("precious\n")
            path.symlink_to(self.decoy)
        elif kind == "dangling-symlink":
            path.symlink_to(self.decoy)
        elif kind in ("fifo", "fifo-with-reader"):
            os.mkfifo(path)
        elif kind == "symlink-to-fifo":
            os.mkfifo(self.decoy)
            path.symlink_to(self.decoy)
        elif kind == "socket":
            self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self._socket.bind(str(path))
        elif kind == "directory":
            path.mkdir()
            (path / "keep").write_text("x")
        elif kind != "nothing":
            raise ValueError(kind)

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()

    def assert_untouched(self) -> None:
        mode = os.lstat(self.path).st_mode
        if self.kind == "symlink-to-file":
            assert stat.S_ISLNK(mode) and self.decoy.read_text() == "precious\n"
        elif self.kind == "dangling-symlink":
            assert stat.S_ISLNK(mode) and not os.path.lexists(self.decoy), "nothing may appear at the link's target"
        elif self.kind in ("fifo", "fifo-with-reader"):
            assert stat.S_ISFIFO(mode)
        elif self.kind == "symlink-to-fifo":
            assert stat.S_ISLNK(mode) and stat.S_ISFIFO(os.lstat(self.decoy).st_mode)
        elif self.kind == "socket":
            assert stat.S_ISSOCK(mode)
        elif self.kind == "directory":
            assert stat.S_ISDIR(mode) and (self.path / "keep").read_text() == "x"
        else:
            raise AssertionError(f"no untouched check for {self.kind}")


class FifoReader:
    """Drains a FIFO in a thread (a bounded read loop that ends when the writer closes)."""

    def __init__(self, path: Path) -> None:
        self.data = b""
        self._thread = threading.Thread(target=self._read, args=(path,), daemon=True)
        self._thread.start()

    def _read(self, path: Path) -> None:
        with open(path, "rb") as handle:  # blocks until the writer opens its end
            self.data = handle.read()

    def join(self) -> bytes:
        self._thread.join(timeout=60)
        assert not self._thread.is_alive(), "the writer never closed the FIFO"
        return self.data


REFUSED_FOR_USER_PATHS = ("symlink-to-file", "dangling-symlink", "socket", "directory")
#: Files gcaudit names itself inside its output directory accept nothing but a regular file.
REFUSED_FOR_OWN_FILES = (*REFUSED_FOR_USER_PATHS, "fifo", "symlink-to-fifo")


def _assert_one_line_exit_2(exit_code: int, stderr: str, path: Path) -> None:
    """Exit 2, no traceback, one error line naming the path (ours, or click's usage error)."""
    assert exit_code == 2, stderr
    assert "Traceback" not in stderr, stderr
    errors = [line for line in stderr.splitlines() if line.startswith(("gcaudit: error:", "Error:"))]
    assert len(errors) == 1 and str(path) in errors[0], stderr
    if errors[0].startswith("gcaudit:"):
        assert len([line for line in stderr.splitlines() if line.strip()]) == 1, stderr


# --- the decision, on stat modes alone (no device is ever opened) -------------------------------

@pytest.mark.parametrize(("mode", "streams", "expected"), [
    (stat.S_IFREG | 0o644, True, Target.REGULAR),
    (stat.S_IFREG | 0o644, False, Target.REGULAR),
    (stat.S_IFCHR | 0o666, True, Target.STREAM),  # /dev/null, /dev/tty: written in place, never replaced
    (stat.S_IFIFO | 0o600, True, Target.STREAM),
])
def test_decision_accepts(mode: int, streams: bool, expected: Target) -> None:
    assert target_for_mode("/x", mode, streams=streams) is expected


@pytest.mark.parametrize(("mode", "streams"), [
    (stat.S_IFCHR | 0o666, False), (stat.S_IFIFO | 0o600, False), (stat.S_IFBLK | 0o660, True),
    (stat.S_IFSOCK | 0o777, True), (stat.S_IFDIR | 0o755, True),
])
def test_decision_refuses(mode: int, streams: bool) -> None:
    with pytest.raises(OutputError):
        target_for_mode("/x", mode, streams=streams)


def test_a_real_character_device_is_seen_as_a_stream_without_writing_to_it() -> None:
    """Read-only look (stat, never open) at a real character device: it would be written in place."""
    devices = [p for p in ("/dev/null", "/dev/zero", "/dev/urandom") if stat.S_ISCHR(os.stat(p).st_mode)]
    if not devices:
        pytest.skip("no character device under /dev on this machine")
    info = os.stat(devices[0])
    assert target_for_mode(devices[0], info.st_mode, streams=True) is Target.STREAM


# --- user-named outputs: audit / preflight -o and --html ---------------------------------------

PREFLIGHT = ("preflight", str(SNAP), "--plan", str(PLAN))
USER_WRITERS: dict[str, Callable[[Path], list[str]]] = {
    "audit -o": lambda p: ["audit", str(SNAP), "--format", "json", "-o", str(p)],
    "audit --html": lambda p: ["audit", str(SNAP), "--format", "json", "-o", str(p.parent / "other.json"),
                               "--html", str(p)],
    "preflight -o": lambda p: [*PREFLIGHT, "--format", "json", "-o", str(p)],
    "preflight --html": lambda p: [*PREFLIGHT, "-o", str(p.parent / "o.txt"), "--html", str(p)],
}


def _invoke(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(cli, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stderr


@pytest.mark.parametrize("writer", USER_WRITERS)
@pytest.mark.parametrize("kind", ["nothing", "regular"])
def test_user_output_replaced_atomically_owner_only(writer: str, kind: str, tmp_path: Path) -> None:
    target = tmp_path / "out" / "report"
    Planted(target, kind)
    code, stderr = _invoke(USER_WRITERS[writer](target))
    assert code in (0, 1, 3), stderr
    info = os.lstat(target)
    assert stat.S_ISREG(info.st_mode) and stat.S_IMODE(info.st_mode) == PRIVATE_FILE_MODE
    assert target.read_text(encoding="utf-8") not in ("", "old report\n")


@pytest.mark.parametrize("writer", USER_WRITERS)
@pytest.mark.parametrize("kind", REFUSED_FOR_USER_PATHS)
def test_user_output_refuses_what_it_must_not_replace(writer: str, kind: str, tmp_path: Path) -> None:
    target = tmp_path / "report"
    planted = Planted(target, kind)
    try:
        code, stderr = _invoke(USER_WRITERS[writer](target))
        _assert_one_line_exit_2(code, stderr, target)
        planted.assert_untouched()
    finally:
        planted.close()


@pytest.mark.parametrize("writer", USER_WRITERS)
@pytest.mark.parametrize("kind", ["fifo-with-reader", "symlink-to-fifo"])
def test_user_output_streams_into_a_fifo(writer: str, kind: str, tmp_path: Path) -> None:
    target = tmp_path / "report"
    planted = Planted(target, kind)
    reader = FifoReader(target)
    code, stderr = _invoke(USER_WRITERS[writer](target))
    assert code in (0, 1, 3), stderr
    assert len(reader.join()) > 100, "the report should have streamed through the FIFO"
    planted.assert_untouched()  # still a FIFO (behind its link): streamed into, never replaced


@pytest.mark.parametrize("writer", USER_WRITERS)
def test_user_output_fifo_without_reader_fails_at_once(writer: str, tmp_path: Path) -> None:
    target = tmp_path / "report"
    planted = Planted(target, "fifo")
    code, stderr = _invoke(USER_WRITERS[writer](target))
    _assert_one_line_exit_2(code, stderr, target)
    assert "no reader" in stderr
    planted.assert_untouched()


def test_dev_stdout_streams_the_report(tmp_path: Path) -> None:
    """`-o /dev/stdout` is a link to this process's stdout (a pipe here): written in place."""
    done = run_cli("audit", str(SNAP), "--format", "json", "-o", "/dev/stdout")
    assert done.returncode in (0, 1, 3), done.stderr
    assert done.stdout.lstrip().startswith("{") and '"results"' in done.stdout


def test_dev_stdout_redirected_to_a_file_is_written_in_place(tmp_path: Path) -> None:
    """`-o /dev/stdout > file` (and `>> file`, appending): the descriptor's file is written, and
    /dev/stdout itself, a link, is left alone (it used to be replaced, as root, by the rename)."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    before = os.readlink("/dev/stdout")
    out = tmp_path / "report.json"
    for mode in ("w", "a"):
        with open(out, mode) as handle:
            done = subprocess.run([sys.executable, "-m", "auditor", "audit", str(SNAP), "--format", "json",
                                   "-o", "/dev/stdout"], stdout=handle, stderr=subprocess.PIPE, text=True,
                                  cwd=ROOT, timeout=120, check=False)
        assert done.returncode in (0, 1, 3), done.stderr
    text = out.read_text()
    assert text.count('"schema_version"') == 2, "`>` then `>>`: two reports, the second appended"
    assert os.readlink("/dev/stdout") == before


@pytest.mark.parametrize("writer", USER_WRITERS)
def test_user_output_whose_parent_is_a_file(writer: str, tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    target = tmp_path / "afile" / "report"
    code, stderr = _invoke(USER_WRITERS[writer](target))
    assert code == 2 and "Traceback" not in stderr, stderr
    assert len(stderr.strip().splitlines()) == 1
    assert (tmp_path / "afile").read_text() == "x"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a 0500 directory")
@pytest.mark.parametrize("writer", USER_WRITERS)
def test_user_output_in_an_unwritable_directory(writer: str, tmp_path: Path) -> None:
    locked = tmp_path / "ro"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        code, stderr = _invoke(USER_WRITERS[writer](locked / "report"))
        _assert_one_line_exit_2(code, stderr, locked / "report")
    finally:
        locked.chmod(0o700)


def test_new_output_directories_are_owner_only(tmp_path: Path) -> None:
    target = tmp_path / "new" / "deeper" / "report.json"
    atomic_write_text(target, "{}\n")
    for directory in (tmp_path / "new", tmp_path / "new" / "deeper"):
        assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    assert stat.S_IMODE(target.stat().st_mode) == PRIVATE_FILE_MODE


# --- files gcaudit names itself: nightly reports, index, lock, child logs -------------------------

def _nightly(out: Path, label: str = "demo") -> tuple[int, str]:
    return _invoke(["--quiet", "nightly", str(SNAP), "--plan", str(PLAN), "--out-dir", str(out),
                    "--label", label, "--config", ""])


def test_nightly_outputs_are_owner_only(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    code, stderr = _nightly(out)
    assert code in (0, 1, 3), stderr
    written = [p for p in out.rglob("*") if p.is_file()]
    assert any(p.name == "latest.html" for p in written)
    for path in written:
        assert stat.S_IMODE(path.stat().st_mode) == PRIVATE_FILE_MODE, path
    assert stat.S_IMODE(out.stat().st_mode) == 0o700


@pytest.mark.parametrize("name", ["latest.html", "latest.json", "latest.md"])
@pytest.mark.parametrize("kind", REFUSED_FOR_OWN_FILES)
def test_nightly_reports_refuse_what_is_planted(name: str, kind: str, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    planted = Planted(out / name, kind)
    try:
        code, stderr = _nightly(out)  # a planted FIFO must not hang the run: refused at once
        _assert_one_line_exit_2(code, stderr, out / name)
        planted.assert_untouched()
    finally:
        planted.close()


def test_nightly_lock_file_symlink_is_refused(tmp_path: Path) -> None:
    from auditor.history.lock import lock_file_path

    out = tmp_path / "reports"
    lock = lock_file_path(out / "gcaudit-history.db", "demo")
    planted = Planted(lock, "symlink-to-file")
    code, stderr = _nightly(out)
    _assert_one_line_exit_2(code, stderr, lock)
    planted.assert_untouched()


@pytest.mark.parametrize("kind", ["symlink-to-file", "dangling-symlink", "fifo", "socket", "directory"])
def test_orgs_child_log_refuses_what_is_planted(kind: str, tmp_path: Path) -> None:
    from auditor.nightly.orgs import OrgEntry, run_one

    planted = Planted(tmp_path / "acme" / "nightly.log", kind)
    try:
        # Refused before any child starts; since issue 23 as this org's outcome (exit 2, "not run: ..."),
        # not an exception, so that the other orgs still run and the index is written.
        run = run_one(OrgEntry(name="acme", snapshot=SNAP), [], tmp_path, timeout=None)
        assert run.exit_code == 2 and run.problem and run.to_dict()["outcome"].startswith("not run:")
        planted.assert_untouched()
    finally:
        planted.close()


def test_private_log_truncates_an_old_regular_log_and_is_owner_only(tmp_path: Path) -> None:
    log = tmp_path / "nightly.log"
    log.write_text("old old old\n")
    log.chmod(0o644)
    with open_private_log(log) as handle:
        handle.write("new\n")
    assert log.read_text() == "new\n"
    assert stat.S_IMODE(log.stat().st_mode) == PRIVATE_FILE_MODE


@pytest.mark.parametrize("kind", ["symlink-to-file", "dangling-symlink", "fifo", "socket", "directory"])
def test_nightly_history_database_refuses_what_is_planted(kind: str, tmp_path: Path) -> None:
    """The default SQLite history (OUT/gcaudit-history.db) is opened only when it is a regular file:
    a dangling link used to have the history created wherever it pointed (exit 0)."""
    out = tmp_path / "reports"
    database = out / "gcaudit-history.db"
    planted = Planted(database, kind)
    try:
        code, stderr = _nightly(out)
        _assert_one_line_exit_2(code, stderr, out.resolve() / database.name)
        planted.assert_untouched()
        assert not list(out.glob("*.lock")) and not list(out.glob("latest.*")), "refused before anything ran"
    finally:
        planted.close()


@pytest.mark.parametrize("suffix", ["-journal", "-wal"])
@pytest.mark.parametrize("kind", ["symlink-to-file", "fifo"])
def test_nightly_history_side_files_refuse_what_is_planted(suffix: str, kind: str, tmp_path: Path) -> None:
    """SQLite opens and deletes its journal by name: a link planted there used to be removed."""
    out = tmp_path / "reports"
    side = out / f"gcaudit-history.db{suffix}"
    planted = Planted(side, kind)
    code, stderr = _nightly(out)
    _assert_one_line_exit_2(code, stderr, out.resolve() / side.name)
    planted.assert_untouched()


def test_nightly_history_url_naming_a_link_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    database = tmp_path / "history.db"
    planted = Planted(database, "dangling-symlink")
    code, stderr = _invoke(["--quiet", "nightly", str(SNAP), "--out-dir", str(out), "--label", "demo",
                            "--config", "", "--history", f"sqlite:///{database}"])
    _assert_one_line_exit_2(code, stderr, database)
    planted.assert_untouched()


def test_nightly_history_database_is_created_owner_only(tmp_path: Path) -> None:
    out = tmp_path / "new" / "reports"
    code, stderr = _nightly(out)
    assert code in (0, 1, 3), stderr
    database = out / "gcaudit-history.db"
    assert stat.S_ISREG(os.lstat(database).st_mode)
    assert stat.S_IMODE(database.stat().st_mode) == PRIVATE_FILE_MODE
    for directory in (tmp_path / "new", out):
        assert stat.S_IMODE(directory.stat().st_mode) == 0o700, directory


# --- directories gcaudit fills: `demo DIR`, `export-terraform SNAPSHOT DIR` ---------------------

DIRECTORY_WRITERS: dict[str, Callable[[Path], list[str]]] = {
    "demo": lambda p: ["demo", str(p)],
    "export-terraform": lambda p: ["export-terraform", str(SNAP), "--out-dir", str(p)],
}


@pytest.mark.parametrize("writer", DIRECTORY_WRITERS)
def test_filled_directory_is_created_owner_only(writer: str, tmp_path: Path) -> None:
    target = tmp_path / "new" / "dir"
    code, stderr = _invoke(DIRECTORY_WRITERS[writer](target))
    assert code == 0, stderr
    directories = [tmp_path / "new", target, *(p for p in target.rglob("*") if p.is_dir())]
    files = [p for p in target.rglob("*") if p.is_file()]
    assert len(files) >= 3
    for directory in directories:
        assert stat.S_IMODE(directory.stat().st_mode) == 0o700, directory
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == PRIVATE_FILE_MODE, path


@pytest.mark.parametrize("writer", DIRECTORY_WRITERS)
@pytest.mark.parametrize("kind", ["regular", "symlink-to-file", "dangling-symlink", "fifo", "socket"])
def test_filled_directory_refuses_what_is_planted(writer: str, kind: str, tmp_path: Path) -> None:
    """A dangling link at DIR used to exit 4 (FileExistsError from mkdir)."""
    target = tmp_path / "dir"
    planted = Planted(target, kind)
    try:
        code, stderr = _invoke(DIRECTORY_WRITERS[writer](target))
        _assert_one_line_exit_2(code, stderr, target)
        if kind == "regular":
            assert target.read_text() == "old report\n"
        else:
            planted.assert_untouched()
    finally:
        planted.close()


@pytest.mark.parametrize("kind", ["regular", "symlink-to-file", "dangling-symlink", "fifo", "socket", "directory"])
def test_demo_refuses_what_is_planted_at_a_sample_org(kind: str, tmp_path: Path) -> None:
    target = tmp_path / "ready-org"
    planted = Planted(target, kind)
    try:
        code, stderr = _invoke(DIRECTORY_WRITERS["demo"](tmp_path))
        _assert_one_line_exit_2(code, stderr, target)
        assert not (tmp_path / "demo-org").exists(), "refused before anything was written"
        if kind == "regular":
            assert target.read_text() == "old report\n"
        else:
            planted.assert_untouched()
    finally:
        planted.close()


@pytest.mark.parametrize("writer", DIRECTORY_WRITERS)
def test_filled_directory_whose_parent_is_a_file(writer: str, tmp_path: Path) -> None:
    """Used to exit 4 (NotADirectoryError)."""
    (tmp_path / "afile").write_text("x")
    target = tmp_path / "afile" / "dir"
    code, stderr = _invoke(DIRECTORY_WRITERS[writer](target))
    _assert_one_line_exit_2(code, stderr, target)
    assert (tmp_path / "afile").read_text() == "x"


@pytest.mark.parametrize("writer", DIRECTORY_WRITERS)
def test_filled_directory_permission_denied_exits_2(writer: str, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from auditor.safety import fileio

    monkeypatch.setattr(fileio.os, "mkdir", _refuse)
    target = tmp_path / "dir"
    code, stderr = _invoke(DIRECTORY_WRITERS[writer](target))
    _assert_one_line_exit_2(code, stderr, target)
    assert "permission denied" in stderr
    assert not os.path.lexists(target)


# --- collect --out ---------------------------------------------------------------------------------

def test_collect_out_as_symlink_to_an_empty_directory_keeps_the_collection(tmp_path: Path) -> None:
    from auditor.testing.fake_api import FakeConfig, FakePlatformApi
    from tests.hardening.fault_cases import COLLECT_ARGS, source_org

    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "snap"
    link.symlink_to(real)
    with FakePlatformApi(source_org(), FakeConfig()) as api:
        done = run_cli("--quiet", "collect", "--out-dir", str(link), *COLLECT_ARGS, env=api.env())
    assert done.returncode == 0, done.stderr
    assert (real / "manifest.json").is_file(), "the finished collection must land in the linked directory"
    assert link.is_symlink()


@pytest.mark.parametrize("kind", ["symlink-to-file", "dangling-symlink", "regular", "socket"])
def test_collect_out_refused_before_any_call(kind: str, tmp_path: Path) -> None:
    from auditor.testing.fake_api import FakeConfig, FakePlatformApi
    from tests.hardening.fault_cases import COLLECT_ARGS, source_org

    target = tmp_path / "snap"
    planted = Planted(target, kind)
    try:
        with FakePlatformApi(source_org(), FakeConfig()) as api:
            done = run_cli("--quiet", "collect", "--out-dir", str(target), *COLLECT_ARGS, env=api.env())
            calls = api.calls()
        _assert_one_line_exit_2(done.returncode, done.stderr, target)
        assert calls == 0, "refused only after calling the API"
        if kind == "regular":
            assert target.read_text() == "old report\n"
        else:
            planted.assert_untouched()
    finally:
        planted.close()


# --- errors of the file system itself: exit 2, one line (not 4) ------------------------------------

def _refuse(*_args: object, **_kwargs: object) -> None:
    import errno

    raise PermissionError(errno.EACCES, "Permission denied")


@pytest.mark.parametrize("writer", USER_WRITERS)
def test_permission_denied_by_the_file_system_exits_2(writer: str, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """What a non-root user meets in a directory they cannot write (root bypasses the mode bits,
    so the refusal is injected where the write starts)."""
    from auditor.safety import fileio

    monkeypatch.setattr(fileio.tempfile, "mkstemp", _refuse)
    code, stderr = _invoke(USER_WRITERS[writer](tmp_path / "report"))
    _assert_one_line_exit_2(code, stderr, tmp_path)  # the first of the command's outputs it tried
    assert "permission denied" in stderr


def test_snapshot_directory_permission_denied_before_any_call(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from auditor.errors import OutputError as Refused
    from auditor.snapshot import store

    monkeypatch.setattr(store.tempfile, "mkdtemp", _refuse)
    with pytest.raises(Refused, match="permission denied"):
        store.SnapshotWriter(tmp_path / "snap")


def test_internal_error_under_debug_exits_4_with_the_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    """--debug shows the traceback and still exits 4 (Python's own 1 means "findings" here)."""
    import auditor.engine

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(auditor.engine, "run_audit", broken)
    for flags, traceback_shown in ((["--debug"], True), ([], False)):
        result = CliRunner().invoke(cli, [*flags, "audit", str(SNAP)])
        assert result.exit_code == 4, result.stderr
        assert ("Traceback" in result.stderr) is traceback_shown
        assert "RuntimeError" in result.stderr
