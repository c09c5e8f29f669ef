"""The Redis cache shares one connection pool per process across cache objects."""

import asyncio

from asgiref.sync import sync_to_async
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.test import override_settings

from anwariya.cache import SharedPoolRedisCache

LOCATION = "redis://127.0.0.1:6379/15"


def _pool(cache):
    return cache._cache._get_connection_pool(write=True)


def test_cache_objects_of_one_server_share_a_pool():
    first = SharedPoolRedisCache(LOCATION, {})
    second = SharedPoolRedisCache(LOCATION, {})
    other_database = SharedPoolRedisCache("redis://127.0.0.1:6379/14", {})

    assert _pool(first) is _pool(second)
    assert _pool(first) is not _pool(other_database)
    # What it mends: Django's own client gives every cache object a pool of its own.
    assert _pool(RedisCache(LOCATION, {})) is not _pool(RedisCache(LOCATION, {}))


@override_settings(CACHES={"default": {"BACKEND": "anwariya.cache.SharedPoolRedisCache", "LOCATION": LOCATION}})
def test_each_request_context_gets_its_own_cache_object_but_the_same_pool():
    # Under ASGI each request runs in its own async context, and Django makes a cache object per
    # context; before, each of them connected to Redis anew.
    def pool_of_this_context():
        return caches["default"], _pool(caches["default"])

    async def two_requests():
        return await asyncio.gather(sync_to_async(pool_of_this_context)(), sync_to_async(pool_of_this_context)())

    (cache_a, pool_a), (cache_b, pool_b) = asyncio.run(two_requests())
    assert cache_a is not cache_b
    assert pool_a is pool_b
