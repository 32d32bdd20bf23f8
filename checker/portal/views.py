"""The portal's pages. Server-rendered, no script; Chinese first (the language switch in the header).

Inspectors: the region matrix, a clause across units, the deadline, the quarantine, units and rounds, the 汇总报告.
Everyone with a role: a unit's page (an inspector any unit's, a unit account its own), its submissions with their
drill-down to host evidence, the unit report, the bundle itself, uploads and API tokens."""

from __future__ import annotations

import logging
from collections import Counter

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from checker import catalog
from checker.portal import access, charts, ingest, region, store, summary
from checker.portal.access import inspector_required, member_required
from checker.portal.config import PortalError
from checker.portal.forms import RoundForm, TokenForm, UnitAccountForm, UnitForm, UploadForm
from checker.portal.models import Account, ClauseVerdict, Event, Round, Submission, Unit

log = logging.getLogger("zicha.portal")


def _lang() -> str:
    return "en" if (get_language() or "").startswith("en") else "zh"


def _t(zh: str, en: str) -> str:
    return en if _lang() == "en" else zh


def _descendants(unit: Unit) -> set[int]:
    below, frontier = {unit.pk}, {unit.pk}
    while frontier:
        frontier = set(Unit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - below
        below |= frontier
    return below


def _region_units(request):
    """All units, or the subtree of ?parent=CODE."""
    units = Unit.objects.all()
    parent = request.GET.get("parent")
    if parent:
        top = Unit.objects.filter(code=parent).first()
        if top is None:
            raise Http404("no such unit")
        return units.filter(pk__in=_descendants(top)), top
    return units, None


def _rounds_context(win: region.Window) -> dict:
    return {"window": win, "rounds": Round.objects.all()}


@member_required
def home(request):
    acct = access.account(request.user)
    if acct.role == Account.INSPECTOR:
        return redirect("matrix")
    return redirect("unit", code=acct.unit.code)


# -- inspectors: the region ---------------------------------------------------------------------------------------


def _matrix_rows(m: region.Matrix, lang: str) -> list[str]:
    """The matrix's rows as HTML, made here rather than by the template engine: a thousand units × 32 clauses are
    32,000 cells, and the template language takes seconds over them. Unit names are escaped; everything else is
    zicha's own (codes, symbols, numbers). A cell that is not compliant links to its hosts' evidence."""
    from django.utils.html import escape

    drill = reverse("drill", args=[0, "CLAUSE"]).replace("/0/", "/{sub}/").replace("CLAUSE", "{clause}")
    plain = {code: f'<td class="c-{code}">{region.SYMBOLS[code]}</td>' for code in region.CELLS}
    linked = {code: f'<td class="c-{code}"><a href="{drill}">{region.SYMBOLS[code]}</a></td>'
              for code in ("bad", "unverified", "ok")}
    states = {s: escape(region.state_label(s, lang)) for s in region.STATES}
    round_q = f"&amp;round={m.window.round.pk}" if m.window.round else ""
    unit_url = reverse("unit", args=["CODE"]).replace("CODE", "{}")
    out = []
    for r in m.rows:
        u = r.unit
        parent = (f'<a href="?parent={escape(u.parent.code)}{round_q}">{escape(u.parent.name)}</a>'
                  if u.parent_id else "")
        head = (f'<tr><th><a href="{unit_url.format(u.code)}">{escape(u.name)}</a></th><td>{parent}</td>'
                f'<td class="s-{r.state}">{states.get(r.state, escape(r.state))}</td>')
        if r.current_id:
            cells = "".join(linked[code].format(sub=r.current_id, clause=cid) if code in ("bad", "unverified")
                            else plain[code] for cid, code in r.cells)
        else:
            cells = "".join(plain[code] for _, code in r.cells)
        out.append(mark_safe(head + cells + "</tr>"))
    return out


@inspector_required
def matrix_view(request):
    win = region.window(request.GET.get("round"))
    units, top = _region_units(request)
    m = region.matrix(units, win)
    lang = _lang()
    labels = {k: region.label(k, lang) for k in region.CELLS}
    chart = charts.cells_by_clause(_t("各条款单位情况（个）", "Units per clause"), [c.id for c in m.columns],
                                   m.totals, lang)
    texts = {c.id: (c.en if lang == "en" else c.zh) for c in m.columns}
    legend = [(k, region.SYMBOLS[k], labels[k]) for k in region.CELL_ORDER]
    return render(request, "portal/matrix.html", {
        "m": m, "rows": _matrix_rows(m, lang), "chart": chart, "top": top, "summary": m.summary(), "legend": legend,
        "columns": [(c.id, texts[c.id]) for c in m.columns], **_rounds_context(win)})


@inspector_required
def clause_view(request, clause: str):
    c = catalog.load().get(clause)
    if c is None or c.status != "automated":
        raise Http404("no such clause")
    win = region.window(request.GET.get("round"))
    units, top = _region_units(request)
    rows = region.clause_across(clause, units, win)
    counts = Counter(r.cell for r in rows)
    lang = _lang()
    unit_url = reverse("unit", args=["CODE"]).replace("CODE", "{}")
    drill_url = reverse("drill", args=[0, clause]).replace("/0/", "/{}/")
    labels = {k: region.label(k, lang) for k in region.CELLS}
    table = [(r, unit_url.format(r.unit.code), drill_url.format(r.submission_id) if r.verdict else "",
              labels[r.cell], region.state_label(r.state, lang) if r.state not in ("accepted", "missing") else "")
             for r in rows]
    text = c.en if lang == "en" else c.zh
    chart = charts.share(_t("各单位情况", "Units"), counts, lang)
    return render(request, "portal/clause.html", {
        "clause": c, "text": text, "rows": table, "counts": [(k, region.label(k, lang), counts[k])
                                                            for k in region.CELL_ORDER],
        "chart": chart, "top": top, "evidence_label": _t("主机证据", "host evidence"), **_rounds_context(win)})


@inspector_required
def clauses_view(request):
    win = region.window(request.GET.get("round"))
    m = region.matrix(Unit.objects.all(), win)
    lang = _lang()
    rows = [(c.id, c.en if lang == "en" else c.zh, c.section, [(k, m.totals[c.id][k]) for k in region.CELL_ORDER])
            for c in m.columns]
    return render(request, "portal/clauses.html", {
        "rows": rows, "labels": [region.label(k, lang) for k in region.CELL_ORDER], **_rounds_context(win)})


@inspector_required
def deadline_view(request):
    win = region.window(request.GET.get("round"))
    units, top = _region_units(request)
    standing = region.deadline_standing(units, win)
    lang = _lang()
    labels = {k: v[1 if lang == "en" else 0] for k, v in region.STANDING.items()}
    late = [(s, labels[s.status]) for s in standing if s.status != "on_time"]
    counts = Counter(s.status for s in standing)
    now = timezone.now()
    return render(request, "portal/deadline.html", {
        "late": late, "counts": [(labels[k], counts[k]) for k in region.STANDING], "top": top,
        "passed": win.deadline is not None and win.deadline <= now, **_rounds_context(win)})


@inspector_required
def quarantine_view(request):
    subs = Submission.objects.filter(state=Submission.QUARANTINED).select_related("unit").order_by("-received_at")
    return render(request, "portal/quarantine.html", {"subs": subs[:500], "total": subs.count()})


@inspector_required
def units_view(request):
    win = region.window(request.GET.get("round"))
    units = region.with_current(Unit.objects.select_related("parent").annotate(n_subs=Count("submissions")), win)
    return render(request, "portal/units.html", {"units": units.order_by("code"), **_rounds_context(win)})


@inspector_required
@require_http_methods(["GET", "POST"])
def unit_new(request):
    form = UnitForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        unit = form.save()
        Event.objects.create(user=request.user, unit=unit, action="unit-registered",
                             detail=f"{unit.code} {unit.name}, {unit.algorithm} key {unit.key_fingerprint}")
        messages.success(request, _t(f"已登记单位 {unit.name}", f"Unit {unit.name} registered"))
        return redirect("unit", code=unit.code)
    return render(request, "portal/unit_form.html", {"form": form, "new": True})


@inspector_required
@require_http_methods(["GET", "POST"])
def unit_edit(request, code: str):
    unit = access.unit_or_404(request.user, code)
    old_fp = unit.key_fingerprint
    form = UnitForm(request.POST or None, request.FILES or None, instance=unit)
    if request.method == "POST" and form.is_valid():
        unit = form.save()
        detail = f"{unit.name}; parent {unit.parent.code if unit.parent else '-'}"
        if unit.key_fingerprint != old_fp:
            detail += f"; key {old_fp} → {unit.key_fingerprint}"
        Event.objects.create(user=request.user, unit=unit, action="unit-changed", detail=detail)
        messages.success(request, _t("已保存", "Saved"))
        return redirect("unit", code=unit.code)
    return render(request, "portal/unit_form.html", {"form": form, "unit": unit, "new": False})


@inspector_required
@require_http_methods(["GET", "POST"])
def account_new(request, code: str):
    unit = access.unit_or_404(request.user, code)
    form = UnitAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            Account.objects.create(user=user, role=Account.UNIT, unit=unit)
            Event.objects.create(user=request.user, unit=unit, action="account-created", detail=user.username)
        messages.success(request, _t(f"已为 {unit.name} 建立账号 {user.username}",
                                     f"Account {user.username} made for {unit.name}"))
        return redirect("unit", code=unit.code)
    return render(request, "portal/account_form.html", {"form": form, "unit": unit})


@inspector_required
@require_http_methods(["GET", "POST"])
def rounds_view(request):
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        r = form.save()
        Event.objects.create(user=request.user, action="round-created", detail=f"{r.name}: {r.opens_at} – {r.deadline}")
        messages.success(request, _t(f"已建立检查轮次 {r.name}", f"Round {r.name} made"))
        return redirect("rounds")
    return render(request, "portal/rounds.html", {"form": form, "rounds": Round.objects.all()})


@inspector_required
def summary_view(request, fmt: str):
    win = region.window(request.GET.get("round"))
    units, _ = _region_units(request)
    s = summary.build(units, win, _lang())
    Event.objects.create(user=request.user, action="summary-exported", detail=f"{fmt}: {s.title}")
    if fmt == "docx":
        resp = HttpResponse(summary.docx(s), content_type="application/vnd.openxmlformats-officedocument."
                            "wordprocessingml.document")
        resp["Content-Disposition"] = "attachment; filename=summary-report.docx"
        return resp
    return HttpResponse(summary.html(s), content_type="text/html; charset=utf-8")


# -- a unit and its submissions -----------------------------------------------------------------------------------


@member_required
def unit_view(request, code: str):
    unit = access.unit_or_404(request.user, code)
    lang = _lang()
    subs = list(unit.submissions.order_by("-received_at", "-id"))
    accepted = sorted((s for s in subs if s.state == Submission.ACCEPTED),
                      key=lambda s: (s.run_started_at or s.received_at, s.pk))
    cells: dict[int, Counter] = {s.pk: Counter() for s in accepted}
    for sub_id, cell in ClauseVerdict.objects.filter(submission__in=accepted).values_list("submission_id", "cell"):
        cells[sub_id][cell] += 1
    points = [(timezone.localtime(s.run_started_at or s.received_at).strftime("%Y-%m-%d %H:%M"), cells[s.pk])
              for s in accepted]
    chart = charts.unit_over_time(_t("历次自查各条款情况（个）", "Clauses in each self-inspection"), points, lang) \
        if accepted else ""
    changes, trend, last, prev = [], None, None, None
    if accepted:
        last = accepted[-1]
    if len(accepted) >= 2:
        prev = accepted[-2]
        changes = [c for c in region.changes(prev.pk, last.pk, lang) if c.direction != "same"]
        trend = region.host_changes(store.report_of(prev), store.report_of(last), lang)
    acct = access.account(request.user)
    return render(request, "portal/unit.html", {
        "unit": unit, "subs": subs, "chart": chart, "last": last, "prev": prev, "changes": changes, "trend": trend,
        "tokens": unit.tokens.filter(revoked_at__isnull=True).order_by("-created_at"),
        "accounts": unit.accounts.select_related("user") if acct.role == Account.INSPECTOR else [],
        "events": unit.events.select_related("user")[:30],
        "last_cells": [(k, region.label(k, lang), cells[last.pk][k]) for k in ("ok", "bad", "unverified", "na")]
        if last else []})


@member_required
def submission_view(request, pk: int):
    sub = access.submission_or_404(request.user, pk)
    lang = _lang()
    rows = []
    if sub.state == Submission.ACCEPTED:
        texts = {c.id: (c.en if lang == "en" else c.zh) for c in region.columns()}
        order = {c.id: i for i, c in enumerate(region.columns())}
        for v in sorted(sub.clause_verdicts.all(), key=lambda v: order.get(v.clause, 999)):
            code = v.cell
            rows.append((v, code, region.label(code, lang), texts.get(v.clause, v.clause)))
    details = sub.details or {}
    return render(request, "portal/submission.html", {
        "sub": sub, "rows": rows, "notes": details.get("notes") or [],
        "policy_diff": "\n".join(details.get("policy_diff") or [])})


@member_required
def submission_bundle(request, pk: int):
    sub = access.submission_or_404(request.user, pk)
    try:
        f = sub.path.open("rb")
    except OSError:
        raise Http404("the bundle file is missing") from None
    name = f"zicha-{sub.unit.code if sub.unit else 'unattributed'}-{sub.pk}.tar.gz"
    Event.objects.create(user=request.user, unit=sub.unit, submission=sub, action="bundle-downloaded")
    return FileResponse(f, as_attachment=True, filename=name, content_type="application/gzip")


def _previous_accepted(sub: Submission) -> Submission | None:
    if sub.run_started_at is None:
        return None
    return Submission.objects.filter(unit=sub.unit, state=Submission.ACCEPTED, run_started_at__lt=sub.run_started_at) \
        .order_by("-run_started_at", "-id").first()


@member_required
def submission_report(request, pk: int, fmt: str):
    """The unit's own 自查报告 (checker.report), rendered from the stored results, with the trend since its previous
    accepted submission."""
    from checker import report

    sub = access.submission_or_404(request.user, pk)
    if sub.state != Submission.ACCEPTED:
        raise Http404("only an accepted submission has a report")
    prev = _previous_accepted(sub)
    renderer = report.formats()[fmt]
    data = renderer.render(store.report_of(sub), _lang(), previous=store.report_of(prev) if prev else None,
                           attachments=sub.attachments or {})
    if fmt == "docx":
        resp = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        resp["Content-Disposition"] = f"attachment; filename=report-{sub.unit.code}-{sub.pk}.docx"
        return resp
    return HttpResponse(data, content_type="text/html; charset=utf-8")


_STATUS_ORDER = {"fail": 0, "error": 1, "waived": 2, "pass": 3, "not_applicable": 4}


@member_required
def drill_view(request, pk: int, clause: str):
    """The hosts behind one clause's verdict in one submission, each with its rule's message and evidence."""
    import json

    sub = access.submission_or_404(request.user, pk)
    if sub.state != Submission.ACCEPTED:
        raise Http404("only an accepted submission has verdicts")
    verdict = sub.clause_verdicts.filter(clause=clause).first()
    rule_ids = [r for r, meta in (sub.rules or {}).items() if clause in (meta.get("clauses") or [])]
    if verdict is None and not rule_ids:
        raise Http404("no such clause in this submission")
    def on_clause(r):  # a result counts against a clause by its verdict on that clause, where it has one
        cv = (r.extra or {}).get("clause_verdicts", {}).get(clause)
        cv = cv if isinstance(cv, dict) else {}
        return cv.get("status") or r.status, cv.get("message") or r.message

    results = sorted(((r, *on_clause(r)) for r in sub.results.filter(rule__in=rule_ids)),
                     key=lambda x: (_STATUS_ORDER.get(x[1], 1), x[0].host, x[0].rule))
    hosts = {h.get("name"): h for h in sub.hosts or []}
    lang = _lang()
    rows = [{"r": r, "status": status, "message": message, "host": hosts.get(r.host, {}),
             "observed": json.dumps((r.evidence or {}).get("observed", {}), ensure_ascii=False, indent=1),
             "sources": (r.evidence or {}).get("sources", []), "gather": (r.evidence or {}).get("gather") or {},
             "collected_at": (r.evidence or {}).get("collected_at")} for r, status, message in results]
    c = catalog.load().get(clause)
    code = verdict.cell if verdict else "unverified"
    return render(request, "portal/drill.html", {
        "sub": sub, "clause": clause, "text": (c.en if lang == "en" else c.zh) if c else clause, "verdict": verdict,
        "code": code, "rows": rows, "rules": {r: sub.rules[r] for r in rule_ids}})


# -- ingest through the page, tokens --------------------------------------------------------------------------------


@member_required
@require_http_methods(["GET", "POST"])
def upload_view(request):
    acct = access.account(request.user)
    inspector = acct.role == Account.INSPECTOR
    form = UploadForm(request.POST or None, request.FILES or None, inspector=inspector)
    error = ""
    if request.method == "POST":
        if getattr(request, "upload_too_large", False):
            form = UploadForm(inspector=inspector)
            error = _t(f"文件超过大小限制（{settings.LIMITS.max_upload >> 20} MiB），未予接收",
                       f"the file is larger than the limit ({settings.LIMITS.max_upload >> 20} MiB): not received")
        elif form.is_valid():
            unit = form.cleaned_data["unit"] if inspector else acct.unit
            upload = form.cleaned_data["bundle"]
            try:
                with upload.open("rb") as f:
                    got = ingest.receive(f, unit=unit, channel=Submission.UPLOAD, original_name=upload.name,
                                         user=request.user)
            except PortalError as e:
                form.add_error("bundle", str(e))
            else:
                if got.duplicate:
                    messages.info(request, _t("该证据包此前已提交过", "This bundle was submitted before"))
                else:
                    messages.success(request, _t("已收到证据包，正在排队核验", "Received; waiting to be verified"))
                return redirect("submission", pk=got.submission.pk)
    return render(request, "portal/upload.html", {"form": form, "error": error,
                                                  "limit_mb": settings.LIMITS.max_upload >> 20})


@member_required
@require_http_methods(["GET", "POST"])
def tokens_view(request, code: str):
    unit = access.unit_or_404(request.user, code)
    form = TokenForm(request.POST or None)
    shown = None
    if request.method == "POST":
        revoke = request.POST.get("revoke")
        if revoke:
            n = unit.tokens.filter(pk=revoke, revoked_at__isnull=True).update(revoked_at=timezone.now())
            if n:
                Event.objects.create(user=request.user, unit=unit, action="token-revoked", detail=str(revoke))
                messages.success(request, _t("已吊销", "Revoked"))
            return redirect("tokens", code=unit.code)
        if form.is_valid():
            _, shown = ingest.new_token(unit, form.cleaned_data["name"], request.user)
            form = TokenForm()
    return render(request, "portal/tokens.html", {
        "unit": unit, "form": form, "shown": shown,
        "tokens": unit.tokens.order_by("-created_at"), "portal_url": request.build_absolute_uri("/")})


def csrf_failure(request, reason=""):
    return render(request, "portal/error.html", {"code": 403, "message": _t(
        "表单已过期或来源不明（CSRF 校验未通过），请返回刷新后重试。",
        "The form expired or did not come from this site (CSRF check failed): go back, reload and try again.")},
        status=403)
