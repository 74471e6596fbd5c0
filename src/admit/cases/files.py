"""The case store's files on disk are private to the user admit runs as.

Why: the SQLite database holds the sealed cases and the audit trail, and the key file the
secret that opens them; under the usual umask (022) new files would be readable by every user
of the machine. New directories are made 0700 and new files 0600, whatever the umask; database
files an earlier version left readable by others are made private when the store opens them.
An existing directory is left as it is: it may be shared on purpose.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path) -> None:
    """Create `path` (and any missing parents) if it does not exist, itself with mode 0700."""
    if path.is_dir():
        return
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    with contextlib.suppress(OSError):
        path.chmod(DIR_MODE)  # mkdir's mode passes through the umask


def private_database(path: Path) -> None:
    """Create the SQLite file 0600 before SQLite does (SQLite gives its -wal and -shm files the
    database file's mode), and take group and other access from the files of an older store."""
    private_dir(path.parent)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    for name in (path.name, f"{path.name}-wal", f"{path.name}-shm", f"{path.name}-journal"):
        file = path.with_name(name)
        with contextlib.suppress(OSError):  # absent, or not ours to change
            if stat.S_IMODE(file.stat().st_mode) & 0o077:
                file.chmod(FILE_MODE)
