# -*- coding: utf-8 -*-
# zicha: backups (restic snapshots of the repositories the inventory names) and the restore tests recorded on
# the host. Runs on the target's own Python (3.6 and newer).
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible_collections.zicha.audit.plugins.module_utils.zicha_files import FactError

RESTORE_LOG = "/var/log/zicha/restore-tests.jsonl"


def restic_snapshots(out):
    """`restic snapshots --json`: each snapshot's time, host, paths, tags and short id."""
    try:
        snaps = json.loads(out or "null")
    except (ValueError, RecursionError):
        raise FactError("restic snapshots --json: unparsable output")
    if snaps is None:
        snaps = []  # a repository without snapshots prints null (restic 0.9) or []
    if not isinstance(snaps, list):
        raise FactError("restic snapshots --json: not a list of snapshots")
    snapshots = []
    for s in snaps:
        ident = s.get("short_id") or s.get("id") if isinstance(s, dict) else None
        if not (isinstance(ident, str) and isinstance(s.get("time"), str) and _strings(s.get("paths"))
                and _strings(s.get("tags") or []) and isinstance(s.get("hostname"), (str, type(None)))):
            raise FactError("restic snapshots --json: a snapshot without id, time and paths")
        snapshots.append({"time": s["time"], "hostname": s.get("hostname"), "paths": s["paths"],
                          "tags": s.get("tags") or [], "id": ident[:8]})
    return snapshots


def _strings(v):
    return isinstance(v, list) and all(isinstance(x, str) for x in v)


def _restic(host, repo):
    env = {}
    if repo.get("password_file"):
        env["RESTIC_PASSWORD_FILE"] = repo["password_file"]
    argv = ["restic", "-r", repo["repo"], "snapshots", "--json", "--no-lock"]
    rc, out, err = host.run(argv, env=env, timeout=300)
    if rc != 0:
        raise FactError("restic snapshots: rc %d: %s" % (rc, (err.strip().splitlines() or ["no message"])[-1]))
    return restic_snapshots(out)


def fact_backups(host):
    out = []
    for repo in host.params.get("backup_repos") or []:
        tool = repo.get("tool", "restic")
        rec = {"tool": tool, "repo": repo.get("repo")}
        try:
            if not repo.get("repo"):
                raise FactError("backup repository without `repo`")
            if tool == "restic":
                rec["snapshots"] = _restic(host, repo)
                rec["source"] = "restic -r %s snapshots --json --no-lock" % repo["repo"]
            else:
                raise FactError("backup tool %r is not supported" % tool)
        except FactError as e:
            rec["error"] = str(e)
        out.append(rec)
    return out


def restore_records(text, path):
    """The restore-test records of a JSON-lines file (the last 200), and how many lines were not records."""
    records, bad = [], 0
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            r = json.loads(line)
        except ValueError:
            bad += 1
            continue
        if not isinstance(r, dict):
            bad += 1  # a JSON value that is not a record (null, a number, a list)
            continue
        records.append({k: (r.get(k) if isinstance(r.get(k), (str, int, float, bool, type(None))) else None)
                        for k in ("time", "repo", "snapshot", "result", "by")})
    if bad and not records:
        raise FactError("%s: no parsable record (%d bad lines)" % (path, bad))
    return {"file": path, "present": True, "records": records[-200:], "unparsable_lines": bad}


def fact_restore_tests(host):
    path = host.params.get("restore_log") or RESTORE_LOG
    if not host.exists(path):
        return {"file": path, "present": False, "records": []}
    return restore_records(host.read(path), path)
