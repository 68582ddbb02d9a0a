"""The three ways the settings are used: development, `make run`, production. Each one is
read by a fresh interpreter, as a server would read it."""

import json
import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SHOWN = ["DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
         "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"]  # fmt: skip
READ = (
    "import json, django; from django.conf import settings; django.setup(); "
    f"print(json.dumps({{k: getattr(settings, k) for k in {SHOWN!r}}}))"
)
CLEARED = {"DEBUG", "HTTPS", "SECRET_KEY", "SECRET_KEY_FILE", "ALLOWED_HOSTS",
           "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE",
           "CSRF_COOKIE_SECURE"}  # fmt: skip


def settings_with(**env):
    clean = {k: v for k, v in os.environ.items() if k not in CLEARED}
    clean["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return subprocess.run(
        [sys.executable, "-c", READ],
        cwd=BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_make_run_is_debug_off_with_the_generated_secret_over_plain_http(tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text("generated-once-" + "x" * 50 + "\n")
    result = settings_with(
        DEBUG="0", HTTPS="0", SECRET_KEY_FILE=str(secret), ALLOWED_HOSTS="127.0.0.1,localhost"
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "DEBUG": False,
        "SECRET_KEY": "generated-once-" + "x" * 50,
        "ALLOWED_HOSTS": ["127.0.0.1", "localhost"],
        "SECURE_SSL_REDIRECT": False,
        "SECURE_HSTS_SECONDS": 0,
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
    }


def test_production_keeps_https_only_cookies_hsts_and_the_redirect():
    result = settings_with(DEBUG="0", SECRET_KEY="k" * 60, ALLOWED_HOSTS="portal.example.gov.cn")
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["DEBUG"] is False and shown["ALLOWED_HOSTS"] == ["portal.example.gov.cn"]
    assert shown["SECURE_SSL_REDIRECT"] is True and shown["SECURE_HSTS_SECONDS"] == 31536000
    assert shown["SESSION_COOKIE_SECURE"] is True and shown["CSRF_COOKIE_SECURE"] is True


def test_debug_off_without_a_secret_refuses_to_start(tmp_path):
    result = settings_with(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY or SECRET_KEY_FILE must be set when DEBUG is off" in result.stderr
    result = settings_with(DEBUG="0", SECRET_KEY_FILE=str(tmp_path / "missing"))
    assert result.returncode != 0
    assert "cannot be read" in result.stderr


def test_development_default_is_debug_on_with_local_hosts():
    result = settings_with()
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["DEBUG"] is True
    assert shown["ALLOWED_HOSTS"] == ["127.0.0.1", "localhost", "[::1]"]
    assert shown["SESSION_COOKIE_SECURE"] is False and shown["SECURE_SSL_REDIRECT"] is False
