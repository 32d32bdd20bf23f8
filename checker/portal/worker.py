"""The verification worker: `zicha portal worker` (and the one `zicha portal serve` starts).

The database is the queue. A worker claims the oldest `received` submission (or one whose previous worker's lease
ran out) in a transaction (SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite's IMMEDIATE transactions
serialise the claim), verifies it in a child process under limits, and stores the outcome. Several workers, on
one machine or several, share the queue without a broker, and a worker that dies leaves nothing half-done: its
lease runs out and another takes the bundle again (three tries at most, then it is quarantined as such).

Why not a task queue (django-q2, Celery): the state of a submission already is the queue, visible on the page;
a broker would be a second copy of it, and their task timeouts kill the worker, not the verifier and its OPA.
Here the verifier runs as `python -m checker.portal.verifyjob` in a session of its own with RLIMIT_AS (memory, for
it and its OPA), RLIMIT_CPU, RLIMIT_FSIZE and no core dumps, and at the wall-clock limit the whole session is
killed.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.utils import timezone

from checker import ROOT
from checker.models import AuditReport
from checker.portal import store
from checker.portal.config import Limits
from checker.portal.models import Event, Submission, Unit

log = logging.getLogger("zicha.portal")
MAX_ATTEMPTS = 3


@dataclass
class Outcome:
    accepted: bool
    reason: str = ""
    problems: list[str] = field(default_factory=list)
    doc: dict[str, Any] = field(default_factory=dict)


def _preexec(limits: Limits):
    def apply() -> None:  # in the child, before exec
        resource.setrlimit(resource.RLIMIT_AS, (limits.verify_memory, limits.verify_memory))
        resource.setrlimit(resource.RLIMIT_CPU, (limits.verify_seconds, limits.verify_seconds + 5))
        resource.setrlimit(resource.RLIMIT_FSIZE, (limits.verify_output, limits.verify_output))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return apply


def _job_env(tmp: Path) -> dict[str, str]:
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": str(tmp), "TMPDIR": str(tmp),
           "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(ROOT)}
    if os.environ.get("ZICHA_OPA_BIN"):
        env["ZICHA_OPA_BIN"] = os.environ["ZICHA_OPA_BIN"]
    return env


def verify_bundle(bundle: Path, public_key_pem: str, limits: Limits, name: str = "bundle.tar.gz"
                  ) -> tuple[dict[str, Any] | None, str]:
    """Run the verifier on one bundle under the limits: (its document, "") or (None, why it has none). The
    verifier sees the bundle as `name` (a name zicha makes: it appears in the verdict)."""
    tmp = Path(tempfile.mkdtemp(prefix="verify-", dir=Path(settings.HOME) / "tmp"))
    try:
        seen_as = tmp / name
        try:
            os.link(bundle, seen_as)
        except OSError:
            shutil.copyfile(bundle, seen_as)
        bundle = seen_as
        key = tmp / "unit.pub"
        key.write_text(public_key_pem, encoding="ascii")
        out, err = tmp / "outcome.json", tmp / "stderr.txt"
        with err.open("wb") as errf:
            proc = subprocess.Popen(
                [sys.executable, "-m", "checker.portal.verifyjob", str(bundle), str(key), str(out)],
                cwd=tmp, env=_job_env(tmp), stdin=subprocess.DEVNULL, stdout=errf, stderr=errf,
                start_new_session=True, preexec_fn=_preexec(limits))
            try:
                rc = proc.wait(timeout=limits.verify_seconds)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                return None, (f"核验超时：超过 {limits.verify_seconds} 秒仍未完成 "
                              f"verification did not finish within {limits.verify_seconds} s")
            except BaseException:  # the worker itself is being stopped: take the verifier (and its OPA) along
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                raise
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # anything the verifier left running
        except ProcessLookupError:
            pass
        tail = err.read_bytes()[-600:].decode("utf-8", "replace").strip()
        if rc == 3:
            return None, (f"核验超出内存限制（{limits.verify_memory // 2**20} MiB） "
                          f"verification ran out of memory ({limits.verify_memory // 2**20} MiB)")
        if rc == -signal.SIGXCPU:
            return None, "核验超出 CPU 时间限制 verification exceeded its CPU time limit"
        if rc == -signal.SIGXFSZ:
            return None, "核验输出超出文件大小限制 verification output exceeded its size limit"
        if rc != 0 or not out.is_file():
            return None, f"核验进程异常退出（{rc}） the verifier failed (exit {rc}): {tail[-300:]}"
        try:
            return json.loads(out.read_bytes()), ""
        except ValueError as e:
            return None, f"核验结果无法读取 the verifier's outcome is unreadable: {e}"
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _who_signed(fingerprint: str | None, unit: Unit) -> str:
    if not fingerprint or fingerprint == unit.key_fingerprint:
        return ""
    other = Unit.objects.filter(key_fingerprint=fingerprint).exclude(pk=unit.pk).first()
    if other:
        return f"（包内声明的签名密钥登记于单位 {other.name}/{other.code} the manifest names the key of {other.code}）"
    return f"（包内声明的签名密钥指纹 {fingerprint[:16]}… 未登记 the manifest names an unregistered key）"


def judge(doc: dict[str, Any], unit: Unit) -> Outcome:
    """Accepted only when verify passed: valid signature by the unit's registered key, files as listed, the same
    verdicts decided again. Otherwise every reason, Chinese first."""
    problems = [*doc.get("file_problems", []), *doc.get("result_problems", []),
                *(f"{name}: differs from the portal's policies" for name in doc.get("policy_changes", []))]
    if doc.get("error"):
        return Outcome(False, f"证据包无法核验 the bundle cannot be verified: {doc['error']}",
                       [str(doc["error"]), *problems], doc)
    reasons = []
    sig = doc.get("signature")
    if sig == "unsigned":
        reasons.append("证据包未签名 the bundle is not signed")
    elif sig != "valid":
        reasons.append("签名与本单位登记的公钥不符 the signature does not verify with the unit's registered key"
                       + _who_signed(doc.get("declared_fingerprint"), unit))
    if doc.get("file_problems"):
        fp = doc["file_problems"]
        reasons.append(f"证据包内容与其清单不符（{len(fp)} 处，如 {fp[0]}） the bundle was altered after it was made")
    if doc.get("policy_changes"):
        pc = doc["policy_changes"]
        reasons.append(f"所用策略与本平台的策略不同（{len(pc)} 个文件，如 {pc[0]}） the bundle was decided with "
                       "other policies than the portal's")
    if doc.get("result_problems"):
        rp = doc["result_problems"]
        reasons.append(f"用本平台的策略重新评估，与包内结果不一致（{len(rp)} 条，如 {rp[0]}） deciding again gives "
                       "other verdicts")
    if not doc.get("ok") and not reasons:
        reasons.append("核验未通过 verification failed")
    if doc.get("ok") and not reasons and isinstance(doc.get("results"), dict):
        return Outcome(True, "", problems, doc)
    return Outcome(False, "；".join(reasons), problems, doc)


def claim(worker: str, limits: Limits) -> Submission | None:
    now = timezone.now()
    with transaction.atomic():
        qs = Submission.objects.filter(state__in=(Submission.RECEIVED, Submission.VERIFYING)) \
            .exclude(state=Submission.VERIFYING, lease_until__gte=now).order_by("received_at", "id")
        if connection.features.has_select_for_update_skip_locked:  # PostgreSQL; only the submission's row
            qs = qs.select_for_update(skip_locked=True, of=("self",))
        sub = qs.select_related("unit").first()
        if sub is None:
            return None
        sub.state, sub.worker, sub.attempts = Submission.VERIFYING, worker, sub.attempts + 1
        sub.lease_until = now + dt.timedelta(seconds=limits.verify_seconds + 120)
        sub.save(update_fields=["state", "worker", "attempts", "lease_until"])
    return sub


def _details(doc: dict[str, Any]) -> dict[str, Any]:
    return {"decided_with": doc.get("decided_with", ""), "policy_diff": (doc.get("policy_diff") or [])[:400],
            "notes": (doc.get("notes") or [])[:200], "results_checked": doc.get("results_checked", 0),
            "verifier_opa": doc.get("opa_version", "")}


def _quarantine(sub: Submission, reason: str, problems: list[str], doc: dict[str, Any] | None = None) -> None:
    doc = doc or {}
    man = doc.get("manifest") or {}
    with transaction.atomic():
        sub.state, sub.reason, sub.problems = Submission.QUARANTINED, reason[:4000], problems[:500]
        sub.verdict = doc.get("verdict") or {}
        sub.signature = str(doc.get("signature") or "")[:16]
        sub.key_fingerprint = str(doc.get("declared_fingerprint") or "")[:64]
        sub.run_id = str(man.get("run_id") or "")[:100]
        sub.run_started_at = store.parse_time(man.get("created_at"))
        sub.zicha_version = str(man.get("zicha_version") or "")[:40]
        sub.opa_version = str(man.get("opa_version") or "")[:40]
        sub.details = _details(doc)
        sub.verified_at, sub.lease_until = timezone.now(), None
        sub.save()
        Event.objects.create(unit=sub.unit, submission=sub, action="quarantined", detail=reason[:2000])
    log.warning("submission %s quarantined: %s", sub.pk, reason)


def process(sub: Submission, limits: Limits) -> None:
    if sub.attempts > MAX_ATTEMPTS:
        _quarantine(sub, f"核验 {MAX_ATTEMPTS} 次均未完成 verification did not finish in {MAX_ATTEMPTS} tries", [])
        return
    if sub.unit is None:
        _quarantine(sub, sub.reason or "无法确定提交单位 no unit claims this bundle", [])
        return
    doc, why = verify_bundle(sub.path, sub.unit.public_key, limits, f"submission-{sub.pk}.tar.gz")
    if doc is None:
        _quarantine(sub, why, [why])
        return
    outcome = judge(doc, sub.unit)
    if not outcome.accepted:
        _quarantine(sub, outcome.reason, outcome.problems, doc)
        return
    try:
        report = AuditReport.from_json(doc["results"])
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        _quarantine(sub, f"结果无法读取 the results cannot be read: {e}", [str(e)], doc)
        return
    store.accept(sub, report, doc.get("attachments") or {}, verdict=doc.get("verdict") or {}, reason="",
                 problems=outcome.problems, signature="valid", details=_details(doc),
                 key_fingerprint=str(doc.get("key_fingerprint") or "")[:64], verified_at=timezone.now(),
                 lease_until=None, opa_version=str((doc.get("manifest") or {}).get("opa_version") or "")[:40])
    Event.objects.create(unit=sub.unit, submission=sub, action="accepted",
                         detail=(doc.get("verdict") or {}).get("zh", "")[:2000])
    log.info("submission %s accepted: %s", sub.pk, (doc.get("verdict") or {}).get("en", ""))


def release(sub: Submission) -> None:
    """Give a claimed submission back to the queue (the worker is stopping)."""
    Submission.objects.filter(pk=sub.pk, state=Submission.VERIFYING).update(
        state=Submission.RECEIVED, lease_until=None, attempts=max(0, sub.attempts - 1))


def run(*, once: bool = False, poll: float = 2.0, watch: Path | None = None, watch_every: float = 5.0) -> int:
    """Verify submissions until stopped (or, with once, until none is waiting). Returns how many were done."""
    from checker.portal import ingest

    limits = settings.LIMITS
    name = f"{socket.gethostname()}:{os.getpid()}"
    done, seen, last_scan = 0, {}, 0.0
    log.info("worker %s started (limits: %d s, %d MiB)", name, limits.verify_seconds, limits.verify_memory >> 20)
    while True:
        close_old_connections()
        if watch is not None and time.monotonic() - last_scan >= watch_every:
            ingest.scan_folder(watch, seen)
            last_scan = time.monotonic()
        try:
            sub = claim(name, limits)
        except DatabaseError:  # the database went away for a while: keep trying, do not die
            log.exception("worker %s: cannot reach the queue", name)
            close_old_connections()
            time.sleep(max(poll, 1.0) * 5)
            continue
        if sub is not None:
            try:
                process(sub, limits)
            except Exception as e:  # a defect of ours: the lease runs out and it is tried again (then quarantined)
                log.exception("submission %s: verification stopped by an error", sub.pk)
                Event.objects.create(unit=sub.unit, submission=sub, action="worker-error",
                                     detail=f"{type(e).__name__}: {e}"[:2000])
            except BaseException:  # stopped (SIGTERM, Ctrl-C): back to the queue for the next worker
                release(sub)
                raise
            done += 1
            continue
        if once and not (watch is not None and seen):
            return done
        time.sleep(poll if not once else min(poll, watch_every))
