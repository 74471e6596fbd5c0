"""Encryption at rest of the case data, and the key of the audit chain — both kept apart from
the database.

Why: a case holds a person's names, birth date, documents and a protection claim, so a copy of
the database alone must reveal none of it, and someone who can write the database must not be
able to rewrite its history unseen. Every event's data is sealed with AES-GCM
(`cryptography`), bound by the associated data to the event's place and metadata, so a sealed
payload moved to another event, or left in an event whose actor, role or kind was changed,
fails to open. The audit chain's MACs (`admit.cases.audit`) use a second key derived from the
same secret with HKDF, so one secret is kept and backed up, never the same key used twice.

The secret comes from ADMIT_CASES_KEY (url-safe base64 of 32 bytes), else from the file
ADMIT_CASES_KEY_FILE names, else from `cases.key` in the data directory; a missing file is
created with mode 0600 (its directory 0700) on first use, and a key file others can read is
refused rather than used. Key rotation is not handled yet.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import os
import secrets
from collections.abc import Mapping
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from admit.cases.errors import StoreError
from admit.cases.files import private_dir

KEY_ENV = "ADMIT_CASES_KEY"
KEY_FILE_ENV = "ADMIT_CASES_KEY_FILE"
KEY_FILE = "cases.key"
_PREFIX = "v1."
_NONCE = 12
# What the audit chain's MAC key is derived for: changing it changes every MAC.
_MAC_INFO = b"admit cases: audit chain HMAC-SHA256, v1"


class Cipher:
    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise StoreError(f"the cases key must be 32 bytes, not {len(key)}")
        self._aead = AESGCM(key)
        self._mac_key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                             info=_MAC_INFO).derive(key)

    def __repr__(self) -> str:
        return "Cipher(<key hidden>)"

    def seal(self, plaintext: bytes, context: bytes) -> str:
        nonce = secrets.token_bytes(_NONCE)
        sealed = self._aead.encrypt(nonce, plaintext, context)
        return _PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")

    def open(self, token: str, context: bytes, label: str | None = None) -> bytes:
        """The plaintext; StoreError if the token was altered, moved, its context changed or
        it was sealed with another key. The message names the record by `label` (default:
        the context itself), never its content."""
        try:
            if not token.startswith(_PREFIX):
                raise ValueError
            raw = base64.urlsafe_b64decode(token[len(_PREFIX):])
            return self._aead.decrypt(raw[:_NONCE], raw[_NONCE:], context)
        except (ValueError, binascii.Error, InvalidTag):
            where = label if label is not None else context.decode("ascii", "replace")
            raise StoreError(f"sealed data of {where} does not open with this key: altered, "
                             "moved, its record changed, or sealed with another key") from None

    def mac(self, message: bytes) -> str:
        """HMAC-SHA256 of `message` under the audit chain's key, as hex."""
        return hmac.new(self._mac_key, message, hashlib.sha256).hexdigest()


def new_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii")


def key_path(data_dir: Path, environ: Mapping[str, str] | None = None) -> Path:
    """Where the key file is: ADMIT_CASES_KEY_FILE, else `cases.key` in the data directory."""
    env = os.environ if environ is None else environ
    named = env.get(KEY_FILE_ENV)
    return Path(named).expanduser().resolve() if named else data_dir / KEY_FILE


def load_key(data_dir: Path, environ: Mapping[str, str] | None = None) -> bytes:
    env = os.environ if environ is None else environ
    text = env.get(KEY_ENV)
    if text:
        return _decode(text.strip(), KEY_ENV)
    path = key_path(data_dir, env)
    private_dir(path.parent)
    if not path.exists():
        _create(path)
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        raise StoreError(f"{path} is readable by others (mode {mode:04o}); "
                         f"run `chmod 600 {path}`")
    return _decode(path.read_text(encoding="ascii").strip(), str(path))


def _create(path: Path) -> None:
    """Write a new key beside `path` (mode 0600 from the start), then link it into place:
    the link is atomic, so a process starting at the same moment reads a whole key, and the
    first process's key wins."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(new_key() + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):  # another process's key won
            os.link(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def _decode(text: str, where: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(text)
    except (ValueError, binascii.Error):
        raise StoreError(f"{where}: not url-safe base64") from None
    if len(key) != 32:
        raise StoreError(f"{where}: the key must be 32 bytes (44 base64 characters), "
                         f"not {len(key)}")
    return key
