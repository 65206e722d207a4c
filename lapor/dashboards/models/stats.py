"""The summary tables behind every dashboard figure.

Pages never scan `Report` for a figure. `refresh_dashboard_stats` (lapor.dashboards.refresh)
keeps three layers, each derived from the one before and rebuilt idempotently:

1. `ReportFact`: one row per report with what the indicators need, computed once (its
   attribution, the working days to first response and to completion, on-time flags, reopen
   count). The lists behind the numbers filter on it, so a list always matches its number.
2. `BounceFact`: one row per "not our authority" move, attributed to the institution that
   declined.
3. `MonthlyStats`, `MonthlyDuration`, `MonthlyBreakdown`: the facts summed per
   (month, institution, public or not). A period of whole months reads only these; the days of
   a partial month at either end of a period are summed from the facts.

Every period figure is a cohort figure: the reports SUBMITTED in the period (local date in
settings.TIME_ZONE), with their state as of the last refresh.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lapor.institutions.models import Category, Institution
from lapor.reports.models import Report

# The counters kept per (month, institution, is_public), in display order. Each is a count of
# reports of the cohort except `reopen_events` (reopen moves) and `bounced` ("not our
# authority" moves by the institution). Ratings are kept as a histogram (rating_1..rating_5),
# so the mean, the count and the "satisfied" share follow for any policy threshold.
COUNTER_FIELDS: tuple[str, ...] = (
    "received",
    "verified",
    "routed",
    "followed_up",
    "first_response_on_time",
    "answered",
    "finished",
    "finished_on_time",
    "reopened",
    "reopen_events",
    "escalated",
    "archived",
    "rating_1",
    "rating_2",
    "rating_3",
    "rating_4",
    "rating_5",
    "bounced",
)


class ReportFact(models.Model):
    """What the dashboards know about one report, as of its last refresh."""

    report = models.OneToOneField(
        Report, primary_key=True, on_delete=models.CASCADE, related_name="dashboard_fact"
    )
    # The report's place: the institution whose queue holds it (the unit handling it once
    # routed); the national body while it sits in the national queue.
    institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()  # local submission date (settings.TIME_ZONE)
    is_public = models.BooleanField()  # privacy.public_q(): verified and not confidential
    state = models.CharField(max_length=24)
    report_type = models.CharField(max_length=12)
    resolution_class = models.CharField(max_length=16, blank=True)
    channel = models.CharField(max_length=16)
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    category_root = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified = models.BooleanField(default=False)
    routed = models.BooleanField(default=False)
    followed_up = models.BooleanField(default=False)
    first_response_on_time = models.BooleanField(default=False)
    answered = models.BooleanField(default=False)
    finished = models.BooleanField(default=False)
    finished_on_time = models.BooleanField(default=False)
    # Working days (responsible institution's calendar and zone) from routing to the first
    # response, and to the final answer for a report whose answer stands.
    first_response_days = models.IntegerField(null=True, blank=True)
    completion_days = models.IntegerField(null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(default=0)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    source_updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("fakta laporan")
        verbose_name_plural = _("fakta laporan")
        indexes = [
            models.Index(fields=["day", "institution"], name="dash_fact_day_inst"),
            models.Index(fields=["institution", "day"], name="dash_fact_inst_day"),
        ]

    def __str__(self) -> str:
        return f"fact {self.report_id}"


class BounceFact(models.Model):
    """One "not our authority" move, by the institution that made it."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    sequence = models.PositiveIntegerField()  # the decline event's sequence
    institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()  # the REPORT's submission date: bounces join the cohort
    is_public = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "sequence"], name="dash_bounce_unique")
        ]
        indexes = [models.Index(fields=["day", "institution"], name="dash_bounce_day_inst")]

    def __str__(self) -> str:
        return f"bounce {self.report_id}#{self.sequence}"


class MonthlyStats(models.Model):
    month = models.DateField()  # first day of the month
    institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    is_public = models.BooleanField()
    received = models.PositiveIntegerField(default=0)
    verified = models.PositiveIntegerField(default=0)
    routed = models.PositiveIntegerField(default=0)
    followed_up = models.PositiveIntegerField(default=0)
    first_response_on_time = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    finished = models.PositiveIntegerField(default=0)
    finished_on_time = models.PositiveIntegerField(default=0)
    reopened = models.PositiveIntegerField(default=0)
    reopen_events = models.PositiveIntegerField(default=0)
    escalated = models.PositiveIntegerField(default=0)
    archived = models.PositiveIntegerField(default=0)
    rating_1 = models.PositiveIntegerField(default=0)
    rating_2 = models.PositiveIntegerField(default=0)
    rating_3 = models.PositiveIntegerField(default=0)
    rating_4 = models.PositiveIntegerField(default=0)
    rating_5 = models.PositiveIntegerField(default=0)
    bounced = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("statistik bulanan")
        verbose_name_plural = _("statistik bulanan")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "institution", "is_public"], name="dash_monthly_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.institution_id}"


class MonthlyDuration(models.Model):
    """How many reports took `days` working days (to first response or to completion)."""

    FIRST_RESPONSE = 1
    COMPLETION = 2
    METRICS = ((FIRST_RESPONSE, "first_response"), (COMPLETION, "completion"))

    month = models.DateField()
    institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    is_public = models.BooleanField()
    metric = models.PositiveSmallIntegerField(choices=METRICS)
    days = models.IntegerField()
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["month", "institution"], name="dash_duration_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.institution_id} m{self.metric} {self.days}d"


class MonthlyBreakdown(models.Model):
    """How many reports of the cohort had `value` for `dimension` (channel, type, ...)."""

    month = models.DateField()
    institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    is_public = models.BooleanField()
    dimension = models.CharField(max_length=12)
    value = models.CharField(max_length=40)
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["month", "institution"], name="dash_breakdown_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.institution_id} {self.dimension}={self.value}"


class OverdueCount(models.Model):
    """Overdue reports (the sweeper's red flags) per institution whose queue holds them, as
    counted by the last refresh: pages read these ~1,000 rows instead of counting flags among
    millions of reports. Replaced whole by each refresh; no row for the national queue means
    none there (its reports are kept under the national body's row)."""

    institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    count = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.institution_id}: {self.count}"


class StatsRefresh(models.Model):
    """One run of refresh_dashboard_stats. The latest finished run is the data's version."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    since = models.DateTimeField(null=True, blank=True)  # None: a full rebuild
    reports = models.PositiveIntegerField(default=0)
    months = models.PositiveIntegerField(default=0)
    # Random per run: cache keys use it, so a cached figure never outlives its data.
    token = models.CharField(max_length=32, default="")
    # What the facts were computed with; when either changes, the next run rebuilds everything.
    calendar_revision = models.IntegerField(default=0)
    policy_stamp = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("pembaruan statistik")
        verbose_name_plural = _("pembaruan statistik")

    def __str__(self) -> str:
        return f"refresh {self.pk} @ {self.started_at:%Y-%m-%d %H:%M}"
