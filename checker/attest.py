"""Attestations: what a named person found, and when, for the clauses no rule can check (manual clauses).

attestations.yml (beside the inventory; `zicha attest` writes it) holds one record per manual clause:

    attestations:
      EMERGENCY-DRILL:
        answer: no                    # does the clause's statement hold for the unit?
        by: 信息中心 李四
        at: 2026-11-21
        note: 本年度尚未组织演练
        measure: 12月组织一次网络安全应急演练   # optional: 整改措施, 责任人, 完成时限
        owner: 信息中心 李四
        deadline: 2026-12-31
      SECURITY-LEADING-GROUP:
        answer: yes
        by: 办公室 张三
        at: 2026-11-20
        attachments:                  # attachments/SECURITY-LEADING-GROUP/<file>, with the sha256 attested
          - {file: 领导小组文件.pdf, sha256: 9f86d0…}

Each manual clause of the catalog becomes one result for the unit (host UNIT_HOST, rule = the clause id, kind
`attestation`): attested yes is pass and no is fail, a finding like any other (so the exit code is 1); for a
GAP-* clause, the statement is a problem, so yes (the unit has it) is fail. A clause nobody attested is
`manual`: shown, counted, never a finding. An attested attachment that is missing, or whose sha256 differs from
the one attested, is `error`; so is an attestation dated after the audit. The same function decides them at the
audit and again in `zicha verify`, from the bundle's own attestations, catalog and attachments.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from checker import catalog as cat
from checker.config import read_yaml
from checker.errors import SetupError
from checker.models import Result
from checker.unit import check_dates, plain, validate

SCHEMA = Path(__file__).parent / "schemas" / "attestations.schema.json"
FILE = "attestations.yml"
UNIT_HOST = "@unit"  # the host of a result about the whole unit (no inventory host can be named so)
KIND = "attestation"


@dataclass(frozen=True)
class Attestations:
    file: str = ""  # the file's name, which the results name as their source
    items: dict[str, dict[str, Any]] = field(default_factory=dict)  # clause id → record

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "attestations": self.items}

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> "Attestations":
        return cls(str(doc.get("file") or ""), dict(doc.get("attestations") or {}))


def _check(doc: Any, what: str, clauses: dict[str, cat.Clause]) -> dict[str, dict[str, Any]]:
    validate(doc, SCHEMA, what)
    check_dates(doc, what)
    items = doc["attestations"]
    for cid in items:
        if cid not in clauses:
            raise SetupError(f"{what}: attestations/{cid}: no clause {cid} in the catalog")
        if clauses[cid].status != "manual":
            raise SetupError(f"{what}: attestations/{cid}: {cid} is checked by rules, not attested (manual clauses only)")
    return items


def validated(att: Attestations, clauses: dict[str, cat.Clause], what: str) -> Attestations:
    """The attestations, checked against the schema and the given catalog (SetupError if not)."""
    _check({"attestations": att.items}, what, clauses)
    return att


def load(path: Path | None, clauses: dict[str, cat.Clause] | None = None) -> Attestations:
    """attestations.yml, checked against the schema and the catalog (no attestations when there is no file)."""
    if path is None:
        return Attestations()
    doc = plain(read_yaml(Path(path), "attestations file"))
    if doc is None:
        return Attestations(Path(path).name)
    return Attestations(Path(path).name, _check(doc, f"attestations file {path}", clauses or cat.load()))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# -- deciding ------------------------------------------------------------------------------------------------------


def _day(s: str) -> dt.date:
    return dt.date.fromisoformat(str(s)[:10])


def _problems(cid: str, rec: dict[str, Any], present: dict[str, str], now: str) -> list[dict[str, str]]:
    out = []
    for a in rec.get("attachments") or []:
        got = present.get(a["file"])
        where = f"attachments/{cid}/{a['file']}"
        if got is None:
            out.append({"zh": f"核验所附材料 {where} 缺失", "en": f"the attested attachment {where} is missing"})
        elif got != a["sha256"]:
            out.append({"zh": f"材料 {where} 与核验时登记的不一致（sha256 不符）",
                        "en": f"{where} is not the document attested (its sha256 differs)"})
    if _day(rec["at"]) > _day(now) + dt.timedelta(days=1):  # a day's grace for time zones
        out.append({"zh": f"核验日期 {rec['at']} 晚于自查日期 {now[:10]}",
                    "en": f"attested on {rec['at']}, after the audit ({now[:10]})"})
    return out


def verdict(c: cat.Clause, rec: dict[str, Any]) -> tuple[str, dict[str, str]]:
    by, at, n = rec["by"], rec["at"], len(rec.get("attachments") or [])
    note = rec.get("note")
    zh_att = f"，附材料 {n} 份" if n else "，未附材料"
    en_att = f", {n} attachment{'s' if n != 1 else ''}" if n else ", no attachment"
    if c.gap:
        status = "fail" if rec["answer"] else "pass"
        zh = ("存在该问题" if rec["answer"] else "不存在该问题") + f"（{by} {at} 确认{zh_att}）"
        en = ("the unit has this problem" if rec["answer"] else "the unit does not have this problem") + \
            f" (confirmed by {by} on {at}{en_att})"
    else:
        status = "pass" if rec["answer"] else "fail"
        zh = ("已落实" if rec["answer"] else "未落实") + f"（{by} {at} 核验{zh_att}）"
        en = ("in place" if rec["answer"] else "not in place") + f" (attested by {by} on {at}{en_att})"
    if note:
        zh, en = f"{zh}：{note}", f"{en}: {note}"
    return status, {"zh": zh, "en": en}


def remedy(c: cat.Clause, rec: dict[str, Any] | None = None) -> dict[str, str]:
    """整改措施 of a manual clause: the attestation's own, else the catalog's."""
    own = (rec or {}).get("measure")
    zh = own or c.report.get("remedy") or f"按要求落实：{c.zh}。"
    en = own or c.report.get("remedy_en") or f"Put in place: {c.en}."
    return {"zh": zh, "en": en}


def result(c: cat.Clause, rec: dict[str, Any] | None, present: dict[str, str], now: str, source: str) -> Result:
    """The verdict on one manual clause, for the unit."""
    observed: dict[str, Any] = {"attachments_present": sorted(present)}
    if rec is None:
        status = "manual"
        message = {"zh": "未核验：尚无人对本条款作出核验", "en": "not attested: nobody has attested this clause yet"}
        evidence: dict[str, Any] = {"attestation": None, "observed": observed, "sources": [], "collected_at": None,
                                    "gather": {"method": KIND, "status": "none"}}
    else:
        problems = _problems(c.id, rec, present, now)
        if problems:
            status = "error"
            message = {lang: ("；" if lang == "zh" else "; ").join(p[lang] for p in problems) for lang in ("zh", "en")}
        else:
            status, message = verdict(c, rec)
        observed["answer"] = rec["answer"]
        evidence = {"attestation": rec, "observed": observed,
                    "sources": [{"fact": "attestation", "source": f"{source or FILE}#{c.id}"}],
                    "collected_at": rec["at"], "gather": {"method": KIND, "status": "ok"}}
    return Result(host=UNIT_HOST, rule=c.id, status=status, severity=c.severity, clauses=[c.id], gbt22239=c.items,
                  title={"zh": c.zh, "en": c.en}, message=message, evidence=evidence, remediation=remedy(c, rec),
                  clause_verdicts={c.id: {"status": status, "message": message}}, kind=KIND)


def results(att: Attestations, clauses: dict[str, cat.Clause], attached: dict[str, dict[str, str]],
            now: str) -> list[Result]:
    """One result per manual clause of the catalog, in its order. `attached` maps each clause to the documents
    present for it (file name → sha256); `now` is the audit's time (RFC 3339)."""
    return [result(c, att.items.get(c.id), attached.get(c.id, {}), now, att.file)
            for c in clauses.values() if c.status == "manual"]


