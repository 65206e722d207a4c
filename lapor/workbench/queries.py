"""The workbench's reads: whose desk a report is on, and the institutions a form may offer.

Every list starts from lapor.reports.privacy.visible_to, so the workbench never shows a report
the privacy rules hide; the selections here only narrow that down to "needs my action". The
institution lists are choices for a form: the services decide whether a move is allowed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import reduce
from operator import or_

from django.db.models import Case, Count, DateTimeField, F, Q, QuerySet, Value, When

from lapor.accounts.models import Membership, Role
from lapor.institutions.models import Institution
from lapor.lib.tracking import normalize_tracking_number
from lapor.reports.models import OPEN_STATES, Report, State
from lapor.reports.privacy import search_probes_personal_data, visible_to

# The deadline of the stage a report is in (the one stage_clock reports on).
DUE_AT = Case(
    When(state=State.AWAITING_VERIFICATION, then=F("verification_due_at")),
    When(state=State.ON_HOLD, then=F("clarification_due_at")),
    When(state__in=(State.ROUTED, State.IN_PROGRESS), then=F("completion_due_at")),
    When(state=State.ANSWERED, then=F("reporter_window_due_at")),
    default=Value(None),
    output_field=DateTimeField(),
)
HANDLING_STATES = (State.ROUTED, State.IN_PROGRESS)
# States whose deadline being past makes a report overdue work for someone.
CLOCKED_WORK_STATES = (State.AWAITING_VERIFICATION, *HANDLING_STATES)
READ_ONLY_STATES = (*OPEN_STATES, State.ESCALATED)
HANDLER_ROLES = (Role.INSTITUTION_ADMIN, Role.UNIT_OFFICER)
ROUTING_ROLES = (Role.NATIONAL_ADMIN, Role.INSTITUTION_ADMIN)


def _queued_under(path: str) -> Q:
    return Q(queue_institution__path__startswith=path)


def _in_scope(path: str) -> Q:
    return _queued_under(path) | Q(responsible_institution__path__startswith=path)


def desk_condition(memberships: Sequence[Membership], now: datetime) -> Q:
    """What needs the action of someone holding `memberships` (read-only roles: their scope)."""
    parts: list[Q] = []
    for membership in memberships:
        path = membership.institution.path
        if membership.role == Role.NATIONAL_ADMIN:
            parts.append(Q(state=State.AWAITING_VERIFICATION, queue_institution__isnull=True))
            parts.append(Q(state__in=CLOCKED_WORK_STATES, due_at__lt=now))
        elif membership.role == Role.INSTITUTION_ADMIN:
            parts.append(Q(state=State.AWAITING_VERIFICATION) & _queued_under(path))
            parts.append(Q(state__in=HANDLING_STATES) & _queued_under(path))
        elif membership.role == Role.UNIT_OFFICER:
            parts.append(Q(state__in=HANDLING_STATES) & _queued_under(path))
        elif membership.role == Role.AUDITOR:
            parts.append(Q(state__in=READ_ONLY_STATES))
        elif membership.role == Role.LEADERSHIP:
            parts.append(Q(state__in=READ_ONLY_STATES) & _in_scope(path))
    return reduce(or_, parts) if parts else Q(pk__in=[])


def inbox(user: object, memberships: Sequence[Membership], now: datetime) -> QuerySet[Report]:
    """The reports on the user's desk, with `due_at`, earliest deadline first."""
    qs = (
        visible_to(user)
        .annotate(due_at=DUE_AT)
        .filter(desk_condition(memberships, now))
        .select_related(
            "queue_institution__region__province",
            "responsible_institution__region__province",
            "category",
        )
    )
    return qs.order_by(F("due_at").asc(nulls_last=True), "submitted_at", "pk")


@dataclass(frozen=True)
class InboxFilter:
    state: str = ""
    report_type: str = ""
    resolution_class: str = ""
    overdue: bool | None = None  # True: past due only; False: not past due only
    institution: Institution | None = None
    search: str = ""


