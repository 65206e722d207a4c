"""Regions (Kemendagri codes), the institution tree, complaint-team decrees and categories."""

from __future__ import annotations

from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

WIB, WITA, WIT = "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"
TIMEZONE_CHOICES = [(WIB, "WIB (UTC+7)"), (WITA, "WITA (UTC+8)"), (WIT, "WIT (UTC+9)")]


class Region(models.Model):
    """A province or a regency/city, keyed by its official Kemendagri code.

    Province codes have two digits ("64"); regencies and cities "PP.RR" ("64.72").
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("Provinsi")
        REGENCY = "regency", _("Kabupaten")
        CITY = "city", _("Kota")

    code = models.CharField(max_length=8, unique=True)
    name = models.CharField(max_length=120)
    level = models.CharField(max_length=10, choices=Level.choices)
    province = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    timezone = models.CharField(max_length=32, choices=TIMEZONE_CHOICES, default=WIB)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level="province", province__isnull=True)
                | (~Q(level="province") & Q(province__isnull=False)),
                name="region_province_link",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def province_code(self) -> str:
        return self.code.split(".")[0]


class InstitutionQuerySet(QuerySet["Institution"]):
    def subtree_of(self, institution: Institution) -> InstitutionQuerySet:
        return self.filter(path__startswith=institution.path)

    def active(self) -> InstitutionQuerySet:
        return self.filter(is_active=True)


class Institution(models.Model):
    """A node of the institution tree: the national body, K/L/D, their OPD and units.

    `path` is a materialised path ("000001.000007.") so that "this institution and everything
    below it" is one indexed prefix filter. It is maintained by lapor.institutions.services.
    """

    class Kind(models.TextChoices):
        NATIONAL = "national", _("Pengelola nasional")
        MINISTRY = "ministry", _("Kementerian")
        AGENCY = "agency", _("Lembaga")
        PROVINCE = "province", _("Pemerintah provinsi")
        REGENCY = "regency", _("Pemerintah kabupaten")
        CITY = "city", _("Pemerintah kota")
        DEPARTMENT = "department", _("Perangkat daerah / unit eselon")
        UNIT = "unit", _("Unit kerja")

    # Kinds that are a K/L/D in their own right: the level that owns a report's clock.
    TOP_LEVEL_KINDS = frozenset({"ministry", "agency", "province", "regency", "city"})

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT)
    timezone = models.CharField(
        max_length=32,
        choices=TIMEZONE_CHOICES,
        blank=True,
        help_text=_("Kosongkan untuk mengikuti provinsi wilayahnya."),
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    is_active = models.BooleanField(default=True)

    objects = InstitutionQuerySet.as_manager()

    class Meta:
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    @property
    def effective_timezone(self) -> str:
        """The zone deadlines are counted in: own setting, else the region's province, else WIB."""
        if self.timezone:
            return self.timezone
        if self.region is not None:
            if self.region.province is not None:
                return self.region.province.timezone
            return self.region.timezone
        return WIB

    @property
    def province_code(self) -> str | None:
        """Kemendagri province code whose regional holidays apply, if any."""
        return self.region.province_code if self.region is not None else None

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.split(".") if part]

    def is_within(self, other: Institution) -> bool:
        """True if self is `other` or lies in other's subtree."""
        return self.path.startswith(other.path)

    def top_level(self) -> Institution | None:
        """The nearest K/L/D at or above this node (None for the national body)."""
        node: Institution | None = self
        while node is not None:
            if node.kind in self.TOP_LEVEL_KINDS:
                return node
            node = node.parent
        return None


class ComplaintTeamDecree(models.Model):
    """SK Tim Pengelola Pengaduan: the decree appointing an institution's complaint team."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="decrees")
    number = models.CharField(_("nomor SK"), max_length=120)
    issued_on = models.DateField(_("tanggal SK"))
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True)
    document = models.FileField(_("dokumen"), upload_to="decrees/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on"]

    def __str__(self) -> str:
        return f"{self.number} ({self.institution})"


class ComplaintTeamMember(models.Model):
    decree = models.ForeignKey(
        ComplaintTeamDecree, on_delete=models.CASCADE, related_name="members"
    )
    name = models.CharField(max_length=200)
    position = models.CharField(_("jabatan"), max_length=200)
    team_role = models.CharField(_("peran dalam tim"), max_length=120)
    user = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.name} — {self.team_role}"


class Category(models.Model):
    """A topic in the category tree (e.g. Pendidikan > Sekolah > Pungutan liar)."""

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=160)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name if self.parent is None else f"{self.parent} › {self.name}"


class ReferenceStamp(models.Model):
    """One row whose value changes, in the same transaction, whenever a reference table changes.

    The value is set to a fresh random string by database triggers on every watched table
    (lapor/institutions/stamps.py), so no write escapes it: services, the admin, `.update()`,
    bulk loads, raw SQL, another node. The process-wide reference cache
    (lapor/institutions/refcache.py) keeps what it loaded under the value it saw.
    """

    SINGLETON_ID = 1

    value = models.CharField(max_length=40)

    def __str__(self) -> str:
        return self.value
