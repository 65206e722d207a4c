"""The only code that changes a report. Each service is atomic, locks the report, checks the
workflow table, writes, and appends one immutable ReportEvent."""

from lapor.reports.services.closing import (
    add_information,
    close_after_window,
    confirm_report,
    consent_to_ombudsman,
    escalate_to_ombudsman,
    rate_report,
    reopen_report,
)
from lapor.reports.services.deadlines import recompute_open_deadlines
from lapor.reports.services.handling import (
    extend_deadline,
    forward_report,
    post_answer,
    post_follow_up,
)
from lapor.reports.services.identity import identity_of, reveal_reporter_identity
from lapor.reports.services.intake import ReportInput, Submission, submit_report
from lapor.reports.services.sweeping import (
    flag_overdue,
    offer_ombudsman,
    record_deadline_warning,
    sweep_batch,
)
from lapor.reports.services.verification import (
    archive_report,
    clarify_report,
    decline_report,
    expire_hold,
    hold_report,
    route_report,
)

__all__ = [
    "ReportInput",
    "Submission",
    "add_information",
    "archive_report",
    "clarify_report",
    "close_after_window",
    "confirm_report",
    "consent_to_ombudsman",
    "decline_report",
    "escalate_to_ombudsman",
    "expire_hold",
    "extend_deadline",
    "flag_overdue",
    "forward_report",
    "hold_report",
    "identity_of",
    "offer_ombudsman",
    "post_answer",
    "post_follow_up",
    "rate_report",
    "recompute_open_deadlines",
    "record_deadline_warning",
    "reopen_report",
    "reveal_reporter_identity",
    "route_report",
    "submit_report",
    "sweep_batch",
]
