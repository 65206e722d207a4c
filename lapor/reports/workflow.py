"""The lifecycle as a plain table: from-state, action, to-state, roles allowed.

Pure: no Django. Services consult it before any write; docs/workflow.md is generated from it
(`manage.py workflow_doc`), and a test keeps the document current. Conditions that depend on data
(a deadline passed, the reporter's consent, the actor's scope) are checked by the services and
noted in `condition`.
"""

from __future__ import annotations

from dataclasses import dataclass

# States (same values as lapor.reports.models.State; a test keeps them equal).
NEW = ""
AWAITING_VERIFICATION = "awaiting_verification"
ON_HOLD = "on_hold"
ARCHIVED = "archived"
ROUTED = "routed"
IN_PROGRESS = "in_progress"
ANSWERED = "answered"
FINISHED = "finished"
ESCALATED = "escalated"

# Roles an actor can hold towards one report.
REPORTER = "reporter"
INTAKE = "intake"  # staff typing in an offline complaint on the reporter's behalf
# A channel gateway (SMS, e-mail, WhatsApp, API integration) acting for a citizen: it submits,
# and threads a later message from the same verified sender into that sender's report.
CHANNEL = "channel"
SYSTEM = "system"
NATIONAL_ADMIN = "national_admin"
INSTITUTION_ADMIN = "institution_admin"
UNIT_OFFICER = "unit_officer"

ADMINS = frozenset({NATIONAL_ADMIN, INSTITUTION_ADMIN})
HANDLERS = frozenset({INSTITUTION_ADMIN, UNIT_OFFICER})


@dataclass(frozen=True)
class Transition:
    from_state: str
    action: str
    to_state: str
    roles: frozenset[str]
    condition: str = ""


def _t(
    from_states: tuple[str, ...],
    action: str,
    to_state: str | None,
    roles: frozenset[str] | set[str],
    cond: str = "",
) -> list[Transition]:
    """Rows for one action from several states; to_state None means "stays where it is"."""
    return [Transition(s, action, to_state or s, frozenset(roles), cond) for s in from_states]


TRANSITIONS: tuple[Transition, ...] = tuple(
    _t((NEW,), "submit", AWAITING_VERIFICATION, frozenset({REPORTER, INTAKE, CHANNEL}))
    + _t((AWAITING_VERIFICATION,), "hold", ON_HOLD, ADMINS, "a question to the reporter")
    + _t((ON_HOLD,), "clarify", AWAITING_VERIFICATION, frozenset({REPORTER, CHANNEL}))
    + _t((ON_HOLD,), "expire_hold", ARCHIVED, frozenset({SYSTEM}), "clarification window passed")
    + _t((AWAITING_VERIFICATION,), "archive", ARCHIVED, ADMINS, "a reason code")
    + _t(
        (AWAITING_VERIFICATION,),
        "route",
        ROUTED,
        ADMINS,
        "after the bounce limit only the national admin",
    )
    + _t(
        (AWAITING_VERIFICATION,),
        "decline",
        AWAITING_VERIFICATION,
        frozenset({INSTITUTION_ADMIN}),
        "not our authority, at verification: to the queue one level up",
    )
    + _t(
        (ROUTED, IN_PROGRESS),
        "decline",
        AWAITING_VERIFICATION,
        HANDLERS,
        "not our authority: to the queue one level up",
    )
    + _t((ROUTED,), "forward", ROUTED, HANDLERS, "to a unit below the current one")
    + _t((ROUTED, IN_PROGRESS), "follow_up", IN_PROGRESS, HANDLERS)
    + _t((ROUTED, IN_PROGRESS), "answer", ANSWERED, HANDLERS, "the final answer")
    + _t(
        (ROUTED, IN_PROGRESS),
        "extend",
        None,
        HANDLERS | {NATIONAL_ADMIN},
        "before the completion deadline, within the policy's bound",
    )
    + _t(
        (AWAITING_VERIFICATION, ROUTED, IN_PROGRESS),
        "add_information",
        None,
        {REPORTER, CHANNEL},
    )
    + _t(
        (ANSWERED,),
        "reopen",
        IN_PROGRESS,
        frozenset({REPORTER, CHANNEL}),
        "dispute or new information",
    )
    + _t((ANSWERED,), "confirm", FINISHED, frozenset({REPORTER}))
    + _t((ANSWERED,), "close_after_window", FINISHED, frozenset({SYSTEM}), "reporter window passed")
    + _t((FINISHED,), "rate", None, frozenset({REPORTER}), "once")
    + _t(
        (ROUTED, IN_PROGRESS),
        "consent_ombudsman",
        None,
        frozenset({REPORTER}),
        "completion deadline passed",
    )
    + _t(
        (ROUTED, IN_PROGRESS),
        "escalate",
        ESCALATED,
        ADMINS,
        "completion deadline passed and the reporter consented",
    )
    # The deadline sweeper's bookkeeping: recorded once per stage (lapor.reports.sweeps).
    + _t(
        (AWAITING_VERIFICATION, ROUTED, IN_PROGRESS),
        "deadline_warning",
        None,
        frozenset({SYSTEM}),
        "the stage passed the policy's warning share (yellow)",
    )
    + _t(
        (AWAITING_VERIFICATION, ROUTED, IN_PROGRESS),
        "overdue",
        None,
        frozenset({SYSTEM}),
        "the stage's deadline passed (red)",
    )
    + _t(
        (ROUTED, IN_PROGRESS),
        "ombudsman_offered",
        None,
        frozenset({SYSTEM}),
        "completion deadline passed: the reporter may ask for the hand-over",
    )
)

STATES: tuple[str, ...] = (
    AWAITING_VERIFICATION,
    ON_HOLD,
    ARCHIVED,
    ROUTED,
    IN_PROGRESS,
    ANSWERED,
    FINISHED,
    ESCALATED,
)
ACTIONS: tuple[str, ...] = tuple(dict.fromkeys(t.action for t in TRANSITIONS))
ROLES: tuple[str, ...] = (
    REPORTER,
    INTAKE,
    CHANNEL,
    SYSTEM,
    NATIONAL_ADMIN,
    INSTITUTION_ADMIN,
    UNIT_OFFICER,
)

_INDEX: dict[tuple[str, str], Transition] = {(t.from_state, t.action): t for t in TRANSITIONS}


def find(from_state: str, action: str) -> Transition | None:
    """The row for `action` from `from_state`, or None if the move does not exist there."""
    return _INDEX.get((from_state, action))


def allowed_actions(state: str, roles: frozenset[str] | set[str]) -> list[str]:
    """Actions any of `roles` may take from `state`, in table order."""
    return [t.action for t in TRANSITIONS if t.from_state == state and t.roles & set(roles)]


def render_markdown() -> str:
    """docs/workflow.md, generated from the table."""
    lines = [
        "# Report workflow",
        "",
        "Generated from `lapor/reports/workflow.py` by `manage.py workflow_doc`; do not edit by",
        "hand (a test fails when this file and the table differ).",
        "",
        "| From | Action | To | Roles | Condition |",
        "|---|---|---|---|---|",
    ]
    for t in TRANSITIONS:
        roles = ", ".join(r for r in ROLES if r in t.roles)
        lines.append(
            f"| {t.from_state or '(new)'} | {t.action} | {t.to_state} | {roles} | {t.condition} |"
        )
    lines += ["", "## States", ""] + [f"- `{s}`" for s in STATES]
    lines += ["", "## Roles", ""] + [f"- `{r}`" for r in ROLES]
    return "\n".join(lines) + "\n"
