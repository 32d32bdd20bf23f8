"""Who sees what. An inspector sees the region; a unit account sees its own unit and nothing else. Every view
reaches units and submissions only through visible_units / visible_submissions, so another unit's data is a 404,
whether a page, a drill-down or a download."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import get_language

from checker.portal.models import Account, Submission, Unit


def account(user) -> Account | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.portal
    except Account.DoesNotExist:
        return None


def is_inspector(user) -> bool:
    acct = account(user)
    return acct is not None and acct.role == Account.INSPECTOR


def visible_units(user) -> QuerySet[Unit]:
    acct = account(user)
    if acct is None:
        return Unit.objects.none()
    if acct.role == Account.INSPECTOR:
        return Unit.objects.all()
    return Unit.objects.filter(pk=acct.unit_id)


def visible_submissions(user) -> QuerySet[Submission]:
    acct = account(user)
    if acct is None:
        return Submission.objects.none()
    if acct.role == Account.INSPECTOR:
        return Submission.objects.all()
    return Submission.objects.filter(unit_id=acct.unit_id)


def unit_or_404(user, code: str) -> Unit:
    unit = visible_units(user).filter(code=code).first()
    if unit is None:
        raise Http404("no such unit")
    return unit


def submission_or_404(user, pk: int) -> Submission:
    sub = visible_submissions(user).select_related("unit").filter(pk=pk).first()
    if sub is None:
        raise Http404("no such submission")
    return sub


def member_required(view):
    """Signed in and holding a portal role (a Django user without one sees nothing)."""
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if account(request.user) is None:
            raise PermissionDenied("no portal role")
        return view(request, *args, **kwargs)
    return wrapped


def inspector_required(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_inspector(request.user):
            raise PermissionDenied("inspectors only")
        return view(request, *args, **kwargs)
    return wrapped


def context(request) -> dict:
    acct = account(request.user)
    return {"portal_account": acct, "is_inspector": acct is not None and acct.role == Account.INSPECTOR,
            "lang_en": (get_language() or "").startswith("en")}
