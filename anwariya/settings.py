"""Settings for Anwariya, read from the environment (12-factor).

Every default runs with no outside service: a SQLite file, the in-memory channel
layer, Celery tasks run in-process, and email printed to the console. Point
``DATABASE_URL``, ``REDIS_URL`` and ``EMAIL_URL`` at real services to scale out.
"""

from datetime import timedelta
from pathlib import Path

import environ
from corsheaders import defaults as corsheaders_defaults
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)

SECRET_KEY_MIN_LENGTH = 50
# Values that reached a config file as examples: a key starting or containing one is no secret.
SECRET_KEY_PLACEHOLDERS = ("change-me", "changeme", "django-insecure")


def secret_key_problem(key: str) -> str | None:
    """Why ``key`` must not sign production sessions and tokens, or None when it may."""
    if not key:
        return "it is empty"
    lowered = key.lower()
    for placeholder in SECRET_KEY_PLACEHOLDERS:
        if placeholder in lowered:
            return f"it is a placeholder (contains {placeholder!r})"
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return f"it has {len(key)} characters, fewer than {SECRET_KEY_MIN_LENGTH}"
    if len(set(key)) < 5:
        return "it repeats fewer than 5 different characters"
    return None


SECRET_KEY = env.str("SECRET_KEY", default="")
if not DEBUG and (problem := secret_key_problem(SECRET_KEY)):
    # Raised while the settings load, so no process (web, worker, beat, manage.py) starts with it.
    raise ImproperlyConfigured(
        f"SECRET_KEY is not fit for production (DEBUG is off): {problem}. Set SECRET_KEY to at least "
        f"{SECRET_KEY_MIN_LENGTH} random characters, for example the output of "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'."
    )
if not SECRET_KEY:
    SECRET_KEY = "django-insecure-dev-only-key-never-use-in-production"

# Demo data (a demo admin, vendors and influencers sharing a published password) is added at
# start-up only when asked for: `make run` asks, Docker Compose does not unless .env says so.
SEED_DEMO = env.bool("SEED_DEMO", default=False)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# CORS (django-cors-headers) for browser clients on other origins: nothing is allowed unless named
# here, only the API is covered (pages and their session cookies stay same-origin), and the API
# answers such clients without cookies unless CORS_ALLOW_CREDENTIALS is turned on.
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_ALLOWED_ORIGIN_REGEXES = env.list("CORS_ALLOWED_ORIGIN_REGEXES", default=[])
CORS_ALLOW_CREDENTIALS = env.bool("CORS_ALLOW_CREDENTIALS", default=False)
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_HEADERS = (*corsheaders_defaults.default_headers, "idempotency-key")
CORS_EXPOSE_HEADERS = ["Content-Disposition", "Retry-After", "Idempotent-Replayed", "Location"]
CORS_PREFLIGHT_MAX_AGE = env.int("CORS_PREFLIGHT_MAX_AGE", default=3600)

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "corsheaders",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "axes",
    "anwariya",
    "accounts",
    "profiles",
    "campaigns",
    "chat",
    "catalog",
    "billing",
    "broadcasts",
    "collaborations",
    "analytics",
]

