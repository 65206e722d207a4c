"""Builds the demo organisation (institutions, categories, people, decrees) and a directory
that answers "who acts here" while the report stories are played."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.hashers import make_password

from lapor.accounts.models import Membership, Role, User
from lapor.institutions.models import (
    Category,
    ComplaintTeamDecree,
    ComplaintTeamMember,
    Institution,
    Region,
)
from lapor.institutions.services import create_institution
from lapor.reports.demo import catalog
from lapor.reports.demo.catalog import NATIONAL_CODE, PROVINCE_CODE, Person
from lapor.reports.demo.topics import SERVICE_TARGETS, Topic


@dataclass
class Directory:
    """The demo's institutions, categories and people, with the lookups the stories need."""

    institutions: dict[str, Institution] = field(default_factory=dict)
    categories: dict[str, Category] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    # institution pk -> the user holding that role there
    admins: dict[int, User] = field(default_factory=dict)
    officers: dict[int, User] = field(default_factory=dict)
    reporters: list[User] = field(default_factory=list)
    _by_pk: dict[int, Institution] = field(default_factory=dict)

    @property
    def national_admin(self) -> User:
        return self.users["admin.nasional"]

    def by_pk(self, pk: int) -> Institution:
        return self._by_pk[pk]

    def index(self) -> None:
        self._by_pk = {i.pk: i for i in self.institutions.values()}

    def _chain(self, institution: Institution | None) -> list[Institution]:
        chain: list[Institution] = []
        node = institution
        while node is not None:
            chain.append(node)
            node = self._by_pk.get(node.parent_id) if node.parent_id else None
        return chain

    def admin_for(self, queue: Institution | None) -> User:
        """The nearest institution admin over `queue`; the national admin for the national queue."""
        for node in self._chain(queue):
            if node.pk in self.admins:
                return self.admins[node.pk]
        return self.national_admin

    def handler_for(self, queue: Institution) -> User:
        """Who writes follow-ups for a report queued at `queue`: the nearest officer, else admin."""
        for node in self._chain(queue):
            if node.pk in self.officers:
                return self.officers[node.pk]
            if node.pk in self.admins:
                return self.admins[node.pk]
        raise LookupError(f"no handler for {queue}")

    def government_of(self, region_code: str) -> Institution:
        return self.institutions[catalog.regency_code(region_code)]

    def target_for(self, topic: Topic, region_code: str) -> Institution:
        """The institution with authority over `topic` at the place."""
        targets = SERVICE_TARGETS.get(topic.service, {})
        code = targets.get(region_code) or targets.get("*")
        return self.institutions[code] if code else self.government_of(region_code)

    def units_below(self, institution: Institution) -> list[Institution]:
        return [i for i in self.institutions.values() if i.parent_id == institution.pk]

    def top_level_of(self, institution: Institution) -> Institution:
        for node in self._chain(institution):
            if node.kind in Institution.TOP_LEVEL_KINDS:
                return node
        raise LookupError(f"{institution} has no K/L/D")


def _institutions(directory: Directory) -> None:
    regions = {r.code: r for r in Region.objects.filter(code__startswith="64")}
    add = directory.institutions

    def make(code: str, name: str, kind: str, parent: str | None, region: str | None) -> None:
        add[code] = create_institution(
            code=code,
            name=name,
            kind=kind,
            parent=add[parent] if parent else None,
            region=regions[region] if region else None,
        )

    make(NATIONAL_CODE, "Pengelola Nasional SP4N-LAPOR! (KemenPANRB)", "national", None, None)
    for top in catalog.MINISTRIES_AND_AGENCIES:
        make(top.code, top.name, top.kind, NATIONAL_CODE, None)
    make(PROVINCE_CODE, "Pemerintah Provinsi Kalimantan Timur", "province", NATIONAL_CODE, "64")
    for region_code in catalog.KALTIM_REGENCIES:
        region = regions[region_code]
        make(
            catalog.regency_code(region_code),
            f"Pemerintah {region.name}",
            region.level,
            PROVINCE_CODE,
            region_code,
        )
    for department in catalog.DEPARTMENTS:
        make(department.code, department.name, "department", department.parent, department.region)
        for number, unit in enumerate(department.units, start=1):
            make(f"{department.code}-U{number}", unit, "unit", department.code, department.region)
    directory.index()


def _categories(directory: Directory) -> None:
    for code, name, children in catalog.CATEGORIES:
        root = Category.objects.create(code=code, name=name)
        directory.categories[code] = root
        for child_code, child_name in children:
            directory.categories[child_code] = Category.objects.create(
                code=child_code, name=child_name, parent=root
            )


def _make_user(person: Person, password_hash: str) -> User:
    first, _, last = person.full_name.partition(" ")
    user = User(
        username=person.username,
        full_name=person.full_name,
        first_name=first,
        last_name=last,
        email=catalog.email_for(person.username),
        nik=person.nik,
        phone=person.phone,
        is_staff=person.superuser,
        is_superuser=person.superuser,
    )
    user.password = password_hash
    user.save()
    return user


def _people(directory: Directory) -> None:
    people = [*catalog.KEY_PEOPLE, *catalog.staff_roster(), *catalog.OTHER_REPORTERS]
    # make_password directly: the demo password is deliberately weak and the validators (which
    # only forms run) would refuse it. Hashed once for all accounts: the password is public
    # anyway, and fifty PBKDF2 runs would double the command's runtime.
    password_hash = make_password(catalog.DEMO_PASSWORD)
    for person in people:
        user = _make_user(person, password_hash)
        directory.users[person.username] = user
        if person.role is None:
            directory.reporters.append(user)
            continue
        assert person.institution is not None
        institution = directory.institutions[person.institution]
        Membership.objects.create(user=user, institution=institution, role=person.role)
        if person.role == Role.INSTITUTION_ADMIN:
            directory.admins[institution.pk] = user
        elif person.role == Role.UNIT_OFFICER:
            directory.officers[institution.pk] = user


def _decrees(directory: Directory, today: date) -> None:
    users = directory.users
    teams = (
        (
            PROVINCE_CODE,
            f"100.3.3.1/K.215/{today.year - 1}",
            "Keputusan Gubernur Kalimantan Timur",
            (
                ("pimpinan.kaltim", "Sekretaris Daerah Provinsi Kalimantan Timur", "Pengarah"),
                ("admin.kaltim", "Kepala Biro Organisasi Setda Provinsi", "Koordinator"),
                ("petugas.dinkes.kaltim", "Analis Pengaduan Dinas Kesehatan", "Penghubung"),
            ),
        ),
        (
            "KOTA-64.72",
            f"100.3.3.2/104/HK-KS/II/{today.year - 1}",
            "Keputusan Wali Kota Samarinda",
            (
                ("pimpinan.samarinda", "Sekretaris Daerah Kota Samarinda", "Pengarah"),
                ("admin.samarinda", "Kepala Bagian Organisasi Setda Kota Samarinda", "Koordinator"),
                ("petugas.disdik", "Penghubung Dinas Pendidikan Kota Samarinda", "Penghubung"),
            ),
        ),
    )
    for code, number, issuer, members in teams:
        decree = ComplaintTeamDecree.objects.create(
            institution=directory.institutions[code],
            number=f"{issuer} Nomor {number}",
            issued_on=date(today.year - 1, 2, 14),
            valid_until=date(today.year + 1, 12, 31),
        )
        for username, position, team_role in members:
            user = users[username]
            ComplaintTeamMember.objects.create(
                decree=decree,
                name=user.full_name,
                position=position,
                team_role=team_role,
                user=user,
            )


def build_organisation(today: date) -> Directory:
    """Create every institution, category, account, membership and decree of the demo."""
    directory = Directory()
    _institutions(directory)
    _categories(directory)
    _people(directory)
    _decrees(directory, today)
    return directory
