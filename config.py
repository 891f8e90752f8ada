"""Configuration classes for Musyawarah.

This is the only module that reads environment variables. `load_config()`
picks a class from `MUSYAWARAH_ENV` (development, testing, production) and the
app factory takes the class (or an instance with overrides) from there.
"""
import os
import secrets
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
DEFAULT_INSTANCE_DIR = Path(os.environ.get("MUSYAWARAH_INSTANCE_DIR", BASE_DIR / "instance"))


class ConfigurationError(RuntimeError):
    """Raised when the environment cannot produce a safe configuration."""


def _bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _proxy_count(value):
    """TRUSTED_PROXIES as a whole number of proxies, 0 or more."""
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()):
        raise ConfigurationError(
            f"TRUSTED_PROXIES={value!r} is not a number of proxies: set it to 0 (the app is reached "
            "directly) or to how many proxies stand in front of it, e.g. 1 for one TLS proxy."
        )
    return int(text)


def _instance_secret_key(instance_dir):
    """Return a secret key kept in `instance/secret_key`, creating it once."""
    path = Path(instance_dir) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key


class Config:
    """Settings shared by every environment; the defaults serve `make run`."""

    ENV_NAME = "development"
    INSTANCE_DIR = str(DEFAULT_INSTANCE_DIR)
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{DEFAULT_INSTANCE_DIR / 'musyawarah.sqlite'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    REDIS_URL = os.environ.get("REDIS_URL")
    SEARCH_INDEX_DIR = os.environ.get("SEARCH_INDEX_DIR", str(DEFAULT_INSTANCE_DIR / "search"))
    SEARCH_APPLY_AFTER_COMMIT = True  # a worker indexes its own writes when the lock is free
    SEARCH_RELATED_CACHE_SECONDS = 300  # "related discussions" kept per process this long
    PAGE_CACHE_ENTRIES = 500  # rendered pages and page parts kept per process (forum/page_cache.py); 0: off
    PAGE_CACHE_SECONDS = 60  # the longest a kept page is served (changes invalidate it at once anyway)
    SEARCH_OUTBOX_KEEP_DAYS = 14  # `search prune` keeps applied outbox rows this long for other nodes
    SEARCH_REBUILD_PROCS = min(os.cpu_count() or 1, 4)  # `search rebuild` analyses in this many processes
    UPLOAD_DIR = str(DEFAULT_INSTANCE_DIR / "uploads")
    MAIL_DIR = str(DEFAULT_INSTANCE_DIR / "mail")

    # Mail: SMTP when MAIL_SERVER is set, otherwise files under instance/mail/.
    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", True)
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "Musyawarah <no-reply@musyawarah.tangerangselatankota.go.id>")

    # Localisation: Indonesian first, English complete.
    BABEL_DEFAULT_LOCALE = "id"
    BABEL_DEFAULT_TIMEZONE = "Asia/Jakarta"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "forum" / "translations")
    LANGUAGES = ("id", "en")

    # Sessions and cookies.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    PERMANENT_SESSION_LIFETIME = timedelta(days=14)
    WTF_CSRF_TIME_LIMIT = None  # tied to the session instead of a clock
    HSTS_ENABLED = False

    MAX_CONTENT_LENGTH = 16 * 1024 * 1024  # the largest upload (three 5 MB photos) plus form fields

    # Proxies in front of the app whose X-Forwarded-For and X-Forwarded-Proto
    # are believed (Werkzeug's ProxyFix, applied in `create_app`): 0 trusts none.
    TRUSTED_PROXIES = os.environ.get("TRUSTED_PROXIES", "0")

    # Rate limits (Flask-Limiter); Redis shares them between workers.
    PASSWORD_HASH_METHOD = "scrypt"  # Werkzeug's scrypt cost (n=2**15), about 0.1 s a hash
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL") or "memory://"
    # Redis down or stalled: each worker counts the same limits in its own memory until it answers again.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}  # seconds
    # Flask-Limiter's headers would put Retry-After on every answer; a 429 gets
    # its own from forum/errorpages.py instead.
    RATELIMIT_HEADERS_ENABLED = False
    RATELIMIT_LOGIN = "10 per minute;50 per hour"
    RATELIMIT_REGISTER = "5 per hour"
    RATELIMIT_PASSWORD_RESET = "5 per hour"
    RATELIMIT_WRITE = "60 per minute;600 per hour"  # every write of one account (or address), app-wide
    RATELIMIT_EXPORT = "20 per minute;200 per hour"  # feedback summaries and exports: heavy reads
    RATELIMIT_SIMILAR = "60 per minute"  # the aspiration form's live "similar aspirations" list
    RATELIMIT_TRACK = "20 per minute;200 per hour"  # receipt code look-ups (/lacak and the API), per address
    RATELIMIT_CLAIM = "10 per hour"  # claiming an assisted submission with its code and phone number
    LOGIN_MAX_FAILURES = 5
    LOGIN_LOCKOUT = timedelta(minutes=15)

    TOKEN_MAX_AGE_VERIFY = timedelta(days=3)
    TOKEN_MAX_AGE_RESET = timedelta(hours=1)
    TOKEN_MAX_AGE_INVITATION = timedelta(days=7)  # an organization's invitation link
    CONSENT_VERSION = "2026-11"
    MODERATION_BLOCKED_DOMAINS = [
        domain.strip().lower()
        for domain in os.environ.get("MODERATION_BLOCKED_DOMAINS", "").split(",")
        if domain.strip()
    ]
    MODERATION_SETTINGS_TTL = 1.0  # seconds a worker trusts its cached watched-words version
    # Weighted flag score that hides content until a moderator looks.
    MODERATION_FLAG_THRESHOLD = float(os.environ.get("MODERATION_FLAG_THRESHOLD", "3.0"))
    MODERATION_FLAGS_PER_DAY = 20  # flags one account may give in 24 hours
    API_MAX_PER_PAGE = 100

    def __init__(self, **overrides):
        for key, value in overrides.items():
            setattr(self, key, value)

    def finalize(self):
        """Fill in what depends on the environment; raise if it is unsafe."""
        if not self.SECRET_KEY:
            self.SECRET_KEY = _instance_secret_key(self.INSTANCE_DIR)
        self.TRUSTED_PROXIES = _proxy_count(self.TRUSTED_PROXIES)
        return self


