"""Encryption at rest: Fernet (AES-CBC + HMAC) for store values and LangGraph checkpoints.

``PD_ENCRYPTION_KEY`` holds one or more comma-separated Fernet keys; the first encrypts, every
one decrypts, so a key is rotated by putting the new one first. Tampered data fails closed.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from langgraph.checkpoint.serde.base import CipherProtocol
from langgraph.checkpoint.serde.encrypted import EncryptedSerializer
from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer

from process_designer.errors import ConfigError, StorageError

__all__ = ["Sealer", "checkpoint_serializer", "parse_keys"]

_PREFIX = "fernet:"


def parse_keys(raw: str) -> MultiFernet:
    """The keys of ``PD_ENCRYPTION_KEY``; :class:`ConfigError` names a malformed one."""
    keys = [part.strip() for part in raw.split(",") if part.strip()]
    if not keys:
        raise ConfigError("PD_ENCRYPTION_KEY is empty; generate a key with "
                          "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'")
    fernets = []
    for position, key in enumerate(keys, start=1):
        try:
            fernets.append(Fernet(key.encode()))
        except ValueError:
            raise ConfigError(f"PD_ENCRYPTION_KEY key {position} is not a Fernet key (32 url-safe base64 bytes); "
                              "generate one with Fernet.generate_key()") from None
    return MultiFernet(fernets)


class Sealer:
    """Seals text before it is stored and opens it after it is read; a no-op without keys."""

    def __init__(self, keys: MultiFernet | None) -> None:
        self._keys = keys

    @classmethod
    def from_setting(cls, raw: str | None) -> Sealer:
        return cls(parse_keys(raw) if raw else None)

    @property
    def enabled(self) -> bool:
        return self._keys is not None

    def seal(self, text: str) -> str:
        if self._keys is None:
            return text
        return _PREFIX + self._keys.encrypt(text.encode("utf-8")).decode("ascii")

    def open(self, stored: str) -> str:
        if not stored.startswith(_PREFIX):
            return stored
        if self._keys is None:
            raise StorageError("stored data is encrypted but PD_ENCRYPTION_KEY is not set; set the key it was "
                               "written with")
        try:
            return self._keys.decrypt(stored[len(_PREFIX):].encode("ascii")).decode("utf-8")
        except InvalidToken:
            raise StorageError("stored data failed its integrity check (tampered, or written with a key that "
                               "PD_ENCRYPTION_KEY no longer lists)") from None


class _FernetCipher(CipherProtocol):
    def __init__(self, keys: MultiFernet) -> None:
        self._keys = keys

    def encrypt(self, plaintext: bytes) -> tuple[str, bytes]:
        return "fernet", self._keys.encrypt(plaintext)

    def decrypt(self, ciphername: str, ciphertext: bytes) -> bytes:
        if ciphername != "fernet":
            raise StorageError(f"a checkpoint is sealed with {ciphername!r}, which this service cannot open")
        try:
            return self._keys.decrypt(ciphertext)
        except InvalidToken:
            raise StorageError("a checkpoint failed its integrity check (tampered, or written with a key "
                               "that PD_ENCRYPTION_KEY no longer lists)") from None


def checkpoint_serializer(raw: str | None) -> EncryptedSerializer | None:
    """The checkpoint serializer for ``PD_ENCRYPTION_KEY``, or ``None`` (LangGraph's default) without one."""
    if not raw:
        return None
    return EncryptedSerializer(_FernetCipher(parse_keys(raw)), serde=JsonPlusSerializer())