MIDDLEWARE = [
    # CORS first, so every answer under /api/ (errors and preflights included) carries its headers.
    "corsheaders.middleware.CorsMiddleware",
    # Outermost: any 4xx under /api/ answered by Django or a middleware becomes the JSON error body.
    "anwariya.middleware.ApiErrorsAsJsonMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A method an API view lacks: 405, before its authentication and permissions (anwariya/api/methods.py).
    "anwariya.api.methods.MethodNotAllowedFirstMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # NUL in the URL, a header, the query string or a page's form: a 400 naming the field (API bodies:
    # the parsers).
    "anwariya.middleware.RefuseUnstorableTextMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A view's PermissionDenied or Http404: the site's error page (also with DEBUG on), logged in one line.
    "anwariya.views.ErrorPagesMiddleware",
    # Axes last: it turns a lockout flagged during the view into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "anwariya.urls"
CSRF_FAILURE_VIEW = "anwariya.views.csrf_failure"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "anwariya.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = None
TEST_RUNNER = "anwariya.test_runner.PytestTestRunner"
ASGI_APPLICATION = "anwariya.asgi.application"

# --- Database ---------------------------------------------------------------
# An empty value (as in .env.example) means "use the default", like an unset one.
DATABASE_URL = env.str("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASES = {"default": environ.Env.db_url_config(DATABASE_URL)}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"].setdefault("TEST", {})
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for the write lock instead of failing at once when two requests write.
    # Writers queue for the lock (BEGIN IMMEDIATE) instead of failing when two upgrade at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(timeout=20, transaction_mode="IMMEDIATE")
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Each process keeps a pool of open connections (psycopg_pool through Django's "pool" option):
    # a request or a websocket message borrows one and gives it back, so none pays a new
    # connection. DB_POOL_MAX_SIZE=0 turns the pool off (then CONN_MAX_AGE applies, e.g. behind
    # PgBouncer in transaction mode). Size it for the threads of one process that use the database
    # at once; processes × DB_POOL_MAX_SIZE must stay below the server's max_connections.
    DB_POOL_MAX_SIZE = env.int("DB_POOL_MAX_SIZE", default=20)
    if DB_POOL_MAX_SIZE > 0:
        if DATABASES["default"]["CONN_MAX_AGE"]:
            raise ImproperlyConfigured("Set CONN_MAX_AGE=0 with the connection pool, or DB_POOL_MAX_SIZE=0 without it.")
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": min(env.int("DB_POOL_MIN_SIZE", default=2), DB_POOL_MAX_SIZE),
            "max_size": DB_POOL_MAX_SIZE,
            # How long a request waits for a free connection before it fails.
            "timeout": env.float("DB_POOL_TIMEOUT", default=10.0),
        }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.mysql":
    # MariaDB / MySQL (driver: requirements-mysql.txt). utf8mb4 stores emoji and every script;
    # strict mode refuses what would be truncated; READ COMMITTED (Django's default here, stated so
    # it stays) lets a locked re-read see what the writer before it committed. A lock wait that
    # lasts longer than a request should fails instead of hanging.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        charset="utf8mb4",
        isolation_level="read committed",
        init_command="SET sql_mode='STRICT_TRANS_TABLES', innodb_lock_wait_timeout=20",
    )
    DATABASES["default"]["TEST"].update(CHARSET="utf8mb4", COLLATION="utf8mb4_unicode_ci")
    # A unique constraint with a condition (MariaDB, MySQL) or on an expression (MariaDB) gets no
    # index here. Each such rule is checked by its service under a lock (anwariya.db lists them
    # and where); the check anwariya.W001 names any that is not, in place of these two.
    SILENCED_SYSTEM_CHECKS = ["models.W036", "models.W044"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: channel layer, cache, Celery broker ------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
# What this deployment's keys and channels start with in Redis, so that two deployments (or the
# test processes that pytest-xdist runs side by side: conftest.py) can share one Redis database.
REDIS_KEY_PREFIX = env.str("REDIS_KEY_PREFIX", default="anwariya")

if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "max_connections": env.int("REDIS_MAX_CONNECTIONS", default=200),
                        # channels-redis blocks up to 5 s waiting for a message; a read timeout of
                        # the same 5 s (redis-py's default here) would kill idle sockets.
                        "socket_timeout": 30,
                        "socket_connect_timeout": 5,
                    }
                ],
                "capacity": 1000,
                "expiry": 60,
                "prefix": f"{REDIS_KEY_PREFIX}:asgi",
            },
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "anwariya.cache.SharedPoolRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": REDIS_KEY_PREFIX,
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery -------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
# Without a broker, the tasks that render PDFs (invoices, credit notes) run on a background thread
# of the web process after the answer, not inside the request (``anwariya.celery``).
EAGER_TASKS_IN_BACKGROUND = env.bool("EAGER_TASKS_IN_BACKGROUND", default=True)
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = env.str("TIME_ZONE", default="Asia/Kolkata")
CELERY_BEAT_SCHEDULE = {
    "prune-idempotency-keys": {
        "task": "anwariya.tasks.prune_idempotency_keys",
        "schedule": timedelta(hours=1),
    },
    "purge-account-exports": {
        "task": "accounts.tasks.purge_account_exports",
        "schedule": timedelta(hours=1),
    },
    # Starts scheduled broadcasts when due, and picks up running ones whose worker died.
    "broadcasts-tick": {
        "task": "broadcasts.tasks.broadcasts_tick",
        "schedule": timedelta(seconds=30),
    },
    # Commission whose hold period has ended becomes payable.
    "collaborations-release-commission": {
        "task": "collaborations.tasks.commission_release",
        "schedule": timedelta(hours=1),
    },
    # Yesterday's tracking salts and visitor marks go (also done on the first click of a day).
    "collaborations-tracking-prune": {
        "task": "collaborations.tasks.tracking_prune",
        "schedule": timedelta(hours=1),
    },
}

