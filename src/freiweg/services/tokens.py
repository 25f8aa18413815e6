"""Sensor tokens: random secrets shown once; freiweg keeps only their SHA-256."""

from __future__ import annotations

import hashlib
import secrets

TOKEN_PREFIX = "fwt_"


def new_token() -> str:
    """A fresh 256-bit token, URL-safe, with a prefix that secret scanners can recognise."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """The stored form of a token.

    A plain SHA-256 is enough because tokens are 256-bit random values: there is nothing to
    guess, so a slow password hash would only slow every upload down.
    """
    return hashlib.sha256(token.encode()).hexdigest()
