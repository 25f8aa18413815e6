"""The log's Ed25519 signing key: from settings, or generated once under the data folder in demo mode."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from freiweg.services.note_keys import (
    COSIGNATURE_V1,
    ED25519,
    NoteSigner,
    ed25519_verify,
    new_key_text,
    signer_from_text,
)
from freiweg.settings import Settings, UnsafeSettings
from freiweg.transparency.checkpoints import NoteError

DEMO_KEY_FILE = "log-signing-key.txt"


def default_origin(settings: Settings) -> str:
    """The log's name: FREIWEG_LOG_ORIGIN, else the public URL's host and path plus /freiweg-log."""
    if settings.log_origin:
        return settings.log_origin
    parts = urlsplit(settings.public_url)
    return f"{parts.netloc}{parts.path.rstrip('/')}/freiweg-log"


def data_folder(settings: Settings) -> Path:
    """Where the installation keeps files: next to the SQLite database, else ./data."""
    path = settings.sqlite_path()
    return path.parent if path is not None else Path("data")


def load_log_signer(settings: Settings) -> NoteSigner:
    """The checkpoint signer from FREIWEG_LOG_KEY; in demo mode one is generated and kept once."""
    if settings.log_key:
        try:
            return signer_from_text(settings.log_key, key_type=ED25519)
        except (NoteError, ValueError, OSError) as error:
            raise UnsafeSettings(f"FREIWEG_LOG_KEY is not a usable signing key: {error}") from error
    if not settings.demo:
        settings.refuse_missing_log_key()
    path = data_folder(settings) / DEMO_KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process of the same demo made it a moment ago
        else:
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(new_key_text(default_origin(settings)) + "\n")
    return signer_from_text(str(path), key_type=ED25519)


__all__ = [
    "COSIGNATURE_V1",
    "ED25519",
    "NoteSigner",
    "ed25519_verify",
    "load_log_signer",
    "new_key_text",
    "signer_from_text",
]
