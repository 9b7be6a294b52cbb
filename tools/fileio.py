"""Every file the tools write goes through here: a temporary file, then one rename.

``write_atomically(path, write)`` calls ``write(temporary)`` on a new file in the same
folder as ``path`` and renames it onto ``path`` only when ``write`` returned. A reader, or
the next command, sees the old file or the new one, never half of one: a full disk, an
interrupted run or an exception in ``write`` leaves the previous file exactly as it was
and removes the temporary file (which this module created, so it is ours to remove).

Under ``dry_run()`` (the tools' ``--test`` option) every write runs in full into its
temporary file, which is then removed instead of renamed: the write path is exercised and
no file of the repository changes. ``written()`` lists what a dry run would have replaced.

The helpers package keeps its own copy (``helpers.images._write_atomically``): it is
installed on its own, without ``tools/``.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable
from pathlib import Path

_dry_run: list[Path] | None = None  # the paths a dry run would have written, when in one


@contextlib.contextmanager
def dry_run():
    """Within this block, writes go to temporary files that are removed, not renamed."""
    global _dry_run
    outer, _dry_run = _dry_run, []
    try:
        yield _dry_run
    finally:
        _dry_run = outer


def _new_temporary(path: Path) -> Path:
    """Create an empty, hidden file beside ``path`` that no one else has; return its path."""
    # The same suffix: writers that choose a format by it (savefig, Pillow, np.savez) still can.
    temporary = path.with_name(f".{path.stem}.{secrets.token_hex(4)}.tmp{path.suffix}")
    # O_EXCL: never reuse a file that exists; 0o666 lets the umask decide the permissions.
    os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    return temporary


def write_atomically(path: Path | str, write: Callable[[Path], object]) -> None:
    """Call ``write(temporary_path)``, flush it to disk, then rename it onto ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = _new_temporary(path)
    try:
        write(temporary)
        with open(temporary, "rb") as handle:
            os.fsync(handle.fileno())  # the bytes are on disk before the name points at them
        if _dry_run is not None:
            _dry_run.append(path)
            temporary.unlink()
            return
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def write_text(path: Path | str, text: str, encoding: str = "utf-8") -> None:
    """``Path(path).write_text(text)``, atomically."""
    write_atomically(path, lambda target: target.write_text(text, encoding=encoding))


def write_bytes(path: Path | str, data: bytes) -> None:
    """``Path(path).write_bytes(data)``, atomically."""
    write_atomically(path, lambda target: target.write_bytes(data))


def write_notebook(notebook, path: Path | str) -> None:
    """``nbformat.write(notebook, path)``, atomically."""
    import nbformat

    write_atomically(path, lambda target: nbformat.write(notebook, str(target)))
