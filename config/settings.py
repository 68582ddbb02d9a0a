"""Settings for the 数创企业培育库 portal.

Everything that differs between a laptop, CI and production comes from the
environment (see README "Environment"). Without any environment this is the
developer's mode (DEBUG on: tests, `make dev`); `make run` serves the embedded mode
like production (DEBUG off, a secret kept in var/secret_key, plain http on localhost).
Both use SQLite under var/ (WAL, busy timeout, immediate transactions), run tasks
in-process and print e-mail to the console.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = env_bool("DEBUG", True)
# Served over https: secure cookies, HSTS and the SSL redirect follow it. Production is;
# the embedded `make run` (DEBUG off, plain http on localhost) says HTTPS=0.
HTTPS = env_bool("HTTPS", not DEBUG)


def _secret_key() -> str:
    """SECRET_KEY, else the file SECRET_KEY_FILE names (`make run` generates var/secret_key
    once), else a development key, which DEBUG off refuses."""
    if key := env_str("SECRET_KEY"):
        return key
    if path := env_str("SECRET_KEY_FILE"):
        try:
            key = (BASE_DIR / path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"SECRET_KEY_FILE {path} cannot be read: {exc}") from exc
        if key:
            return key
        raise ImproperlyConfigured(f"SECRET_KEY_FILE {path} is empty.")
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY or SECRET_KEY_FILE must be set when DEBUG is off.")
    return "dev-only-insecure-key-never-used-in-production-0123456789abcdef"


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",  # the tsvector search of scenarios (harmless on SQLite)
    "django.forms",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "axes",
    "accounts",
    "audit",
    "notifications",
    "workdays",
    "registry",
    "conditions",
    "selection",
    "adjustment",
    "resources",
    "policies",
    "vouchers",
    "scenarios",
    "finance",
    "reports",
    "portal",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.PrivateNoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "audit.middleware.AuditContextMiddleware",
    # A constraint violation that escapes a view answers with its sentence, not a 500.
    "config.constraint_middleware.ConstraintViolationMiddleware",
    # Last, so that a lockout answers before the login view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.navigation.navigation",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
VAR_DIR.mkdir(exist_ok=True)
(VAR_DIR / "static").mkdir(exist_ok=True)  # whitenoise warns when STATIC_ROOT is missing
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'portal.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A handful of people at once on the embedded SQLite file: WAL lets readers go on while
    # one writes; a writer waits up to 20 s for another (busy timeout) instead of failing
    # with "database is locked"; IMMEDIATE takes the write lock when a transaction begins,
    # because a read transaction that later writes cannot wait for a lock (SQLite answers
    # "locked" at once to avoid a deadlock). Every thread has its own connection, kept
    # DB_CONN_MAX_AGE seconds (gunicorn's threads reuse theirs; runserver closes its own).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_TIMEOUT_SECONDS", 20),
    }
    # Tests use a file too (not SQLite's in-memory database, whose shared cache locks
    # tables instead of waiting): concurrent writers are tested as production runs them.
    # pytest-xdist adds a suffix per worker.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test_portal.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and sessions ------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.EmailOrPhoneBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = env_list(
    "PASSWORD_HASHERS", ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after 30 idle minutes: every request renews the cookie.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Login throttling: 10 failures per account lock it for an hour.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_FORM_FIELD = "username"  # the login field holds an e-mail or a phone
AXES_USERNAME_CALLABLE = "accounts.backends.axes_account_key"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout"
AXES_VERBOSE = False

# --- Internationalisation -------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files (served by the app itself; nothing from a CDN) -----------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or VAR_DIR / "media")
MEDIA_URL = "/media/"
# Export files (reports/): outside MEDIA_ROOT, served only to the user who asked.
EXPORTS_ROOT = Path(env_str("EXPORTS_ROOT") or VAR_DIR / "exports")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- E-mail -----------------------------------------------------------------
# Console e-mail while developing; SMTP (configured below) in production.
EMAIL_BACKEND_PATH = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_PATH}}
if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25),
        "username": env_str("EMAIL_HOST_USER", ""),
        "password": env_str("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
    }
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "数创企业培育库 <noreply@shuchuang.example>")

# --- Celery -------------------------------------------------------------------
# With no broker the embedded default runs every task in-process ("memory://" only
# keeps kombu from looking for a broker on localhost).
CELERY_TASK_ALWAYS_EAGER = not env_str("CELERY_BROKER_URL")
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or "memory://localhost/"
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND") or (
    None if CELERY_TASK_ALWAYS_EAGER else CELERY_BROKER_URL
)
CELERY_TASK_EAGER_PROPAGATES = True
# The queue tasks go to when sent without one (tasks that fan out, e.g. adjustment chunks).
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE") or "celery"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "selection-advance-rounds": {
        "task": "selection.advance_rounds",
        "schedule": 60 * 60,  # hourly: windows and notice periods end on the hour they end
    },
    "registry-report-reminders": {"task": "registry.report_reminders", "schedule": 24 * 60 * 60},
    "policies-lapse-expired": {
        "task": "policies.lapse_expired_policies",
        "schedule": 24 * 60 * 60,
    },
    # Just after midnight: a policy published ahead of its start date matches on that day.
    "policies-coming-into-force": {
        "task": "policies.start_policies_coming_into_force",
        "schedule": crontab(minute=5, hour=0),
    },
    # Daily, after midnight: a voucher is claimable through its expiry date.
    "vouchers-expire": {
        "task": "vouchers.expire_vouchers",
        "schedule": crontab(minute=10, hour=0),
    },
    # Just after midnight: a scenario takes responses through its deadline day.
    "scenarios-close-due": {
        "task": "scenarios.close_due_scenarios",
        "schedule": crontab(minute=15, hour=0),
    },
    "reports-delete-expired-exports": {
        "task": "reports.delete_expired_exports",
        "schedule": 60 * 60,
    },
    # 15 May, two weeks after reports fall due (30 April): time for late reports to arrive.
    "adjustment-yearly": {
        "task": "adjustment.yearly_adjustment",
        "schedule": crontab(minute=0, hour=2, day_of_month=15, month_of_year=5),
    },
}

# --- API ------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: its scheme names the WWW-Authenticate header, so a caller without
    # credentials gets 401 (not 403); a request with no Authorization header falls
    # through to the session (CSRF still enforced there).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.RegionTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["config.filters.StrictFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "config.pagination.PageNumberPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.api.exception_handler",
    "PAGE_SIZE": 20,
}
# The browsable API, with style-src widened on its pages only (config/renderers.py).
REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"] = [
    "rest_framework.renderers.JSONRenderer",
    "config.renderers.CspBrowsableAPIRenderer",
]
SPECTACULAR_SETTINGS = {
    "TITLE": "数创企业培育库 API",
    "DESCRIPTION": _("数字经济创新型企业培育库的开放接口。所有数据按当前用户的可见范围过滤。"),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Request bodies are documented as JSON (the API's format; an action that takes a file
    # documents its multipart body itself): a JSON field such as `conditions` has no
    # faithful form encoding.
    "PARSER_WHITELIST": ["rest_framework.parsers.JSONParser"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.api_schema.document_errors",
        "config.api_schema.strict_decimal_patterns",
    ],
    "ENUM_NAME_OVERRIDES": {
        "LevelEnum": "selection.choices.AwardLevel",
        "RoundStatusEnum": "selection.choices.RoundStatus",
        "ApplicationStatusEnum": "selection.choices.ApplicationStatus",
        "TierEnum": "registry.choices.Tier",
        "ReportStatusEnum": "registry.models.monitoring.ReportStatus",
        "PolicyKindEnum": "policies.models.PolicyKind",
        "PolicyStatusEnum": "policies.models.PolicyStatus",
        "GrantStatusEnum": "policies.models.GrantStatus",
        "ResourceStatusEnum": "resources.models.ResourceStatus",
        "RevisionKindEnum": "resources.models.RevisionKind",
        "RevisionStatusEnum": "resources.models.RevisionStatus",
        "ProposalKindEnum": "adjustment.models.ProposalKind",
        "ProposalStatusEnum": "adjustment.models.ProposalStatus",
        "AppealStatusEnum": "adjustment.models.AppealStatus",
        "RunStatusEnum": "config.jobs.RunStatus",
        "VerificationStatusEnum": "registry.choices.VerificationStatus",
        "TransferStatusEnum": "registry.choices.TransferStatus",
        "DocumentKindEnum": "registry.choices.DocumentKind",
        "RegionLevelEnum": "accounts.models.RegionLevel",
        "VoucherKindEnum": "vouchers.models.choices.VoucherKind",
        "RelationKindEnum": "vouchers.models.choices.RelationKind",
        "VoucherProgramStatusEnum": "vouchers.models.choices.ProgramStatus",
        "ProgramProviderStatusEnum": "vouchers.models.choices.MembershipStatus",
        "VoucherApplicationStatusEnum": "vouchers.models.choices.ApplicationStatus",
        "VoucherStatusEnum": "vouchers.models.choices.VoucherStatus",
        "ClaimStatusEnum": "vouchers.models.choices.ClaimStatus",
        "LedgerKindEnum": "vouchers.models.choices.LedgerKind",
        "HubNodeEnum": "vouchers.models.choices.HubNode",
    },
}

# --- Security (production: DEBUG=0 over https) ----------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", HTTPS)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", HTTPS)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Passwords and bank accounts stay hidden in error reports, DEBUG or not.
DEFAULT_EXCEPTION_REPORTER_FILTER = "config.errors.SensitiveDataFilter"

# --- Content-Security-Policy ------------------------------------------------------
# Nothing inline: no <script> without src, no on*= handlers, no style="" (portal.js sets
# bar widths). The API docs page widens style-src for its own template (config/urls.py).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# Portal-specific settings.
# Yuan per US dollar for the USD thresholds of the growth labels (set by the operator).
USD_CNY_RATE = env_str("USD_CNY_RATE", "7.10")
# 首购首用 subsidy rule (scenarios): this share of the contract, at most this many yuan.
SCENARIO_FIRST_PURCHASE_RATIO = env_str("SCENARIO_FIRST_PURCHASE_RATIO", "0.10")
SCENARIO_FIRST_PURCHASE_CAP = env_str("SCENARIO_FIRST_PURCHASE_CAP", "300000.00")

# --- Exports (reports/) ------------------------------------------------------------
# Up to this many rows an export streams straight back; more run as a job.
EXPORT_DIRECT_MAX_ROWS = env_int("EXPORT_DIRECT_MAX_ROWS", 5000)
# A PDF is a table to read or print: beyond this many rows the page asks for XLSX.
EXPORT_PDF_MAX_ROWS = env_int("EXPORT_PDF_MAX_ROWS", 1000)
# A job's file is kept this long, then the hourly beat task deletes it and its row.
EXPORT_KEEP_SECONDS = env_int("EXPORT_KEEP_SECONDS", 7 * 24 * 60 * 60)
REPORT_DUE_MONTH_DAY = (4, 30)  # last year's annual report is due on 30 April
PORTAL_NAME = "数创企业培育库"
ENTERPRISE_PAGE_SIZE = 20
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "http://127.0.0.1:8000")
FORM_RENDERER = "config.forms.PortalFormRenderer"
# axes.W006 wants IP-based lockout too; we lock per account as required, because a
# whole government office often shares one NAT address and would be locked out together.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
