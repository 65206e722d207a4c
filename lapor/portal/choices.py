"""Choice lists for the portal's forms: regions, the category tree, institutions.

Presentation only (labels and order); what a valid choice is remains the services' decision.
"""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext_lazy as _

from lapor.institutions.models import Category, Institution, Region
from lapor.reports.models import ReportType, State
from lapor.reports.privacy import PUBLIC_STATES

Choices = list[tuple[str, str]]
GroupedChoices = list[tuple[str, Choices | str]]


def provinces() -> Choices:
    return [
        (code, name)
        for code, name in Region.objects.filter(level=Region.Level.PROVINCE)
        .order_by("name")
        .values_list("code", "name")
    ]


def regencies_of(province_code: str) -> Choices:
    return [
        (code, name)
        for code, name in Region.objects.filter(province__code=province_code)
        .exclude(level=Region.Level.PROVINCE)
        .order_by("name")
        .values_list("code", "name")
    ]


def regencies_grouped() -> GroupedChoices:
    """Every regency and city grouped by province: the list a browser without JS gets."""
    groups: dict[str, Choices] = defaultdict(list)
    rows = (
        Region.objects.exclude(level=Region.Level.PROVINCE)
        .order_by("province__name", "name")
        .values_list("province__name", "code", "name")
    )
    for province_name, code, name in rows:
        groups[province_name].append((code, name))
    return list(groups.items())


def category_tree() -> Choices:
    """Active categories depth-first, children indented under their parent."""
    rows = list(Category.objects.filter(is_active=True).values_list("pk", "name", "parent_id"))
    children: dict[int | None, list[tuple[int, str]]] = defaultdict(list)
    for pk, name, parent_id in sorted(rows, key=lambda row: row[1].casefold()):
        children[parent_id].append((pk, name))
    active = {pk for pk, _name, _parent in rows}
    # A child of an inactive parent is shown at the top level rather than lost.
    roots = [(pk, name) for pk, name, parent in rows if parent is None or parent not in active]
    roots.sort(key=lambda item: item[1].casefold())
    out: Choices = []

    def walk(nodes: list[tuple[int, str]], depth: int) -> None:
        for pk, name in nodes:
            out.append((str(pk), "\u2003" * depth + ("› " if depth else "") + name))
            walk(children.get(pk, []), depth + 1)

    walk(roots, 0)
    return out


def category_descendants(category_id: int) -> list[int]:
    """The category and every category below it."""
    rows = list(Category.objects.values_list("pk", "parent_id"))
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent_id in rows:
        children[parent_id].append(pk)
    found, todo = [], [category_id]
    while todo:
        pk = todo.pop()
        found.append(pk)
        todo.extend(children.get(pk, []))
    return found


def institutions() -> Choices:
    """The K/L/D a citizen can name (ministries, agencies, local governments)."""
    return [
        (str(pk), name)
        for pk, name in Institution.objects.active()
        .filter(kind__in=Institution.TOP_LEVEL_KINDS)
        .order_by("name")
        .values_list("pk", "name")
    ]


def report_types() -> Choices:
    return [(str(value), str(label)) for value, label in ReportType.choices]


def public_states() -> Choices:
    return [(str(state), str(State(state).label)) for state in PUBLIC_STATES]


TYPE_HELP = {
    ReportType.COMPLAINT: _(
        "Pelayanan publik yang buruk atau lambat, pungutan liar, atau penyimpangan lain."
    ),
    ReportType.ASPIRATION: _("Saran atau usulan untuk memperbaiki pelayanan publik."),
    ReportType.INFORMATION: _("Pertanyaan tentang layanan, prosedur, atau data instansi."),
}
