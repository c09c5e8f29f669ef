"""The Redis cache with one connection pool per process.

Django's Redis client keeps its connection pools on the cache object, and Django makes a cache
object per thread and per async context: under ASGI that is every request, so every request
opened (and left behind) its own connection to Redis for the throttles' counters. Here the
clients of one process share their pools, one per server and options, as the database
connections share theirs (``DB_POOL_MAX_SIZE``). redis-py's pools notice a fork and start afresh
in the child.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

_PROCESS_POOLS: dict[tuple, dict] = {}


class SharedPoolRedisCacheClient(RedisCacheClient):
    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        key = (tuple(servers), repr(sorted(options.items())))
        self._pools = _PROCESS_POOLS.setdefault(key, {})


class SharedPoolRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedPoolRedisCacheClient
