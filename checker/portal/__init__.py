"""zicha portal: the upper-level department's side. Units' signed evidence bundles come in (page upload, `zicha
submit` from a unit's CI, a watched folder), a worker verifies each one in a process of its own with time and
memory limits (`checker.evidence.verify`: hashes, the unit's registered key, the bundle decided again), and the
accepted ones are kept as indexed verdicts: the region by unit and clause, a unit over time, a clause across
units, who has not submitted by the deadline, and the region's 汇总报告. A bundle that fails is kept,
quarantined, and shown with the reason.

A Django project and app in one package: settings.py, urls.py, wsgi.py, models.py (and migrations/), views.py,
templates/ and static/. Authentication, sessions, CSRF protection and migrations are Django's own.

    setup()          configure Django from the environment (ZICHA_PORTAL_*) and django.setup(); the CLI calls it
"""

from __future__ import annotations

import os

SETTINGS = "checker.portal.settings"


def setup() -> None:
    """Django, configured by checker.portal.settings (which reads ZICHA_PORTAL_* from the environment)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    django.setup()
