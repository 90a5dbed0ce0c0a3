"""Deployment settings come from the environment: secure cookies and HTTPS when asked, never debug
by default. Checked in a fresh interpreter, since settings are read once at start-up."""

import json
import os
import subprocess
import sys


def _settings(tmp_path, **environment):
    code = (
        "import json, kotacerdas.settings as s; print(json.dumps({k: getattr(s, k, None) for k in "
        "['DEBUG', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_SSL_REDIRECT', "
        "'SECURE_HSTS_SECONDS', 'SESSION_COOKIE_HTTPONLY', 'SESSION_COOKIE_AGE', 'LANGUAGE_CODE', "
        "'CSRF_COOKIE_HTTPONLY', 'SESSION_COOKIE_SAMESITE', 'CSRF_COOKIE_SAMESITE', 'X_FRAME_OPTIONS']}))"
    )
    env = {key: value for key, value in os.environ.items() if key != "KOTACERDAS_DEBUG"}
    env.update(KOTACERDAS_VAR_DIR=str(tmp_path), **environment)
    output = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return json.loads(output.stdout)


def test_debug_is_off_and_sessions_expire_unless_told_otherwise(tmp_path):
    values = _settings(tmp_path)
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SESSION_COOKIE_AGE"] == 8 * 60 * 60
    assert values["LANGUAGE_CODE"] == "id"


def test_behind_https_cookies_are_secure_and_hsts_is_on(tmp_path):
    values = _settings(tmp_path, KOTACERDAS_HTTPS="1", KOTACERDAS_SECRET_KEY="x" * 60)
    assert values["SESSION_COOKIE_SECURE"] is True and values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000


def test_cookies_are_http_only_and_same_site_and_frames_denied(tmp_path):
    values = _settings(tmp_path)
    assert values["SESSION_COOKIE_HTTPONLY"] is True and values["CSRF_COOKIE_HTTPONLY"] is True
    assert values["SESSION_COOKIE_SAMESITE"] == values["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert values["X_FRAME_OPTIONS"] == "DENY"


def test_the_deployment_check_passes_behind_https(tmp_path):
    env = {
        **os.environ,
        "KOTACERDAS_VAR_DIR": str(tmp_path),
        "KOTACERDAS_HTTPS": "1",
        "KOTACERDAS_SECRET_KEY": "a-long-random-secret-key-for-the-deploy-check-0123456789abcdefghij",
        "KOTACERDAS_ALLOWED_HOSTS": "kotacerdas.example.org",
    }
    # The browser tests allow the ORM in Playwright's event loop for their own process; a
    # deployment never does, and the check says so.
    for name in ("KOTACERDAS_DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-m", "kotacerdas.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