# --- Auth -----------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (accounts/lockout.py): LOGIN_FAILURE_LIMIT failures for one account from one
# client address refuse that address for LOGIN_COOLOFF_MINUTES; LOGIN_ACCOUNT_FAILURE_LIMIT
# failures for one account from all addresses within LOGIN_ACCOUNT_FAILURE_WINDOW_MINUTES refuse
# every address. A password reset link always logs the owner in and restarts the count.
AXES_HANDLER = "accounts.lockout.LoginAttemptHandler"
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "accounts.lockout.username_from_credentials"
AXES_CLIENT_IP_CALLABLE = "anwariya.client.client_address"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
# A refused attempt is not a new failure: it neither extends the lock nor uses up the account's count.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # the per-account count reads it
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["password"]
LOGIN_ACCOUNT_FAILURE_LIMIT = env.int("LOGIN_ACCOUNT_FAILURE_LIMIT", default=100)
LOGIN_ACCOUNT_FAILURE_WINDOW_MINUTES = env.int("LOGIN_ACCOUNT_FAILURE_WINDOW_MINUTES", default=60)

# Behind a reverse proxy, how many proxies append to X-Forwarded-For: the client address is the
# TRUSTED_PROXY_COUNT-th entry from the right (anwariya/client.py). 0: the connection's address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
SUPPORT_EMAIL = env.str("SUPPORT_EMAIL", default="support@anwariya.local")
# A data export of more rows than this is built by a task and emailed as a link (accounts/export.py)
# that works for ACCOUNT_EXPORT_LINK_HOURS, for the logged-in owner only.
ACCOUNT_EXPORT_INLINE_MAX_ROWS = env.int("ACCOUNT_EXPORT_INLINE_MAX_ROWS", default=5000)
ACCOUNT_EXPORT_LINK_HOURS = env.int("ACCOUNT_EXPORT_LINK_HOURS", default=48)

# --- Internationalisation -------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Kolkata")
USE_I18N = True
USE_TZ = True
CURRENCY = env.str("CURRENCY", default="INR")
# GST applies where CURRENCY is INR (billing.tax). Elsewhere a bill is a plain invoice, with one
# optional tax: INVOICE_TAX_RATE percent (0 to 100; 0 charges none) named INVOICE_TAX_NAME.
INVOICE_TAX_RATE = env.str("INVOICE_TAX_RATE", default="0")
INVOICE_TAX_NAME = env.str("INVOICE_TAX_NAME", default="Tax")

