"""The WSGI application (gunicorn `checker.portal.wsgi:application`, with ZICHA_PORTAL_* in the environment)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "checker.portal.settings")

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
