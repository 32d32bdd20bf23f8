"""The portal's API for a unit's CI (`zicha submit`): token authentication, no cookies, so no CSRF.

    POST /api/v1/submissions          multipart field `bundle`; Authorization: Bearer <token>  → 201 (or 200: sent before)
    GET  /api/v1/submissions/<id>     the submission's state, reason and verdict (the token's own unit only)
"""

from __future__ import annotations

from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from checker.portal import ingest
from checker.portal.config import PortalError
from checker.portal.models import Submission


def _unauthorised() -> JsonResponse:
    resp = JsonResponse({"error": "a valid token is needed (Authorization: Bearer …)"}, status=401)
    resp["WWW-Authenticate"] = 'Bearer realm="zicha portal"'
    return resp


def _doc(request, sub: Submission) -> dict:
    return {"id": sub.pk, "unit": sub.unit.code if sub.unit else None, "state": sub.state, "sha256": sub.sha256,
            "received_at": sub.received_at.isoformat(), "reason": sub.reason, "problems": sub.problems[:50],
            "verdict": sub.verdict, "status_url": request.build_absolute_uri(reverse("api-submission", args=[sub.pk])),
            "page": request.build_absolute_uri(reverse("submission", args=[sub.pk]))}


@csrf_exempt
@require_POST
def submit(request):
    token = ingest.token_of(request.headers.get("Authorization"))
    if token is None:
        return _unauthorised()
    upload = request.FILES.get("bundle")
    if getattr(request, "upload_too_large", False):
        return JsonResponse({"error": "the bundle is larger than the portal's limit"}, status=413)
    if upload is None:
        return JsonResponse({"error": "no file in the multipart field `bundle`"}, status=400)
    try:
        with upload.open("rb") as f:
            got = ingest.receive(f, unit=token.unit, channel=Submission.API, original_name=upload.name, token=token)
    except ingest.TooLarge as e:
        return JsonResponse({"error": str(e)}, status=413)
    except PortalError as e:
        return JsonResponse({"error": str(e)}, status=400)
    return JsonResponse({**_doc(request, got.submission), "duplicate": got.duplicate},
                        status=200 if got.duplicate else 201)


@require_GET
def status(request, pk: int):
    token = ingest.token_of(request.headers.get("Authorization"))
    if token is None:
        return _unauthorised()
    sub = Submission.objects.filter(pk=pk, unit=token.unit).select_related("unit").first()
    if sub is None:
        return JsonResponse({"error": "no such submission of this unit"}, status=404)
    return JsonResponse(_doc(request, sub))
