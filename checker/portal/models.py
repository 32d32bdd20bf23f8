"""What the portal keeps: units and their keys, accounts, API tokens, inspection rounds, submissions (every bundle
received, accepted or quarantined) and, for accepted ones, the verdicts per clause and per host and rule.

The region's views read ClauseVerdict (a few dozen rows per submission) through indexes; HostResult holds the
evidence for the drill-down. The bundle itself stays in the portal's folder, named by its sha256.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

ALGORITHMS = [("ed25519", "Ed25519"), ("sm2-sm3", "SM2/SM3（国密）")]


class Unit(models.Model):
    """A reporting unit (填报单位): a school, a hospital, a district bureau. Its code names its folder in the
    watched folder and is what `zicha portal` commands take; its key is the only one its bundles verify with."""

    code = models.SlugField("单位代码 code", max_length=64, unique=True)
    name = models.CharField("单位名称 name", max_length=200)
    parent = models.ForeignKey("self", verbose_name="上级单位 parent", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    algorithm = models.CharField("签名算法 algorithm", max_length=16, choices=ALGORITHMS)
    public_key = models.TextField("签名公钥 public key (PEM)")
    key_fingerprint = models.CharField("公钥指纹 fingerprint", max_length=64, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class Account(models.Model):
    """A person's role in the portal: an inspector sees the region; a unit account sees and uploads only its own."""

    INSPECTOR, UNIT = "inspector", "unit"
    ROLES = [(INSPECTOR, "检查人员 inspector"), (UNIT, "填报单位 unit")]

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portal")
    role = models.CharField(max_length=16, choices=ROLES)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="accounts")

    class Meta:
        constraints = [models.CheckConstraint(
            condition=Q(role="inspector", unit__isnull=True) | Q(role="unit", unit__isnull=False),
            name="account_role_matches_unit")]


class ApiToken(models.Model):
    """A token a unit's CI submits with (`zicha submit --token`). Only its sha256 is kept; the token is shown once."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="tokens")
    name = models.CharField("用途 name", max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)


class Round(models.Model):
    """An inspection round (检查轮次): submissions received from opens_at until the next round opens belong to it;
    those received after the deadline are late."""

    name = models.CharField("轮次名称 name", max_length=200, unique=True)
    organiser = models.CharField("组织单位 organiser", max_length=200, blank=True)
    opens_at = models.DateTimeField("开始时间 opens", unique=True)
    deadline = models.DateTimeField("截止时间 deadline")

    class Meta:
        ordering = ["-opens_at"]
        constraints = [models.CheckConstraint(condition=Q(deadline__gt=models.F("opens_at")),
                                              name="round_deadline_after_opening")]

    def __str__(self) -> str:
        return self.name


class Submission(models.Model):
    """One bundle as received. Nothing is dropped: a bundle that fails verification stays, quarantined, with the
    reason and every problem verify named."""

    RECEIVED, VERIFYING, ACCEPTED, QUARANTINED = "received", "verifying", "accepted", "quarantined"
    STATES = [(RECEIVED, "待核验"), (VERIFYING, "核验中"), (ACCEPTED, "已通过"), (QUARANTINED, "已隔离")]
    UPLOAD, API, WATCH = "upload", "api", "watch"
    CHANNELS = [(UPLOAD, "网页上传"), (API, "zicha submit"), (WATCH, "监视目录")]

    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="submissions")
    channel = models.CharField(max_length=16, choices=CHANNELS)
    original_name = models.CharField(max_length=255, blank=True)  # shown, never used as a path
    sha256 = models.CharField(max_length=64)
    size = models.BigIntegerField()
    received_at = models.DateTimeField(default=timezone.now)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    token = models.ForeignKey(ApiToken, null=True, blank=True, on_delete=models.SET_NULL)

    state = models.CharField(max_length=16, choices=STATES, default=RECEIVED)
    reason = models.TextField(blank=True)  # why it was quarantined, one line
    problems = models.JSONField(default=list, blank=True)  # every problem verify named
    verdict = models.JSONField(default=dict, blank=True)  # verify's verdict line, zh and en
    details = models.JSONField(default=dict, blank=True)  # policy differences, the unit's overrides and waivers
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=100, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)

    # what the bundle says of itself (from its manifest and run.json)
    run_id = models.CharField(max_length=100, blank=True)
    run_started_at = models.DateTimeField(null=True, blank=True)
    run_unit = models.CharField(max_length=200, blank=True)
    zicha_version = models.CharField(max_length=40, blank=True)
    opa_version = models.CharField(max_length=40, blank=True)
    signature = models.CharField(max_length=16, blank=True)
    key_fingerprint = models.CharField(max_length=64, blank=True)
    host_count = models.PositiveIntegerField(default=0)
    result_count = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)  # status → results
    run = models.JSONField(default=dict, blank=True)  # run.json's run: who, where, when, hosts
    rules = models.JSONField(default=dict, blank=True)  # rule id → its metadata (title, severity, clauses, …)
    hosts = models.JSONField(default=list, blank=True)  # run.hosts: name, role, zone, platform
    critical = models.JSONField(default=dict, blank=True)  # critical rule → {fail: hosts, error: hosts}
    attachments = models.JSONField(default=dict, blank=True)  # clause → attached file names

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["unit", "sha256"], name="one_submission_per_unit_and_bundle")]
        indexes = [
            models.Index(fields=["unit", "state", "received_at"], name="sub_unit_state_received"),
            models.Index(fields=["state", "received_at"], name="sub_state_received"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.original_name}"

    @property
    def path(self):
        from checker.portal import ingest

        return ingest.stored_path(self.sha256)


class ClauseVerdict(models.Model):
    """A clause's verdict in one accepted submission (the unit report's 二、检查情况 row), with host counts."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="clause_verdicts")
    clause = models.CharField(max_length=64)
    verdict = models.CharField(max_length=16)  # the unit report's: pass | partial | fail | unverified | na
    cell = models.CharField(max_length=16)  # the region's: ok | bad | unverified | na (region.cell_of)
    n_pass = models.PositiveIntegerField(default=0)
    n_fail = models.PositiveIntegerField(default=0)
    n_error = models.PositiveIntegerField(default=0)
    n_waived = models.PositiveIntegerField(default=0)
    n_na = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["submission", "clause"], name="one_verdict_per_clause")]
        indexes = [models.Index(fields=["clause", "cell"], name="cv_clause_cell")]


class HostResult(models.Model):
    """One (host, rule) verdict of an accepted submission, with its evidence: the drill-down's bottom."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="results")
    host = models.CharField(max_length=255)
    rule = models.CharField(max_length=64)
    status = models.CharField(max_length=16)
    severity = models.CharField(max_length=16)
    clauses = models.JSONField(default=list)
    message = models.JSONField(default=dict)
    evidence = models.JSONField(default=dict)
    waiver = models.JSONField(null=True, blank=True)
    extra = models.JSONField(default=dict, blank=True)  # the result's other fields: title, clause verdicts, kind …

    class Meta:
        constraints = [models.UniqueConstraint(fields=["submission", "host", "rule"], name="one_result_per_host_rule")]
        indexes = [models.Index(fields=["submission", "rule"], name="hr_submission_rule")]


class Event(models.Model):
    """What happened, by whom: units registered and keys replaced, bundles received, accepted and quarantined."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    submission = models.ForeignKey(Submission, null=True, blank=True, on_delete=models.SET_NULL)
    action = models.CharField(max_length=40)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