# --- Static and media files -----------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- Email ------------------------------------------------------------------------
vars().update(environ.Env.email_url_config(env.str("EMAIL_URL", default="") or "consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Anwariya <no-reply@anwariya.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

# --- Outside services -------------------------------------------------------------
GEMINI_API_KEY = env.str("GEMINI_API_KEY", default="")
GEMINI_MODEL = env.str("GEMINI_MODEL", default="gemini-2.5-flash")
# A page waits for the answer, so keep it short; on timeout the rule-based insights are shown.
GEMINI_TIMEOUT_SECONDS = env.int("GEMINI_TIMEOUT_SECONDS", default=10)
# Insights are cached per vendor and data fingerprint: reloading the page does not call Gemini again.
INSIGHTS_CACHE_SECONDS = env.int("INSIGHTS_CACHE_SECONDS", default=6 * 60 * 60)
# Chat reply suggestions are cached per chat, user and replied message (chat/suggestions.py).
CHAT_SUGGESTIONS_CACHE_SECONDS = env.int("CHAT_SUGGESTIONS_CACHE_SECONDS", default=60 * 60)
# Commission on an attributed sale is held this many days (for returns and voids), then payable.
COLLAB_COMMISSION_HOLD_DAYS = env.int("COLLAB_COMMISSION_HOLD_DAYS", default=14)
# Vendors with at least this many paid bills get their sales series from the daily rollup.
ANALYTICS_ROLLUP_MIN_BILLS = env.int("ANALYTICS_ROLLUP_MIN_BILLS", default=1000)
# The Telegram bot bridge is on when both the token and the webhook secret are set.
TELEGRAM_BOT_TOKEN = env.str("TELEGRAM_BOT_TOKEN", default="")
TELEGRAM_WEBHOOK_SECRET = env.str("TELEGRAM_WEBHOOK_SECRET", default="")
TELEGRAM_BOT_USERNAME = env.str("TELEGRAM_BOT_USERNAME", default="").lstrip("@")
TELEGRAM_API_BASE = env.str("TELEGRAM_API_BASE", default="https://api.telegram.org").rstrip("/")
TELEGRAM_TIMEOUT_SECONDS = env.int("TELEGRAM_TIMEOUT_SECONDS", default=10)
# Telegram allows about 30 messages a second per bot; this caps each worker's send task.
TELEGRAM_RATE_LIMIT = env.str("TELEGRAM_RATE_LIMIT", default="25/s")

# --- REST API ---------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework_simplejwt.authentication.JWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # DRF's parsers plus a JSON depth limit and a refusal of NUL and lone surrogates (anwariya/inputs.py).
    "DEFAULT_PARSER_CLASSES": [
        "anwariya.api.parsers.JSONParser",
        "anwariya.api.parsers.FormParser",
        "anwariya.api.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "anwariya.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="300/minute"),
        "user": env.str("API_THROTTLE_USER", default="3000/minute"),
        # Sign-ups per client address, shared by the API and the sign-up page.
        "register": env.str("API_THROTTLE_REGISTER", default="100/hour"),
        # Password-reset emails: per address asked for (whether or not it has an account), per client.
        "password_reset_address": env.str("PASSWORD_RESET_PER_ADDRESS", default="5/hour"),
        "password_reset_client": env.str("PASSWORD_RESET_PER_CLIENT", default="20/hour"),
        # Data exports per user, shared by the API and the account page.
        "account_export": env.str("ACCOUNT_EXPORT_RATE", default="5/hour"),
        # Reply suggestions per user, shared by the API and the chat page (each may call Gemini).
        "chat_suggestions": env.str("CHAT_SUGGESTIONS_THROTTLE", default="30/minute"),
    },
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_SCHEMA_CLASS": "anwariya.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "anwariya.api.exceptions.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=15)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_DAYS", default=7)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "SIGNING_KEY": SECRET_KEY,
    "AUTH_HEADER_TYPES": ("Bearer",),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Anwariya API",
    "DESCRIPTION": (
        "Vendors sell products and run influencer-marketing campaigns; influencers find "
        "campaigns and work with vendors. Authenticate with a JWT from `POST /api/v1/auth/token/` "
        "(`Authorization: Bearer <access>`). Every 4xx answer has the body "
        '`{"detail": "...", "code": "...", "errors": {"field": ["..."]}}`.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "BillStatusEnum": "billing.models.Bill.Status",
        "HealthStatusEnum": ["ok", "unavailable"],
        "HealthDatabaseEnum": ["ok", "error"],
        "HealthRedisEnum": ["ok", "error", "not configured"],
        "BroadcastChannelEnum": "broadcasts.models.Broadcast.Channel",
        "BroadcastStatusEnum": "broadcasts.models.Broadcast.Status",
        "DeliveryStatusEnum": "broadcasts.models.Delivery.Status",
        "RoleEnum": "accounts.models.Role",
        "ShipmentStatusEnum": "collaborations.models.Shipment.Status",
        # A profile's role: one value per shape, so an answer matches one of them (profiles/api.py).
        "InfluencerRoleEnum": ["influencer"],
        "VendorRoleEnum": ["vendor"],
        # Terms' deliverables and a collaboration's deliverables share their kinds.
        "DeliverableKindEnum": "collaborations.models.TermsDeliverable.Kind",
        # GST: a state by its code (a vendor's state, a bill's place of supply).
        "GstStateEnum": "profiles.gst.GstState",
        "DocumentTypeEnum": ["tax_invoice", "bill_of_supply", "invoice"],
    },
}

