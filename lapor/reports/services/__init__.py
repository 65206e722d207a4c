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
    "forward_report",
    "hold_report",
    "identity_of",
    "post_answer",
    "post_follow_up",
    "rate_report",
    "recompute_open_deadlines",
    "reopen_report",
    "reveal_reporter_identity",
    "route_report",
    "submit_report",
]
