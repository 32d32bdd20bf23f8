"""Safe by default: no DEBUG, a secret key generated into the portal's folder and readable by its owner only,
Django's deployment checks clean behind TLS, and no session cookie offered to the network over plain HTTP."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

from tests.conftest import ROOT, ZICHA

SHOW = "from checker import portal; portal.setup(); from django.conf import settings as s; " \
       "print(s.DEBUG, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"


def _env(home, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZICHA_PORTAL_") and k != "DJANGO_SETTINGS_MODULE"}
    return {**env, "ZICHA_PORTAL_HOME": str(home), **extra}


def _py(code: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_the_secret_key_is_made_once_private_and_outside_the_repository(tmp_path):
    home = tmp_path / "home"
    p = _py(SHOW, _env(home))
    assert p.returncode == 0, p.stderr
    assert p.stdout.split() == ["False", "True", "False", "False"]  # no DEBUG; HttpOnly; plain HTTP on loopback
    key = home / "secret_key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and stat.S_IMODE(home.stat().st_mode) == 0o700
    first = key.read_text()
    assert _py(SHOW, _env(home)).returncode == 0 and key.read_text() == first  # kept, not made again
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout
    assert "secret_key" not in tracked and first.strip() not in (ROOT / "checker" / "portal" / "settings.py").read_text()


def test_a_secret_key_others_can_read_is_refused(tmp_path):
    home = tmp_path / "home"
    assert _py(SHOW, _env(home)).returncode == 0
    (home / "secret_key").chmod(0o644)
    p = subprocess.run([*ZICHA, "portal", "migrate", "--home", str(home)], cwd=ROOT, env=_env(home),
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 2 and "readable by others" in p.stderr and "chmod 600" in p.stderr


def test_behind_tls_the_deployment_checks_pass(tmp_path):
    env = _env(tmp_path / "home", ZICHA_PORTAL_HTTPS="1", ZICHA_PORTAL_ALLOWED_HOSTS="zicha.example.gov.cn",
               DJANGO_SETTINGS_MODULE="checker.portal.settings")
    p = subprocess.run([sys.executable, "-m", "django", "check", "--deploy"], cwd=ROOT, env=env, capture_output=True,
                       text=True, timeout=120)
    warnings = {line.split(")")[0].split("(")[-1] for line in (p.stdout + p.stderr).splitlines() if "(security." in line}
    # only the two that commit every subdomain of the department to HTTPS for ever: the department's call
    assert warnings <= {"security.W005", "security.W021"}, p.stdout + p.stderr
    assert _py(SHOW, env).stdout.split() == ["False", "True", "True", "True"]


def test_serve_will_not_offer_sessions_to_the_network_over_plain_http(tmp_path):
    p = subprocess.run([*ZICHA, "portal", "serve", "--bind", "0.0.0.0:8000", "--home", str(tmp_path / "home")],
                       cwd=ROOT, env=_env(tmp_path / "home"), capture_output=True, text=True, timeout=120)
    assert p.returncode == 2 and "--https-proxy" in p.stderr
    assert not (tmp_path / "home").exists()  # refused before anything was made


def test_the_models_and_the_migrations_agree(tmp_path):
    env = _env(tmp_path / "home", DJANGO_SETTINGS_MODULE="checker.portal.settings")
    p = subprocess.run([sys.executable, "-m", "django", "makemigrations", "--check", "--dry-run", "portal"], cwd=ROOT,
                       env=env, capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stdout + p.stderr
