"""Production settings fail loudly, never fall back to development, and pass Django's deployment checks."""

import subprocess
import sys

import pytest

from tests.serving import ROOT, clean_environment

PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "SECRET_KEY": "x" * 20 + "-production-key-with-enough-entropy-1234567890",
    "ALLOWED_HOSTS": "eval.example.cn",
    "DATABASE_URL": "postgres://user:pass@db.invalid:5432/evalsite",
    "MEDIA_ROOT": "/srv/evalsite/media",
    "EMAIL_HOST": "smtp.example.cn",
    "DEFAULT_FROM_EMAIL": "noreply@example.cn",
    "SIGNING_KEY_PASSPHRASE": "a-long-passphrase-for-the-firms-signing-keys",
}


def manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean_environment(**env), capture_output=True, text=True,
        timeout=120,
    )


def setting(expression: str, **env) -> str:
    """The value of a settings expression as production would compute it (the database is not contacted)."""
    code = ("import django; django.setup(); from django.conf import settings; "
            f"from django.core.files.storage import storages; print({expression})")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env=clean_environment(DJANGO_SETTINGS_MODULE="evalsite.settings", **env))
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_production_refuses_to_start_without_secret_key():
    result = manage("check", DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(
    "name", ["ALLOWED_HOSTS", "DATABASE_URL", "MEDIA_ROOT", "EMAIL_HOST", "DEFAULT_FROM_EMAIL", "SIGNING_KEY_PASSPHRASE"]
)
def test_production_refuses_to_start_without_each_required_setting(name):
    environment = {key: value for key, value in PRODUCTION.items() if key != name}
    result = manage("check", **environment)
    assert result.returncode != 0
    assert f"{name} must be set when DJANGO_DEBUG=0" in result.stderr


def test_a_malformed_boolean_is_refused():
    result = manage("check", DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be a boolean" in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_keeps_files_in_an_s3_compatible_store_when_told():
    environment = {key: value for key, value in PRODUCTION.items() if key != "MEDIA_ROOT"}
    s3 = {"STORAGE_BACKEND": "s3", "AWS_S3_ENDPOINT_URL": "https://minio.example.cn", "AWS_ACCESS_KEY_ID": "key",
          "AWS_SECRET_ACCESS_KEY": "secret"}
    refused = manage("check", **environment, **s3)
    assert "AWS_STORAGE_BUCKET_NAME must be set when DJANGO_DEBUG=0" in refused.stderr
    expression = ("type(storages['default']).__name__, storages['default'].bucket_name, "
                  "storages['default'].endpoint_url")
    printed = setting(expression, **environment, **s3, AWS_STORAGE_BUCKET_NAME="evalsite-files")
    assert printed == "S3Storage evalsite-files https://minio.example.cn"
    assert manage("check", "--deploy", "--fail-level", "WARNING", **environment, **s3,
                  AWS_STORAGE_BUCKET_NAME="evalsite-files").returncode == 0


def test_an_unknown_storage_backend_is_refused():
    result = manage("check", STORAGE_BACKEND="ftp")
    assert result.returncode != 0
    assert "STORAGE_BACKEND must be one of local, s3" in result.stderr


def test_production_sessions_and_cookies():
    printed = setting("settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, settings.SESSION_COOKIE_NAME, "
                      "settings.SESSION_COOKIE_AGE, settings.SESSION_EXPIRE_AT_BROWSER_CLOSE, settings.EMAIL_BACKEND",
                      **PRODUCTION)
    assert printed == "True True __Host-sessionid 32400 True django.core.mail.backends.smtp.EmailBackend"


def test_sqlite_waits_for_the_writer_instead_of_failing(tmp_path):
    database = tmp_path / "db.sqlite3"
    printed = setting(
        "settings.DATABASES['default']['OPTIONS']['transaction_mode'], settings.DATABASES['default']['OPTIONS']['timeout'], "
        "__import__('django.db').db.connection.cursor().execute('PRAGMA journal_mode').fetchone()[0]",
        DATABASE_URL=f"sqlite:///{database}",
    )
    assert printed == "IMMEDIATE 20 wal"


def test_language_and_time_zone(settings):
    assert (settings.LANGUAGE_CODE, settings.TIME_ZONE) == ("zh-hans", "Asia/Shanghai")
