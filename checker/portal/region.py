"""The region's questions, each answered by a few indexed queries: the matrix of units × clauses, one clause across
units, who has not submitted by the deadline, one unit over time and what changed since its last submission.

A unit's standing in a round is its *current* submission: the accepted one of the round with the latest audit time
(a bundle received late but audited earlier does not replace a newer audit). Cells:

    符合 ok          every host the clause concerns passes it (or holds a waiver)
    不符合 bad       some host fails it
    未核验 unverified no host fails but zicha could not check some (an error is never a pass), or the unit has
                     submitted in this round but nothing was accepted yet (pending, or quarantined)
    未提交 missing   nothing received from the unit in this round
    不适用 na        no host the clause concerns
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from checker import catalog
from checker.portal.models import ClauseVerdict, Round, Submission, Unit
from checker.report import model as rm

CELLS = {
    "ok": ("符合", "compliant"),
    "bad": ("不符合", "not compliant"),
    "unverified": ("未核验", "not verified"),
    "missing": ("未提交", "not submitted"),
    "na": ("不适用", "n/a"),
}
CELL_ORDER = ("ok", "bad", "unverified", "missing", "na")
SYMBOLS = {"ok": "✓", "bad": "✗", "unverified": "?", "missing": "—", "na": "·"}  # the matrix's cells, with a legend
def cell_of(n_pass: int, n_fail: int, n_error: int, n_waived: int) -> str:
    """A clause's cell from its host counts: not compliant when any host fails it; else not verified when zicha
    could not check some host (an error is never a pass); else compliant (passes, and accepted exceptions); else
    not applicable."""
    if n_fail:
        return "bad"
    if n_error:
        return "unverified"
    if n_pass or n_waived:
        return "ok"
    return "na"
STATES = {"received": ("待核验", "waiting"), "verifying": ("核验中", "verifying"), "accepted": ("已通过", "accepted"),
          "quarantined": ("已隔离", "quarantined"), "missing": ("未提交", "not submitted")}


def label(code: str, lang: str = "zh") -> str:
    pair = CELLS.get(code)
    return (pair[1] if lang == "en" else pair[0]) if pair else code


def status_label(status: str, lang: str = "zh") -> str:
    return rm.STATUS["en" if lang == "en" else "zh"].get(status, status)


def state_label(state: str, lang: str = "zh") -> str:
    pair = STATES.get(state)
    return (pair[1] if lang == "en" else pair[0]) if pair else state


# -- rounds -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    round: Round | None
    start: dt.datetime | None
    end: dt.datetime | None  # the next round's opening

    @property
    def deadline(self) -> dt.datetime | None:
        return self.round.deadline if self.round else None

    def filter(self, qs: QuerySet, prefix: str = "") -> QuerySet:
        if self.start is not None:
            qs = qs.filter(**{f"{prefix}received_at__gte": self.start})
        if self.end is not None:
            qs = qs.filter(**{f"{prefix}received_at__lt": self.end})
        return qs


def window(round_id: Any = None, now: dt.datetime | None = None) -> Window:
    """The round asked for, else the one open now (the latest opened), else the first to come; all time without
    rounds."""
    rounds = list(Round.objects.order_by("opens_at"))
    if not rounds:
        return Window(None, None, None)
    chosen = None
    if round_id not in (None, ""):
        chosen = next((r for r in rounds if str(r.pk) == str(round_id)), None)
    if chosen is None:
        now = now or timezone.now()
        opened = [r for r in rounds if r.opens_at <= now]
        chosen = opened[-1] if opened else rounds[0]
    i = rounds.index(chosen)
    return Window(chosen, chosen.opens_at, rounds[i + 1].opens_at if i + 1 < len(rounds) else None)


def previous_window(win: Window) -> Window | None:
    if win.round is None:
        return None
    before = Round.objects.filter(opens_at__lt=win.round.opens_at).order_by("-opens_at").first()
    return Window(before, before.opens_at, win.round.opens_at) if before else None


# -- the matrix ----------------------------------------------------------------------------------------------------


def columns() -> list[catalog.Clause]:
    """The automated clauses, in the catalog's order (the unit report's)."""
    return [c for c in catalog.load().values() if c.status == "automated"]


def with_current(units: QuerySet[Unit], win: Window) -> QuerySet[Unit]:
    """Units annotated with current_id (their current accepted submission) and latest_state (of anything received
    in the window)."""
    accepted = win.filter(Submission.objects.filter(unit=OuterRef("pk"), state=Submission.ACCEPTED))
    anything = win.filter(Submission.objects.filter(unit=OuterRef("pk")))
    return units.annotate(
        current_id=Subquery(accepted.order_by("-run_started_at", "-id").values("id")[:1]),
        latest_state=Subquery(anything.order_by("-received_at", "-id").values("state")[:1]),
    )


@dataclass
class MatrixRow:
    unit: Unit
    state: str  # accepted | received | verifying | quarantined | missing (of the latest in the window)
    current_id: int | None
    cells: list[tuple[str, str]]  # (clause id, cell code)
    counts: Counter = field(default_factory=Counter)


@dataclass
class Matrix:
    window: Window
    columns: list[catalog.Clause]
    rows: list[MatrixRow]
    totals: dict[str, Counter]  # clause → cell code → units

    def summary(self) -> Counter:
        c: Counter = Counter()
        for r in self.rows:
            c["units"] += 1
            c["accepted" if r.current_id else ("missing" if r.state == "missing" else "unaccepted")] += 1
        return c


def _parent_key(u: Unit) -> tuple:
    return (u.parent.name if u.parent_id else "", u.code)


def matrix(units: QuerySet[Unit], win: Window) -> Matrix:
    cols = columns()
    annotated = with_current(units.select_related("parent"), win)
    rows_units = sorted(annotated, key=_parent_key)
    verdicts: dict[int, dict[str, str]] = {}
    for sub_id, clause, cell in ClauseVerdict.objects.filter(
            submission_id__in=annotated.values("current_id")).values_list("submission_id", "clause", "cell"):
        verdicts.setdefault(sub_id, {})[clause] = cell
    ids = [c.id for c in cols]
    tally: dict[tuple[str, str], int] = Counter()
    rows = []
    for u in rows_units:
        state = u.latest_state or "missing"
        if u.current_id:
            vs = verdicts.get(u.current_id, {})
            cells = [(cid, vs.get(cid, "unverified")) for cid in ids]
        else:
            code = "missing" if state == "missing" else "unverified"
            cells = [(cid, code) for cid in ids]
        tally.update(cells)
        rows.append(MatrixRow(u, "accepted" if u.current_id else state, u.current_id, cells,
                              Counter(code for _, code in cells)))
    totals: dict[str, Counter] = {cid: Counter() for cid in ids}
    for (cid, code), n in tally.items():
        totals[cid][code] = n
    return Matrix(win, cols, rows, totals)


# -- one clause across units ---------------------------------------------------------------------------------------


@dataclass
class ClauseRow:
    unit: Unit
    cell: str
    state: str
    submission_id: int | None
    verdict: ClauseVerdict | None


def clause_across(clause: str, units: QuerySet[Unit], win: Window) -> list[ClauseRow]:
    annotated = list(with_current(units.select_related("parent"), win))
    by_sub = {v.submission_id: v for v in ClauseVerdict.objects.filter(
        clause=clause, submission_id__in=[u.current_id for u in annotated if u.current_id])}
    out = []
    for u in sorted(annotated, key=_parent_key):
        v = by_sub.get(u.current_id) if u.current_id else None
        if u.current_id:
            cell = v.cell if v else "unverified"
        else:
            cell = "missing" if not u.latest_state else "unverified"
        out.append(ClauseRow(u, cell, "accepted" if u.current_id else (u.latest_state or "missing"), u.current_id, v))
    order = {"bad": 0, "unverified": 1, "missing": 2, "ok": 3, "na": 4}
    out.sort(key=lambda r: (order[r.cell], -(r.verdict.n_fail if r.verdict else 0), r.unit.code))
    return out


# -- the deadline --------------------------------------------------------------------------------------------------


@dataclass
class Standing:
    unit: Unit
    status: str  # on_time | late | pending | quarantined | missing
    first_accepted: dt.datetime | None = None
    last_received: dt.datetime | None = None
    reason: str = ""


STANDING = {"on_time": ("按时提交并通过核验", "submitted in time and verified"),
            "late": ("逾期提交", "submitted after the deadline"),
            "pending": ("已提交，尚未核验完毕", "submitted, not verified yet"),
            "quarantined": ("已提交，核验未通过（已隔离）", "submitted, failed verification (quarantined)"),
            "missing": ("未提交", "nothing submitted")}


def deadline_standing(units: QuerySet[Unit], win: Window) -> list[Standing]:
    """Each unit's standing at the round's deadline: only a bundle received by then and accepted counts."""
    subs = win.filter(Submission.objects.filter(unit__in=units)).values_list(
        "unit_id", "state", "received_at", "reason").order_by("received_at")
    by_unit: dict[int, list[tuple]] = {}
    for unit_id, state, received, reason in subs:
        by_unit.setdefault(unit_id, []).append((state, received, reason))
    deadline = win.deadline
    out = []
    for u in units.select_related("parent").order_by("code"):
        got = by_unit.get(u.pk, [])
        accepted = [r for s, r, _ in got if s == Submission.ACCEPTED]
        if accepted and (deadline is None or accepted[0] <= deadline):
            out.append(Standing(u, "on_time", accepted[0], got[-1][1]))
        elif accepted:
            out.append(Standing(u, "late", accepted[0], got[-1][1]))
        elif any(s in (Submission.RECEIVED, Submission.VERIFYING) for s, _, _ in got):
            out.append(Standing(u, "pending", None, got[-1][1]))
        elif got:
            out.append(Standing(u, "quarantined", None, got[-1][1], got[-1][2]))
        else:
            out.append(Standing(u, "missing"))
    return out


# -- one unit over time ----------------------------------------------------------------------------------------------


@dataclass
class ClauseChange:
    clause: str
    text: str
    before: str  # cell code
    after: str
    direction: str  # better | worse | unclear | same


def clause_cells(sub_id: int) -> dict[str, str]:
    return dict(ClauseVerdict.objects.filter(submission_id=sub_id).values_list("clause", "cell"))


def direction(before: str, after: str) -> str:
    """better: now compliant (checked again); worse: now failing, or no longer verifiable where it was compliant;
    unclear: no longer failing but not verified either (fail closed: that is not put right); else same."""
    good = ("ok", "na")
    if before == after or (before in good and after in good):
        return "same"
    if after in good:
        return "better"
    if after == "bad" or before in good:
        return "worse"
    return "unclear"


def changes(before_id: int, after_id: int, lang: str = "zh") -> list[ClauseChange]:
    """Per clause, the cell in the earlier and the later submission, and which way it went."""
    b, a = clause_cells(before_id), clause_cells(after_id)
    out = []
    for c in columns():
        x, y = b.get(c.id, "unverified"), a.get(c.id, "unverified")
        out.append(ClauseChange(c.id, getattr(c, lang if lang == "en" else "zh"), x, y, direction(x, y)))
    return out


@dataclass
class HostChange:
    clause: str
    new: list[str]  # failing (or not verifiable) now, not before
    resolved: list[str]  # failing before, checked again and compliant now (整改完成)
    still_open: list[str]
    other: list[str]  # failing before, and now waived or not audited: neither put right nor open


def host_changes(before, after, lang: str = "zh") -> list[HostChange]:
    """Per clause, which hosts changed between two accepted audits (AuditReports), by each host's verdict on the
    clause as the unit report counts it (checker.report.model.clause_views)."""
    bad = ("fail", "error")
    was = {v.id: v.hosts for v in rm.clause_views(before, lang) if v.kind == "automated"}
    audited = {r.host for r in after.results if r.kind == "rule"}
    out = []
    for v in rm.clause_views(after, lang):
        if v.kind != "automated":
            continue
        b = {h for h, s in was.get(v.id, {}).items() if s in bad}
        n = {h for h, s in v.hosts.items() if s in bad}
        resolved = sorted(h for h in b - n if h in audited and v.hosts.get(h) in ("pass", "not_applicable"))
        waived = sorted(h for h in b if v.hosts.get(h) == "waived")
        gone = sorted(h for h in b if h not in audited)
        other = [f"{h}（{'已豁免' if lang == 'zh' else 'waived'}）" for h in waived] + \
                [f"{h}（{'本次未检查' if lang == 'zh' else 'not audited this time'}）" for h in gone]
        if b or n:
            out.append(HostChange(v.id, sorted(n - b), resolved, sorted(n & b), other))
    return out
