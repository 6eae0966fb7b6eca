"""API keys of the open API's clients (liaison.models.ApiClient): issued once, stored only as a hash."""

import hashlib
import secrets

from django.db import transaction

from liaison.models import ApiClient

KEY_BYTES = 32  # 43 URL-safe characters: not guessable, so a plain SHA-256 stands in for a password hash


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def assign_new_key(client: ApiClient) -> str:
    """Give the (unsaved) client a fresh key: its hash and prefix are set, the key itself returned."""
    key = secrets.token_urlsafe(KEY_BYTES)
    client.key_hash, client.key_prefix = key_hash(key), key[:8]
    return key


@transaction.atomic
def api_client_create(*, name: str, townships=()) -> tuple[ApiClient, str]:
    """A new client and its key. The key is returned here only: show it once, it cannot be read back."""
    client = ApiClient(name=name)
    key = assign_new_key(client)
    client.full_clean()
    client.save()
    client.townships.set(townships)
    return client, key


def api_client_rotate_key(*, client: ApiClient) -> str:
    """Replace the client's key; the old one stops working at once. Returns the new key (shown once)."""
    key = assign_new_key(client)
    client.save(update_fields=["key_hash", "key_prefix"])
    return key


def api_client_for_key(key: str) -> ApiClient | None:
    """The active client holding `key`, or None."""
    if not key:
        return None
    return ApiClient.objects.filter(key_hash=key_hash(key), is_active=True).first()
