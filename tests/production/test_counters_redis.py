"""The rate limits on the production stack: they count in the real Redis (liaison.counters), so every
web process and host behind the same Redis shares them."""

import pytest
from django.conf import settings
from django.urls import reverse
from redis import Redis

from liaison import counters
from liaison.models import Counter


@pytest.fixture
def raw_redis():
    raw = Redis.from_url(settings.CACHES["default"]["LOCATION"])
    yield raw
    for key in raw.scan_iter(counters.REDIS_PREFIX + "*"):  # the tier's Redis outlives each test
        raw.delete(key)


@pytest.mark.django_db
def test_five_wrong_tries_count_in_redis_and_lock_the_sixth(client, concern, raw_redis):
    verify = reverse("petitions:verify", args=[concern.tracking])
    for _ in range(5):
        client.post(verify, {"last4": "0000"})

    response = client.post(verify, {"last4": "5678"}, follow=True)

    assert 'id="verify-locked"' in response.content.decode()
    counted = [key.decode() for key in raw_redis.scan_iter(counters.REDIS_PREFIX + "petitions:verify:*")]
    assert any(concern.tracking in key for key in counted)
    assert not Counter.objects.exists()  # nothing in the database's store
    assert all(0 < raw_redis.ttl(key) <= 86400 for key in counted)
