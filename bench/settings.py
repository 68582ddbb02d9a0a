"""Settings for serving the portal under the benchmark (gunicorn on 127.0.0.1 only).

The project's settings with DEBUG off, a throwaway secret key, loopback hosts and plain
http, plus the bare comparison view mounted by bench.urls. Never used in production.
"""

import os

# config.settings refuses to start with DEBUG off and no SECRET_KEY in the environment.
os.environ.setdefault("SECRET_KEY", "bench-only-loopback-key-not-a-secret-0123456789abcdefghijkl")

from config.settings import *  # noqa: E402, F403
from config.settings import STORAGES  # noqa: E402

DEBUG = False
SECRET_KEY = "bench-only-loopback-key-not-a-secret-0123456789abcdefghijkl"
ALLOWED_HOSTS = ["127.0.0.1"]
ROOT_URLCONF = "bench.urls"

# Plain http on loopback.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0

# The API renders no templates; don't require a collectstatic manifest.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The bureau user the bare view scopes to (the API case authenticates as the same user).
BENCH_USER_EMAIL = os.environ.get("BENCH_USER_EMAIL", "zhejiang@demo.cn")
