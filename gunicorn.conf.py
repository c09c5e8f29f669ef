"""The production server: gunicorn managing uvicorn worker processes (HTTP and websockets).

``make serve``, the Dockerfile and docker-compose.yml run ``gunicorn anwariya.asgi:application``,
which reads this file. Every figure comes from the environment (docs/operations.md sizes them):

* ``WEB_CONCURRENCY``: worker processes (default: one per CPU core). Each serves many requests
  and websockets at once; one per core is what the benches measured best (docs/benchmarks.md).
* ``HOST`` and ``PORT``: where to listen (default 0.0.0.0:8000), or ``GUNICORN_BIND``.
* ``GUNICORN_TIMEOUT``: seconds a worker may stay silent before it is restarted (default 60).
* ``GUNICORN_GRACEFUL_TIMEOUT``: seconds a stopping worker gets to finish (default 30).
* ``GUNICORN_KEEPALIVE``: seconds an idle HTTP keep-alive connection stays open (default 5).
* ``GUNICORN_MAX_REQUESTS``: restart a worker after this many requests (default 0: never), with
  up to 10 % of jitter so the workers do not restart together.
"""

import os

_cores = os.cpu_count() or 1


def _int(name, default):
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


wsgi_app = "anwariya.asgi:application"
worker_class = "uvicorn_worker.UvicornWorker"
workers = _int("WEB_CONCURRENCY", _cores)
bind = os.environ.get("GUNICORN_BIND") or f"{os.environ.get('HOST') or '0.0.0.0'}:{_int('PORT', 8000)}"
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
max_requests = _int("GUNICORN_MAX_REQUESTS", 0)
max_requests_jitter = max_requests // 10
# Behind a proxy (TLS, docs/operations.md): trust its X-Forwarded-* headers from these addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG", "").lower() in ("1", "true", "yes") else None
errorlog = "-"
