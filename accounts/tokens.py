"""API keys: how a key is made, hashed and checked. Nothing here stores a key."""

import hashlib
import hmac
import secrets

from accounts.models import ApiToken

KEY_LENGTH = 40  # hex characters, like DRF's keys, so keys issued before hashing still fit


def new_key() -> str:
    return secrets.token_hex(KEY_LENGTH // 2)


def digest_of(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def prefix_of(key: str) -> str:
    return key[: ApiToken.PREFIX_LENGTH]


def find_active_token(key: str):
    """The active token whose key this is (its user and region loaded), or None."""
    digest = digest_of(key)
    candidates = (
        ApiToken.objects.active().filter(prefix=prefix_of(key)).select_related("user__region")
    )
    for token in candidates:
        if hmac.compare_digest(token.digest, digest):
            return token
    return None
