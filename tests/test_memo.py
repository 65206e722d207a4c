"""The request memo: reference rows (and the reference stamp that guards the process-wide
cache of them) read once per web request, never across requests, and a request that writes one
of them reads its own write."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from lapor.accounts.models import Membership, Role
from lapor.institutions import refcache
from lapor.lib import memo
from lapor.reports.permissions import active_memberships
from lapor.reports.policy import current_policy
from tests.factories import World


def _policy_reads(context: CaptureQueriesContext) -> int:
    return sum('"reports_deadlinepolicy"' in q["sql"] for q in context.captured_queries)


def _stamp_reads(context: CaptureQueriesContext) -> int:
    return sum("institutions_referencestamp" in q["sql"] for q in context.captured_queries)


def test_outside_a_request_every_call_checks_the_stamp(world: World) -> None:
    current_policy()  # the row exists from here on (its insert changed the stamp)
    current_policy()  # and this process keeps it (lapor/institutions/refcache.py)
    with CaptureQueriesContext(connection) as context:
        current_policy()
        current_policy()
    assert _stamp_reads(context) == 2 and _policy_reads(context) == 0


def test_inside_a_request_the_policy_is_read_once(world: World) -> None:
    current_policy()  # the row exists from here on
    refcache.clear()
    with memo.request_scope(), CaptureQueriesContext(connection) as context:
        first, second = current_policy(), current_policy()
    assert first.pk == second.pk
    assert _policy_reads(context) == 1 and _stamp_reads(context) == 1


def test_a_request_that_changes_the_policy_reads_its_own_write(world: World) -> None:
    with memo.request_scope():
        policy = current_policy()
        policy.verification_days = policy.verification_days + 2
        policy.save()
        assert current_policy().verification_days == policy.verification_days


def test_a_new_membership_is_seen_within_the_same_request(world: World) -> None:
    with memo.request_scope():
        before = {m.pk for m in active_memberships(world.reporter)}
        created = Membership.objects.create(
            user=world.reporter, institution=world.city, role=Role.UNIT_OFFICER
        )
        after = {m.pk for m in active_memberships(world.reporter)}
    assert created.pk not in before and created.pk in after


def test_callers_cannot_change_the_remembered_list(world: World) -> None:
    with memo.request_scope():
        active_memberships(world.city_admin).clear()
        assert active_memberships(world.city_admin)


def test_requests_do_not_share_what_they_remembered(world: World) -> None:
    current_policy()
    with memo.request_scope():
        current_policy()
    with memo.request_scope(), CaptureQueriesContext(connection) as context:
        current_policy()
    assert _stamp_reads(context) == 1  # each request checks the stamp afresh