def is_attestation(r: Result) -> bool:
    return r.kind == KIND


# -- recording (zicha attest) --------------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    pass


def _bool(dumper: yaml.SafeDumper, value: bool) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:bool", "yes" if value else "no")


_Dumper.add_representer(bool, _bool)

HEADER = """\
# zicha attestations: what a named person attested, and when, for each manual clause (zicha attest writes it).
# answer: yes = the clause's statement holds for the unit (for a GAP-* clause: the unit has that problem).
# attachments: the documents in attachments/<CLAUSE>/ that back it, with the sha256 attested.
"""


def _copy_in(src: Path, folder: Path) -> dict[str, str]:
    if not src.is_file():
        raise SetupError(f"attest: {src}: no such file")
    data = src.read_bytes()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / src.name
    if target.exists() and target.resolve() != src.resolve():
        if target.read_bytes() != data:
            raise SetupError(f"attest: {target} exists with other contents; rename {src.name} or remove the old one")
    elif not target.exists():
        shutil.copyfile(src, target)
    return {"file": src.name, "sha256": sha256(data)}


def record(path: Path, clause: str, answer: bool, by: str, at: str, files: list[Path] | None = None,
           note: str | None = None, measure: str | None = None, owner: str | None = None,
           deadline: str | None = None, attachments_dir: Path | None = None) -> dict[str, Any]:
    """Record (or replace) the attestation of one clause in `path`; documents are copied into
    attachments_dir/<clause>/ (default: attachments/ beside the file) and listed with their sha256. Documents
    attested before for the clause stay listed (with their sha256 as it is now)."""
    clauses = cat.load()
    existing = load(path, clauses) if path.exists() else Attestations(path.name)
    folder = (attachments_dir or path.parent / "attachments") / clause
    listed = {a["file"]: a for a in (existing.items.get(clause) or {}).get("attachments", [])
              if (folder / a["file"]).is_file()}
    for a in listed.values():
        a["sha256"] = sha256((folder / a["file"]).read_bytes())
    for f in files or []:
        a = _copy_in(Path(f), folder)
        listed[a["file"]] = a
    rec: dict[str, Any] = {"answer": bool(answer), "by": by, "at": at}
    for k, v in (("note", note), ("measure", measure), ("owner", owner), ("deadline", deadline)):
        if v:
            rec[k] = v
    if listed:
        rec["attachments"] = [listed[k] for k in sorted(listed)]
    items = dict(existing.items)
    items[clause] = rec
    doc = {"attestations": {k: items[k] for k in sorted(items)}}
    _check(doc, f"attest {clause}", clauses)  # what is written is what load() accepts
    path.write_text(HEADER + yaml.dump(doc, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=110),
                    encoding="utf-8")
    return rec


def clear(path: Path, clause: str) -> bool:
    """Remove a clause's attestation (its documents stay in attachments/). True when there was one."""
    existing = load(path) if path.exists() else Attestations(path.name)
    if clause not in existing.items:
        return False
    items = {k: v for k, v in existing.items.items() if k != clause}
    path.write_text(HEADER + yaml.dump({"attestations": items}, Dumper=_Dumper, allow_unicode=True,
                                       sort_keys=False, width=110), encoding="utf-8")
    return True
