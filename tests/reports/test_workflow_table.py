"""The transition table itself: pure, no database."""

from __future__ import annotations

import inspect
from collections import deque
from pathlib import Path

import pytest

from lapor.reports import services, workflow
from lapor.reports.models import State

DOC = Path(__file__).resolve().parents[2] / "docs" / "workflow.md"

# The service that carries out each move of the table.
SERVICE_OF = {
    "submit": services.submit_report,
    "hold": services.hold_report,
    "clarify": services.clarify_report,
    "expire_hold": services.expire_hold,
    "archive": services.archive_report,
    "route": services.route_report,
    "decline": services.decline_report,
    "forward": services.forward_report,
    "follow_up": services.post_follow_up,
    "answer": services.post_answer,
    "extend": services.extend_deadline,
    "add_information": services.add_information,
    "reopen": services.reopen_report,
    "confirm": services.confirm_report,
    "close_after_window": services.close_after_window,
    "rate": services.rate_report,
    "consent_ombudsman": services.consent_to_ombudsman,
    "escalate": services.escalate_to_ombudsman,
    "deadline_warning": services.record_deadline_warning,
    "overdue": services.flag_overdue,
    "ombudsman_offered": services.offer_ombudsman,
}


def test_states_are_the_models_states() -> None:
    assert list(workflow.STATES) == list(State.values)


def test_every_row_uses_known_states_and_roles() -> None:
    for t in workflow.TRANSITIONS:
        assert t.from_state in (workflow.NEW, *workflow.STATES), t
        assert t.to_state in workflow.STATES, t
        assert t.roles, t
        assert t.roles <= set(workflow.ROLES), t


def test_a_move_has_one_row_per_state() -> None:
    keys = [(t.from_state, t.action) for t in workflow.TRANSITIONS]
    assert len(keys) == len(set(keys))


def test_every_action_has_a_service_that_checks_its_row() -> None:
    assert set(SERVICE_OF) == set(workflow.ACTIONS)
    for action, service in SERVICE_OF.items():
        assert service.__name__ in services.__all__
        signature = inspect.signature(service)
        assert all(
            p.kind is inspect.Parameter.KEYWORD_ONLY for p in signature.parameters.values()
        ), f"{service.__name__} takes positional arguments"
        assert "actor" in signature.parameters
        if action != "submit":
            # The service opens the move under the action's own name, so the table row it
            # checks is the one this test pairs it with.
            assert f'begin(report, "{action}", actor)' in inspect.getsource(service), action


def test_submit_is_the_only_move_from_new_and_exists_nowhere_else() -> None:
    assert [t.action for t in workflow.TRANSITIONS if t.from_state == workflow.NEW] == ["submit"]
    for state in workflow.STATES:
        assert workflow.find(state, "submit") is None


def test_find() -> None:
    row = workflow.find(workflow.AWAITING_VERIFICATION, "route")
    assert row is not None
    assert row.to_state == workflow.ROUTED
    assert row.roles == {workflow.NATIONAL_ADMIN, workflow.INSTITUTION_ADMIN}
    assert workflow.find(workflow.FINISHED, "route") is None
    assert workflow.find(workflow.ROUTED, "no_such_move") is None


@pytest.mark.parametrize(
    ("state", "roles", "expected"),
    [
        (workflow.NEW, {workflow.REPORTER}, ["submit"]),
        (workflow.NEW, {workflow.CHANNEL}, ["submit"]),
        (workflow.NEW, {workflow.INTAKE}, ["submit"]),
        (workflow.NEW, {workflow.NATIONAL_ADMIN}, []),
        (workflow.AWAITING_VERIFICATION, {workflow.NATIONAL_ADMIN}, ["hold", "archive", "route"]),
        (
            workflow.AWAITING_VERIFICATION,
            {workflow.INSTITUTION_ADMIN},
            ["hold", "archive", "route", "decline"],
        ),
        (workflow.AWAITING_VERIFICATION, {workflow.UNIT_OFFICER}, []),
        (workflow.AWAITING_VERIFICATION, {workflow.REPORTER}, ["add_information"]),
        (workflow.ON_HOLD, {workflow.REPORTER}, ["clarify"]),
        (workflow.ON_HOLD, {workflow.SYSTEM}, ["expire_hold"]),
        (workflow.ON_HOLD, {workflow.NATIONAL_ADMIN}, []),
        (
            workflow.ROUTED,
            {workflow.UNIT_OFFICER},
            ["decline", "forward", "follow_up", "answer", "extend"],
        ),
        (
            workflow.ROUTED,
            {workflow.INSTITUTION_ADMIN},
            ["decline", "forward", "follow_up", "answer", "extend", "escalate"],
        ),
        (workflow.ROUTED, {workflow.NATIONAL_ADMIN}, ["extend", "escalate"]),
        (workflow.ROUTED, {workflow.REPORTER}, ["add_information", "consent_ombudsman"]),
        (
            workflow.IN_PROGRESS,
            {workflow.UNIT_OFFICER},
            ["decline", "follow_up", "answer", "extend"],
        ),
        (workflow.ANSWERED, {workflow.REPORTER}, ["reopen", "confirm"]),
        (workflow.ANSWERED, {workflow.SYSTEM}, ["close_after_window"]),
        (workflow.ANSWERED, {workflow.UNIT_OFFICER, workflow.INSTITUTION_ADMIN}, []),
        (workflow.FINISHED, {workflow.REPORTER}, ["rate"]),
        (workflow.FINISHED, {workflow.NATIONAL_ADMIN}, []),
        (workflow.ARCHIVED, set(workflow.ROLES), []),
        (workflow.ESCALATED, set(workflow.ROLES), []),
        (workflow.ROUTED, set(), []),
    ],
)
def test_allowed_actions(state: str, roles: set[str], expected: list[str]) -> None:
    assert workflow.allowed_actions(state, roles) == expected


def test_allowed_actions_is_the_union_over_roles() -> None:
    for state in (workflow.NEW, *workflow.STATES):
        union = set()
        for role in workflow.ROLES:
            union |= set(workflow.allowed_actions(state, {role}))
        assert set(workflow.allowed_actions(state, set(workflow.ROLES))) == union


def test_every_state_is_reachable_and_every_open_state_can_end() -> None:
    edges: dict[str, set[str]] = {}
    for t in workflow.TRANSITIONS:
        edges.setdefault(t.from_state, set()).add(t.to_state)
    seen, todo = {workflow.NEW}, deque([workflow.NEW])
    while todo:
        for nxt in edges.get(todo.popleft(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    assert seen == {workflow.NEW, *workflow.STATES}
    ends = {workflow.ARCHIVED, workflow.FINISHED, workflow.ESCALATED}
    for state in set(workflow.STATES) - ends:
        assert edges.get(state, set()) - {state}, f"{state} has no way out"
    for end in ends:
        assert edges.get(end, set()) <= {end}, f"{end} is not final"


def test_docs_workflow_md_is_generated_from_the_table() -> None:
    # Regenerate with `manage.py workflow_doc` after changing the table.
    assert DOC.read_text(encoding="utf-8") == workflow.render_markdown()


def test_rendered_table_has_one_line_per_row() -> None:
    text = workflow.render_markdown()
    lines = [line for line in text.splitlines() if line.startswith("| ") and "---" not in line]
    assert len(lines) == len(workflow.TRANSITIONS) + 1  # and the header
    assert "| (new) | submit | awaiting_verification | reporter, intake, channel |" in text
