"""Safe writes: atomic replacement in the target's own folder, never through a symbolic link under outputs/.

Every file the pipeline writes goes through :func:`write_bytes` (directly or through
:func:`civcomp.io.outputs.atomic_write`), :func:`open_new` (the run lock, a kernel's log) or
:func:`move` (a finished notebook):

* the bytes go to a temporary file **in the target's own folder**, are flushed to disk and renamed
  over the target — one ``rename`` within one folder, so a killed run leaves no half-written file
  and an ``outputs/`` on another filesystem (a mount, or a symbolic link to another disk) works;
* inside a *guarded* folder — the repository's ``outputs/`` and ``build/``, and any folder given to
  :func:`protect` (the runner protects its project's) — no component below it may be a symbolic link:
  a planted link (``outputs/.cache/run.lock`` → a file elsewhere, ``outputs/tables`` → another folder)
  is refused with :class:`UnsafePathError`, one line naming the path, instead of being written
  through. The guarded folder itself may be a link or a mount (e.g. ``outputs/`` on another disk);
* a write that fails (a full disk, a read-only folder) removes its temporary file and raises the
  :class:`OSError`, which the commands report in one line (exit 2).

Examples
--------
>>> import tempfile, os
>>> from pathlib import Path
>>> d = protect(Path(tempfile.mkdtemp()) / "outputs")
>>> write_bytes(d / "tables" / "t.csv", b"a\\n").read_bytes()
b'a\\n'
>>> os.symlink(tempfile.mkdtemp(), d / "figures")
>>> write_bytes(d / "figures" / "f.svg", b"<svg/>")
Traceback (most recent call last):
...
civcomp.io.atomic.UnsafePathError: .../outputs/figures is a symbolic link: refusing to write .../outputs/figures/f.svg through it (remove the link)
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from civcomp import paths
from civcomp.errors import CivcompError

# folders the pipeline owns: nothing below them may be a symbolic link (absolute, not resolved)
GUARDED: set[Path] = {paths.OUTPUTS, paths.ROOT / "build"}


class UnsafePathError(CivcompError, OSError):
    """A write would go through a symbolic link inside a folder the pipeline owns (one line naming it)."""


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


FILE_MODE = 0o666 & ~_umask()  # what open() would give (0644 under the usual umask), not mkstemp's 0600


def protect(folder: str | Path) -> Path:
    """Guard ``folder`` too (a project's ``outputs/`` and ``build/``); return it (absolute).

    Examples
    --------
    >>> import tempfile
    >>> protect(Path(tempfile.mkdtemp()) / "outputs").name
    'outputs'
    """
    folder = Path(os.path.abspath(folder))
    GUARDED.add(folder)
    return folder


def guard(path: str | Path) -> Path:
    """Raise :class:`UnsafePathError` when ``path`` or a folder between it and its guarded folder is a link.

    A path outside every guarded folder (:data:`GUARDED`) is returned unchecked. Returns ``path`` as an
    absolute, unresolved :class:`~pathlib.Path`.

    Examples
    --------
    >>> guard(paths.OUTPUTS / "results" / "x.json") == paths.OUTPUTS / "results" / "x.json"
    True
    """
    path = Path(os.path.abspath(path))
    tops = [g for g in GUARDED if path != g and path.is_relative_to(g)]
    if not tops:
        return path
    top = max(tops, key=lambda g: len(g.parts))
    for i in range(len(top.parts), len(path.parts)):
        p = Path(*path.parts[: i + 1])
        if p.is_symlink():
            what = f"refusing to write {path} through it" if p != path else "refusing to write through it"
            raise UnsafePathError(f"{p} is a symbolic link: {what} (remove the link)")
    return path


def _tempfile(folder: Path, name: str) -> tuple[int, str]:
    folder.mkdir(parents=True, exist_ok=True)
    return tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)


def write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (temporary file in its folder, fsync, rename); return ``path``.

    Raises
    ------
    UnsafePathError
        ``path``, or a folder below its guarded folder, is a symbolic link.
    OSError
        The folder cannot be written (full disk, read-only); no temporary file is left behind.

    Examples
    --------
    >>> import tempfile, stat
    >>> f = write_bytes(Path(tempfile.mkdtemp()) / "x.txt", b"hi")
    >>> stat.S_IMODE(f.stat().st_mode) == FILE_MODE
    True
    """
    path = guard(path)
    guard(path.parent)  # mkdir below would follow a linked folder
    fd, tmp = _tempfile(path.parent, path.name)
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        guard(path)  # a link planted while the bytes were written is refused too
        os.replace(tmp, path)
    except BaseException as exc:
        if os.path.lexists(tmp):
            os.unlink(tmp)
        if isinstance(exc, OSError) and exc.filename is None and exc.errno is not None:
            raise OSError(exc.errno, exc.strerror, str(path)) from None  # name the file (a full disk)
        raise
    return path


def open_new(path: str | Path, mode: str = "w", truncate: bool = True):
    """Open ``path`` for writing without following a symbolic link (``O_NOFOLLOW``); return a file object.

    ``mode`` is ``"w"`` (text) or ``"a+"`` (text, read and append: the run lock). With ``truncate`` the
    file is emptied on opening.

    Examples
    --------
    >>> import tempfile
    >>> with open_new(Path(tempfile.mkdtemp()) / "x.log") as fh:
    ...     _ = fh.write("ok")
    """
    path = guard(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_CREAT | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    flags |= os.O_RDWR | os.O_APPEND if "+" in mode else os.O_WRONLY
    if truncate and "a" not in mode:
        flags |= os.O_TRUNC
    try:
        fd = os.open(path, flags, 0o666)
    except OSError as exc:
        if path.is_symlink():
            raise UnsafePathError(
                f"{path} is a symbolic link: refusing to write through it (remove the link)"
            ) from None
        raise exc
    return os.fdopen(fd, mode)


def move(src: str | Path, dst: str | Path) -> Path:
    """Move the file ``src`` to ``dst`` atomically, across filesystems too (copied into ``dst``'s folder first).

    Examples
    --------
    >>> import tempfile
    >>> a = Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = a.write_text("x")
    >>> b = move(a, Path(tempfile.mkdtemp()) / "b.txt")
    >>> b.read_text(), a.exists()
    ('x', False)
    """
    src, dst = Path(src), guard(dst)
    guard(src)
    if os.path.dirname(os.path.abspath(src)) == str(dst.parent):
        os.replace(src, dst)  # one folder, one filesystem
        return dst
    fd, tmp = _tempfile(dst.parent, dst.name)
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as out, open(src, "rb") as fh:
            shutil.copyfileobj(fh, out, 1 << 20)
            out.flush()
            os.fsync(out.fileno())
        guard(dst)
        os.replace(tmp, dst)
    except BaseException:
        if os.path.lexists(tmp):
            os.unlink(tmp)
        raise
    os.unlink(src)
    return dst