def overdue(qs: QuerySet[Report], now: datetime) -> QuerySet[Report]:
    """Of an inbox queryset, the reports whose current stage is past its deadline."""
    return qs.filter(Q(due_at__lt=now))


def filtered(qs: QuerySet[Report], f: InboxFilter, now: datetime) -> QuerySet[Report]:
    if f.state:
        qs = qs.filter(state=f.state)
    if f.report_type:
        qs = qs.filter(report_type=f.report_type)
    if f.resolution_class:
        qs = qs.filter(resolution_class=f.resolution_class)
    if f.overdue is True:
        qs = overdue(qs, now)
    elif f.overdue is False:
        qs = qs.exclude(Q(due_at__lt=now))
    if f.institution is not None:
        qs = qs.filter(_in_scope(f.institution.path))
    if f.search:
        qs = qs.filter(_search(f.search))
    return qs


def _search(text: str) -> Q:
    by_title = Q(title__icontains=text)
    if search_probes_personal_data(text):
        # A phone number or NIK typed as the query must not tell the institution which
        # anonymous report carries it: the page hides those, so must the search.
        by_title &= Q(is_anonymous=False)
    tracking = normalize_tracking_number(text)
    return by_title | Q(tracking_number=tracking) if tracking else by_title


def state_counts(qs: QuerySet[Report]) -> dict[str, int]:
    rows = qs.order_by().values("state").annotate(n=Count("pk")).values_list("state", "n")
    return dict(rows)


def scope_institutions(memberships: Sequence[Membership]) -> QuerySet[Institution]:
    """Every active institution in the subtrees the memberships serve (for the filter)."""
    paths = {m.institution.path for m in memberships}
    if not paths:
        return Institution.objects.none()
    condition = reduce(or_, (Q(path__startswith=p) for p in paths))
    return Institution.objects.active().filter(condition).order_by("path")


def route_targets(memberships: Sequence[Membership]) -> QuerySet[Institution]:
    """Where the user may route to: anywhere for a national admin, else their own subtrees."""
    active = Institution.objects.active().exclude(kind=Institution.Kind.NATIONAL)
    if any(m.role == Role.NATIONAL_ADMIN for m in memberships):
        return active.order_by("path")
    roots = [m.institution.path for m in memberships if m.role == Role.INSTITUTION_ADMIN]
    if not roots:
        return Institution.objects.none()
    return active.filter(reduce(or_, (Q(path__startswith=p) for p in roots))).order_by("path")


def forward_targets(memberships: Sequence[Membership], report: Report) -> QuerySet[Institution]:
    """Units strictly below the report's current holder, inside the user's handling subtrees."""
    queue = report.queue_institution
    roots = [m.institution.path for m in memberships if m.role in HANDLER_ROLES]
    if queue is None or not roots:
        return Institution.objects.none()
    return (
        Institution.objects.active()
        .filter(path__startswith=queue.path)
        .exclude(pk=queue.pk)
        .filter(reduce(or_, (Q(path__startswith=p) for p in roots)))
        .order_by("path")
    )


def search_institutions(qs: QuerySet[Institution], text: str) -> QuerySet[Institution]:
    text = text.strip()
    if not text:
        return qs
    return qs.filter(Q(name__icontains=text) | Q(code__iexact=text))


def institution_labels(institutions: Iterable[Institution]) -> dict[int, str]:
    """ "Provinsi › Kota › Dinas" for each institution, from its path, in one query."""
    items = list(institutions)
    ids = {pk for inst in items for pk in inst.ancestor_ids()}
    names = dict(
        Institution.objects.filter(pk__in=ids)
        .exclude(kind=Institution.Kind.NATIONAL)
        .values_list("pk", "name")
    )
    return {
        inst.pk: " › ".join(names[pk] for pk in inst.ancestor_ids() if pk in names) or inst.name
        for inst in items
    }


def handling_institutions(memberships: Sequence[Membership]) -> list[Institution]:
    """The institutions whose reply templates an officer may use (their ancestors come along)."""
    return [m.institution for m in memberships if m.role in (*HANDLER_ROLES, *ROUTING_ROLES)]
