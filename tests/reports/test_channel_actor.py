"""A gateway acting for a verified sender; keys scoped to their sender; no self-handling."""

from __future__ import annotations

import pytest

from lapor.reports import services, workflow
from lapor.reports.actors import SYSTEM, ChannelActor
from lapor.reports.errors import NotAllowed
from lapor.reports.models import Report, State
from lapor.reports.permissions import roles_for
from tests.factories import World, fresh, make_staff, report_input

pytestmark = pytest.mark.django_db


def sms_report(phone: str = "+62 812-3456-7890") -> Report:
    actor = ChannelActor("sms", phone)
    data = report_input(channel="sms", contact_phone=phone)
    return services.submit_report(actor=actor, data=data).report


def test_a_gateway_submits_through_its_own_channel_only(world: World) -> None:
    report = sms_report()
    assert report.state == State.AWAITING_VERIFICATION
    assert report.events.get().data["actor"] == "channel:sms"
    with pytest.raises(NotAllowed):
        services.submit_report(
            actor=ChannelActor("sms", "081234567890"), data=report_input(channel="email")
        )


def test_a_later_message_from_the_same_number_threads_into_the_report(world: World) -> None:
    report = sms_report("+62 812-3456-7890")
    same_sender = ChannelActor("sms", "0812 3456 7890")  # another spelling of the number
    assert roles_for(same_sender, report) == {workflow.CHANNEL}
    services.add_information(actor=same_sender, report=report, message="Lokasinya di Jl. Juanda.")
    assert fresh(report).events.last().action == "add_information"  # type: ignore[union-attr]


def test_another_number_cannot_act_on_the_report(world: World) -> None:
    report = sms_report("081234567890")
    stranger = ChannelActor("sms", "081299990000")
    assert roles_for(stranger, report) == frozenset()
    with pytest.raises(NotAllowed):
        services.add_information(actor=stranger, report=report, message="Bukan pelapor.")
    assert fresh(report).events.count() == 1


def test_an_email_sender_matches_the_account_of_the_reporter(world: World) -> None:
    report = services.submit_report(actor=world.reporter, data=report_input()).report
    actor = ChannelActor("email", world.reporter.email.upper())
    assert roles_for(actor, report) == {workflow.CHANNEL}


def test_the_same_key_from_another_sender_does_not_replay_their_report(world: World) -> None:
    mine = services.submit_report(actor=world.reporter, data=report_input(), submission_key="k1")
    again = services.submit_report(actor=world.reporter, data=report_input(), submission_key="k1")
    theirs = services.submit_report(actor=world.citizen, data=report_input(), submission_key="k1")
    gateway = services.submit_report(
        actor=SYSTEM, data=report_input(channel="sms"), submission_key="k1"
    )
    assert again.report.pk == mine.report.pk and not again.created
    assert theirs.created and theirs.report.pk != mine.report.pk
    assert gateway.created and gateway.report.pk not in (mine.report.pk, theirs.report.pk)
    assert Report.objects.count() == 3


def test_staff_never_handle_their_own_complaint(world: World) -> None:
    # The city admin reports a problem as a citizen: on that report they are only the reporter.
    report = services.submit_report(actor=world.city_admin, data=report_input()).report
    world.route(report, world.city)
    assert roles_for(world.city_admin, fresh(report)) == {workflow.REPORTER}
    with pytest.raises(NotAllowed):
        services.post_answer(actor=world.city_admin, report=report, message="Sudah beres.")
    colleague = make_staff("institution_admin", world.city)
    assert workflow.INSTITUTION_ADMIN in roles_for(colleague, fresh(report))
