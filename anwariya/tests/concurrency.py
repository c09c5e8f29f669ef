"""Run a function in real threads at once, each with its own database connection."""

import contextlib
import threading

from django.db import connection, connections


def run_concurrently(function, count, timeout=120):
    """Call ``function(index)`` in ``count`` threads released together; returns results in order.

    An exception in a thread is returned in its place, so a test sees every outcome.
    """
    barrier = threading.Barrier(count)
    results = [None] * count

    def worker(index):
        try:
            # Connected before the start, so no thread is still connecting while others race.
            connections["default"].ensure_connection()
            barrier.wait(timeout=timeout)
            results[index] = function(index)
        except Exception as exc:  # noqa: BLE001 - reported to the test as the result
            results[index] = exc
        finally:
            connections.close_all()

    with pool_room_for(count + 1):  # the threads, and the test's own connection
        threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout)
            assert not thread.is_alive(), "a thread did not finish: deadlock or hang"
    return results


@contextlib.contextmanager
def pool_room_for(connections_wanted):
    """Let the PostgreSQL connection pool (settings' DB_POOL_MAX_SIZE) hold this many connections
    at once for the block: more threads than it holds would wait for each other at the start."""
    pool = getattr(connection, "pool", None) if connection.vendor == "postgresql" else None
    if pool is None or pool.max_size >= connections_wanted:
        yield
        return
    sizes = pool.min_size, pool.max_size
    pool.resize(min_size=sizes[0], max_size=connections_wanted)
    try:
        yield
    finally:
        pool.resize(*sizes)
