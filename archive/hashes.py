"""What is kept in place of a secret: argon2id for passwords, SHA-256 for random tokens."""

from __future__ import annotations

import base64
import hashlib
import secrets

from argon2 import PasswordHasher

from .config import PasswordCost


def hash_secret(secret: str) -> str:
    """SHA-256 of a random session id or API token: they carry 256 bits, nothing to stretch."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def password_hasher(cost: PasswordCost) -> PasswordHasher:
    """An argon2id hasher with an archive's password cost."""
    return PasswordHasher(
        time_cost=cost.time_cost, memory_cost=cost.memory_kib, parallelism=cost.parallelism
    )


def unmatchable_hash(hasher: PasswordHasher) -> str:
    """A hash in the hasher's parameters that no password matches, made without hashing:
    verifying against it costs what a real one does, and opening accounts costs nothing."""
    salt, digest = (
        base64.b64encode(secrets.token_bytes(n)).decode().rstrip("=")
        for n in (hasher.salt_len, hasher.hash_len)
    )
    cost = f"m={hasher.memory_cost},t={hasher.time_cost},p={hasher.parallelism}"
    return f"$argon2{hasher.type.name.lower()}$v=19${cost}${salt}${digest}"
