"""Django settings of the portal. Nothing secret lives here: the key is generated into the portal's folder (0600),
the database comes from ZICHA_PORTAL_DATABASE (checker/portal/config.py says what each variable does).

Safe by default: DEBUG is off unless ZICHA_PORTAL_DEBUG=1 (development only); sessions are HttpOnly, SameSite=Lax,
end with the browser and after eight hours; behind a TLS reverse proxy (ZICHA_PORTAL_HTTPS=1) cookies are Secure,
HTTP is redirected and HSTS is sent. Uploads spool to disk through a handler that stops at the size limit.
"""

from __future__ import annotations

import os

from checker.portal import config

HOME = config.ensure_home(config.home())
SECRET_KEY = config.secret_key(HOME)
DEBUG = os.environ.get("ZICHA_PORTAL_DEBUG") == "1"
HTTPS = os.environ.get("ZICHA_PORTAL_HTTPS") == "1"
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ZICHA_PORTAL_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
                 .split(",") if h.strip()]
LIMITS = config.limits()

DATABASES = {"default": config.database(os.environ.get("ZICHA_PORTAL_DATABASE"), HOME)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "checker.portal",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "checker.portal.middleware.Language",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "checker.portal.middleware.ContentSecurityPolicy",
]
ROOT_URLCONF = "checker.portal.urls"
WSGI_APPLICATION = "checker.portal.wsgi.application"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.template.context_processors.i18n",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
        "checker.portal.access.context",
    ]},
}]

# Chinese first, English available (the language switch in the page header; Django's own strings translated)
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "中文"), ("en", "English")]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Shanghai"

STATIC_URL = "/static/"
STATIC_ROOT = HOME / "static"
WHITENOISE_USE_FINDERS = True  # served from the app's static/ without a collectstatic step
WHITENOISE_AUTOREFRESH = DEBUG

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

SESSION_COOKIE_NAME = "zicha_portal_session"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "checker.portal.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS if not h.startswith("[")]

# Uploads: never held in memory, spooled into the portal's own tmp/, cut off at the size limit
FILE_UPLOAD_HANDLERS = ["checker.portal.ingest.LimitedUploadHandler"]
FILE_UPLOAD_MAX_MEMORY_SIZE = 0
FILE_UPLOAD_TEMP_DIR = str(HOME / "tmp")
FILE_UPLOAD_PERMISSIONS = 0o600
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 2**20

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {"zicha.portal": {"handlers": ["console"], "level": "INFO"},
                "django": {"handlers": ["console"], "level": "WARNING"}},
}