IDEMPOTENCY_KEY_TTL = timedelta(hours=env.int("IDEMPOTENCY_KEY_TTL_HOURS", default=24))

# --- Collaborations: deliverables -------------------------------------------------
# Requests for changes a vendor may make per deliverable; past that they can only approve it.
COLLAB_MAX_REVISIONS = env.int("COLLAB_MAX_REVISIONS", default=3)
# A draft image or video upload (jpg, png, webp, gif, mp4, mov, webm) is at most this many MB.
COLLAB_UPLOAD_MAX_MB = env.int("COLLAB_UPLOAD_MAX_MB", default=50)
# A caption without one of these (or the terms' own disclosure label) gets a warning; whole
# tags or phrases, any case. Comma-separated in the environment.
COLLAB_DISCLOSURE_LABELS = env.list(
    "COLLAB_DISCLOSURE_LABELS",
    default=["#ad", "#advertisement", "#sponsored", "#collab", "#paidpartnership", "#gifted", "paid partnership"],
)

# Request limits: a body over this many bytes (uploaded files not counted), or more parameters or
# form fields, or more files, is refused; under /api/ with 413 and the JSON error body.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)  # 2.5 MiB
DATA_UPLOAD_MAX_NUMBER_FIELDS = env.int("DATA_UPLOAD_MAX_NUMBER_FIELDS", default=1000)
DATA_UPLOAD_MAX_NUMBER_FILES = env.int("DATA_UPLOAD_MAX_NUMBER_FILES", default=100)

# --- Security ---------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # httpx2 logs every request URL at INFO, and the Telegram Bot API carries its token in the URL.
        "httpx2": {"level": "WARNING"},
    },
}

# --- Tokens (the wallet) ------------------------------------------------------------
# Whole tokens. A new user's signup grant, and what actions cost.
TOKEN_SIGNUP_GRANT = env.int("TOKEN_SIGNUP_GRANT", default=200)
TOKEN_PRICE_CONTACT = env.int("TOKEN_PRICE_CONTACT", default=50)  # a vendor invites an influencer or opens a chat
TOKEN_PRICE_APPLICATION = env.int("TOKEN_PRICE_APPLICATION", default=0)  # an application beyond the free quota
TOKEN_FREE_APPLICATIONS_PER_MONTH = env.int("TOKEN_FREE_APPLICATIONS_PER_MONTH", default=5)
TOKEN_PRICE_BROADCAST_RECIPIENT = env.int("TOKEN_PRICE_BROADCAST_RECIPIENT", default=1)

# --- Broadcasts -------------------------------------------------------------------------
BROADCAST_RATE_PER_SECOND = env.int("BROADCAST_RATE_PER_SECOND", default=10)  # deliveries, across workers
BROADCAST_MAX_RECIPIENTS = env.int("BROADCAST_MAX_RECIPIENTS", default=10_000)
BROADCAST_MAX_ERRORS = env.int("BROADCAST_MAX_ERRORS", default=20)  # failed attempts in a run before it pauses
BROADCAST_RETRY_BACKOFF_SECONDS = env.int("BROADCAST_RETRY_BACKOFF_SECONDS", default=30)  # doubles per retry
BROADCAST_STALLED_AFTER_SECONDS = env.int("BROADCAST_STALLED_AFTER_SECONDS", default=120)
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["WalletTransactionKindEnum"] = "accounts.models.WalletTransaction.Kind"
