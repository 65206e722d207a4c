"""Which workflow roles an actor holds towards one report.

A staff role counts only inside the member's institution subtree: an institution admin of a
regency is no admin for a report queued at another regency.
"""

from __future__ import annotations

import hashlib
import hmac

from lapor.accounts.models import Membership, Role, User
from lapor.institutions import refcache
from lapor.institutions.models import Institution
from lapor.lib import memo
from lapor.reports import workflow
from lapor.reports.actors import Actor, ChannelActor, GuestActor, SystemActor
from lapor.reports.models import Report


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def guest_secret_matches(report: Report, secret: str) -> bool:
    if not report.guest_secret_hash or not secret:
        return False
    return hmac.compare_digest(report.guest_secret_hash, hash_secret(secret))


def active_memberships(user: User) -> list[Membership]:
    # A copy: callers may change their list, never the remembered one.
    return list(
        memo.remember(
            ("memberships", user.pk),
            lambda: refcache.remember(("memberships", user.pk), lambda: _load_memberships(user)),
        )
    )


def _load_memberships(user: User) -> list[Membership]:
    return list(
        Membership.objects.filter(user=user, is_active=True, institution__is_active=True)
        .select_related("institution")
        .order_by("id")
    )


def is_national_admin(user: User) -> bool:
    return Membership.objects.filter(user=user, role=Role.NATIONAL_ADMIN, is_active=True).exists()


def staff_institutions(user: User, roles: set[str]) -> list[Institution]:
    """Roots of the subtrees where `user` holds one of `roles`."""
    return [m.institution for m in active_memberships(user) if m.role in roles]


def normalize_phone(phone: str) -> str:
    """Indonesian numbers in one form: "+62 812-3456" and "0812 3456" compare equal."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if digits.startswith("62"):
        digits = "0" + digits[2:]
    return digits


def sender_matches(report: Report, sender: str) -> bool:
    """Whether a gateway's verified sender is this report's reporter (by phone or e-mail)."""
    sender = sender.strip()
    if not sender:
        return False
    contacts = [report.contact_phone, report.contact_email]
    user = report.reporter
    if user is not None and user.erased_at is None:
        contacts += [user.phone, user.email]
    if "@" in sender:
        return any(c and c.strip().lower() == sender.lower() for c in contacts)
    wanted = normalize_phone(sender)
    return len(wanted) >= 8 and any(
        c and "@" not in c and normalize_phone(c) == wanted for c in contacts
    )


def roles_for(actor: Actor | None, report: Report) -> frozenset[str]:
    """The workflow roles `actor` holds for `report` in its current place."""
    if isinstance(actor, SystemActor):
        return frozenset({workflow.SYSTEM})
    if isinstance(actor, ChannelActor):
        return (
            frozenset({workflow.CHANNEL}) if sender_matches(report, actor.sender) else frozenset()
        )
    if isinstance(actor, GuestActor):
        ok = report.reporter_id is None and guest_secret_matches(report, actor.secret)
        return frozenset({workflow.REPORTER}) if ok else frozenset()
    if actor is None or not actor.is_authenticated:
        return frozenset()
    if report.reporter_id is not None and report.reporter_id == actor.pk:
        # Nobody handles their own complaint: a staff member who reported is only the reporter.
        return frozenset({workflow.REPORTER})
    roles: set[str] = set()
    queue = report.queue_institution
    for membership in active_memberships(actor):
        if membership.role == Role.NATIONAL_ADMIN:
            roles.add(workflow.NATIONAL_ADMIN)
        elif membership.role in (Role.INSTITUTION_ADMIN, Role.UNIT_OFFICER):
            # The national queue (queue None) belongs to the national admins alone.
            if queue is not None and queue.is_within(membership.institution):
                roles.add(membership.role)
    return frozenset(roles)


def can_take_intake(user: User) -> bool:
    """Staff who may type in an offline complaint on a reporter's behalf."""
    return any(
        m.role in (Role.NATIONAL_ADMIN, Role.INSTITUTION_ADMIN, Role.UNIT_OFFICER)
        for m in active_memberships(user)
    )


def can_route_to(user: User, target: Institution) -> bool:
    """National admins route anywhere; an institution admin only inside their subtree."""
    for membership in active_memberships(user):
        if membership.role == Role.NATIONAL_ADMIN:
            return True
        if membership.role == Role.INSTITUTION_ADMIN and target.is_within(membership.institution):
            return True
    return False


def can_forward_to(user: User, report: Report, target: Institution) -> bool:
    """Forwarding goes strictly down from the current holder, inside the actor's subtree."""
    queue = report.queue_institution
    if queue is None or target.pk == queue.pk or not target.is_within(queue):
        return False
    return any(
        m.role in (Role.INSTITUTION_ADMIN, Role.UNIT_OFFICER) and target.is_within(m.institution)
        for m in active_memberships(user)
    )
