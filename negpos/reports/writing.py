"""Writing output files so that a failed write never leaves a broken one behind.

Every file negpos writes (tables, figures, the report page) is first written in full to a
temporary file in the target's own folder, flushed to disk, then renamed over the target in
one step (``os.replace``). A full disk, a killed process or Ctrl-C therefore leaves either the
old file, untouched, or the new one, complete; never a truncated or empty one. On failure the
temporary file is removed and the error names the target, not the temporary file.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["figure_bytes", "write_atomically"]

_TEMPORARY_PREFIX = ".negpos-"
_TEMPORARY_SUFFIX = ".tmp"


def write_atomically(path: str | os.PathLike[str], data: str | bytes) -> Path:
    """Write ``data`` (text as UTF-8 with the newlines given, or bytes) to ``path`` in one step.

    The file is written beside ``path``, synced to disk and renamed over it, so ``path`` holds
    its old content or the whole new content, never part of it. A ``path`` that is a symbolic
    link is followed: the file it points to is replaced and the link kept. A new file gets the
    usual permissions (0666 less the umask), a replaced one keeps its own. On failure the
    temporary file is removed and an ``OSError`` naming ``path`` is raised (of the same kind
    as the one that occurred: ``PermissionError``, ``FileNotFoundError``...); any other
    exception, such as ``KeyboardInterrupt``, also removes it and propagates.
    """
    target = Path(path)
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    payload = data.encode("utf-8") if isinstance(data, str) else data
    temporary: Path | None = None
    try:
        descriptor, temporary = _create_beside(target)
        with open(descriptor, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        with contextlib.suppress(FileNotFoundError):
            os.chmod(temporary, stat.S_IMODE(os.stat(target).st_mode))
        os.replace(temporary, target)
        temporary = None
    except OSError as exc:
        raise _naming(exc, target) from exc
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
    _sync_folder(target.parent)
    return Path(path)


def figure_bytes(figure: Figure, fmt: Literal["png", "svg"], *, dpi: int = 150) -> bytes:
    """``negpos.reports.figures.figure_bytes``, kept here for callers that import it from this
    module; figures load (and matplotlib with them) only when it is called."""
    from negpos.reports.figures import figure_bytes as render

    return render(figure, fmt, dpi=dpi)


def _create_beside(target: Path) -> tuple[int, Path]:
    """A new, empty file in ``target``'s folder, opened for writing; its name starts with a
    dot and ends in .tmp so a folder listing or a corpus load passes it by."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    flags |= getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        name = f"{_TEMPORARY_PREFIX}{target.name}.{secrets.token_hex(4)}{_TEMPORARY_SUFFIX}"
        candidate = target.with_name(name)
        try:
            return os.open(candidate, flags, 0o666), candidate  # the umask applies
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary file name beside {target}")


def _naming(error: OSError, target: Path) -> OSError:
    """The same kind of error, about ``target`` rather than the temporary file."""
    if error.errno is None:
        return OSError(f"{target}: {error}")
    return OSError(error.errno, error.strerror or str(error), str(target))


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable where the system allows it (POSIX; not Windows)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