class DevelopmentConfig(Config):
    """`make run`: SQLite and Whoosh under instance/, mail written to files."""


class TestingConfig(Config):
    """pytest: a throwaway database, external services off, limits off by default."""

    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret-key-not-for-production"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    REDIS_URL = os.environ.get("REDIS_URL")
    # The suite hashes thousands of passwords: same algorithm, 1/32 of the cost.
    PASSWORD_HASH_METHOD = "scrypt:1024:8:1"
    RATELIMIT_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    MAIL_SERVER = None
    WTF_CSRF_ENABLED = False
    SEARCH_RELATED_CACHE_SECONDS = 0
    SEARCH_REBUILD_PROCS = 1  # tests rebuild tiny indexes: forking would cost more than it saves


class ProductionConfig(Config):
    """gunicorn behind TLS: PostgreSQL, Redis, a secret key from the environment."""

    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    HSTS_ENABLED = True

    def finalize(self):
        if not self.SECRET_KEY:
            raise ConfigurationError(
                "SECRET_KEY is not set. Production refuses to start without it: "
                "set SECRET_KEY to a long random value (for example the output of "
                "`python -c 'import secrets; print(secrets.token_hex(32))'`)."
            )
        return super().finalize()


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def load_config(name=None):
    """Return the config instance named by `name` or `MUSYAWARAH_ENV`."""
    name = name or os.environ.get("MUSYAWARAH_ENV", "development")
    try:
        return CONFIGS[name]()
    except KeyError:
        raise ConfigurationError(
            f"MUSYAWARAH_ENV={name!r} is unknown; use one of {', '.join(CONFIGS)}."
        ) from None
