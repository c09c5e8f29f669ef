"""Run a function in real threads at once, each with its own database connection."""

import threading

from django.db import connections


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

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
        assert not thread.is_alive(), "a thread did not finish: deadlock or hang"
    return results
