# -*- coding: utf-8 -*-
# zicha: one collection run on one Linux host. Where its files are, how its programs run, and what the run
# reads once for several facts. Runs on the target's own Python (3.6 and newer: no dataclasses, no walrus).
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import errno
import glob
import os
import platform
import re
import subprocess


class FactError(Exception):
    """A fact could not be read; the message says why and ends up in the result as `error`."""


def now_utc():
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def run_command(argv, env=None, timeout=60):
    """Run a command; return (rc, stdout, stderr). A missing program is a FactError."""
    full_env = dict(os.environ)
    full_env["LC_ALL"] = "C"
    if env:
        full_env.update(env)
    try:
        p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=full_env)
    except OSError as e:
        if e.errno == errno.ENOENT:
            raise FactError("%s: command not found" % argv[0])
        raise FactError("%s: %s" % (argv[0], e.strerror))
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
        raise FactError("%s: no answer within %ss" % (" ".join(argv[:3]), timeout))
    return p.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


def to_int(v):
    try:
        return int(str(v).strip())
    except (TypeError, ValueError):
        return None


_NUMBER = re.compile(r"\A[+-]?[0-9]{1,9}\Z")


def number(v, what):
    """A setting a rule compares as a number: an integer, or FactError. A key without a value, a word, or digits
    the setting does not take never become a null or a default the rule would compare as small."""
    s = str(v).strip() if v is not None and v is not True else ""
    if not _NUMBER.match(s):
        raise FactError("%s: %r is not a number" % (what, v if v is not True else "(no value)"))
    return int(s)


_DIGITS = re.compile(r"\A[0-9]{1,12}\Z")


def digits(s):
    """A count a file or a header holds (ASCII digits only: not '²', '١٢' or '1_0', which int() takes), else None."""
    return int(s) if isinstance(s, str) and _DIGITS.match(s) else None


def conf_lines_of(text):
    """Non-empty, non-comment lines of a config file (comments: # and ;)."""
    out = []
    for line in text.splitlines():
        s = line.strip()
        if s and not s.startswith("#") and not s.startswith(";"):
            out.append(s)
    return out


def kv_of(lines, sep="="):
    """KEY=VALUE (or KEY VALUE when sep is None) lines; later keys win."""
    d = {}
    for s in lines:
        if sep is None:
            parts = s.split(None, 1)
        else:
            parts = s.split(sep, 1)
        if len(parts) == 2:
            d[parts[0].strip()] = parts[1].strip().strip('"').strip("'")
        elif len(parts) == 1:
            d[parts[0].strip()] = True
    return d


PROGRAM_DIRS = ("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin", "/opt/bin")
_PF_KTHREAD = 0x00200000


class HostRun(object):
    """One collection run on one host: the module's parameters, where the host's files are, how its programs
    run, and what the run reads once and several facts share (the process list).

    Every fact function takes one. A new run is a new object, so nothing outlives a run. Paths are always the
    host's own (/etc/shadow): `root` is where that tree is seen from, "/" on the host itself and a fake host's
    folder in tests; paths in facts and messages stay the host's. `run` and `which` replace how programs are
    run and found (tests give a fake host's programs)."""

    def __init__(self, params=None, root="/", run=None, which=None, kernel=None):
        self.params = dict(params or {})
        self.root = root
        self._prefix = "" if root in ("", "/") else root.rstrip("/")
        self._run = run or run_command
        self._which = which
        self.kernel = kernel or platform.release()
        self._process_names = None
        self._memo = {}

    def memo(self, key, compute):
        """compute(self), once per run: facts that several others are derived from are read once."""
        if key not in self._memo:
            self._memo[key] = compute(self)
        return self._memo[key]

    # ------------------------------------------------------------ files

    def local(self, path):
        """Where a host path is seen from this process."""
        if not self._prefix:
            return path
        return os.path.join(self._prefix, path.lstrip("/"))

    def open(self, path):
        return open(self.local(path), "rb")

    def read(self, path):
        try:
            with self.open(path) as f:
                return f.read().decode("utf-8", "replace")
        except (IOError, OSError) as e:
            if e.errno == errno.ENOENT:
                raise FactError("%s: no such file" % path)
            if e.errno == errno.EACCES:
                raise FactError("%s: permission denied (zicha needs root here: become: true)" % path)
            raise FactError("%s: %s" % (path, e.strerror))

    def exists(self, path):
        return os.path.exists(self.local(path))

    def isdir(self, path):
        return os.path.isdir(self.local(path))

    def isfile(self, path):
        return os.path.isfile(self.local(path))

    def listdir(self, path):
        return os.listdir(self.local(path))

    def readlink(self, path):
        return os.readlink(self.local(path))

    def getmtime(self, path):
        return os.path.getmtime(self.local(path))

    def glob(self, patterns):
        """The regular files matching any of the patterns, each pattern's matches sorted."""
        out = []
        for p in patterns:
            if self._prefix:
                found = glob.glob(glob.escape(self._prefix) + "/" + p.lstrip("/"))
                out.extend(sorted(f[len(self._prefix):] for f in found))
            else:
                out.extend(sorted(glob.glob(p)))
        return [p for p in out if self.isfile(p)]

    def conf_lines(self, path):
        return conf_lines_of(self.read(path))

    def kv_file(self, path, sep="="):
        return kv_of(self.conf_lines(path), sep)

    # ------------------------------------------------------------ programs

    def which(self, name):
        if self._which is not None:
            return self._which(name)
        for d in PROGRAM_DIRS:
            p = os.path.join(d, name)
            if os.path.isfile(self.local(p)) and os.access(self.local(p), os.X_OK):
                return p
        return None

    def run(self, argv, env=None, timeout=60):
        return self._run(argv, env=env, timeout=timeout)

    # ------------------------------------------------------------ processes

    def processes(self):
        """Names of the running processes: /proc is scanned once per run, and the facts share the list."""
        if self._process_names is None:
            self._process_names = self._scan_processes()
        return self._process_names

    def _scan_processes(self):
        """Names (comm) of the running user-space processes, from /proc/<pid>/stat (readable for every
        process). Command lines are not read: they can hold passwords."""
        names = set()
        for pid in self.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                with self.open("/proc/%s/stat" % pid) as f:
                    stat = f.read().decode("utf-8", "replace")
            except (IOError, OSError):
                continue  # the process ended meanwhile
            head, _, rest = stat.rpartition(")")
            fields = rest.split()
            if "(" not in head or len(fields) < 7:
                continue
            if fields[0] in ("Z", "X"):
                continue  # zombies: ended, not running
            try:
                if int(fields[6]) & _PF_KTHREAD:
                    continue  # kernel threads
            except ValueError:
                continue
            names.add(head.split("(", 1)[1])
        return frozenset(names)
