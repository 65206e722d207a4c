"""Users, roles and memberships (which institution subtree a staff member serves)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

nik_validator = RegexValidator(r"^\d{16}$", _("NIK harus terdiri dari 16 angka."))


class Role(models.TextChoices):
    NATIONAL_ADMIN = "national_admin", _("Admin nasional")
    INSTITUTION_ADMIN = "institution_admin", _("Admin instansi (koordinator)")
    UNIT_OFFICER = "unit_officer", _("Petugas unit (penghubung)")
    LEADERSHIP = "leadership", _("Pimpinan")
    AUDITOR = "auditor", _("Auditor / Ombudsman")


STAFF_HANDLING_ROLES = frozenset({Role.INSTITUTION_ADMIN, Role.UNIT_OFFICER, Role.NATIONAL_ADMIN})
READ_ONLY_ROLES = frozenset({Role.LEADERSHIP, Role.AUDITOR})


class User(AbstractUser):
    """Anyone who logs in. A user with no membership is a reporter (pelapor)."""

    full_name = models.CharField(_("nama lengkap"), max_length=200, blank=True)
    nik = models.CharField(
        _("NIK"), max_length=16, blank=True, validators=[nik_validator], db_index=True
    )
    phone = models.CharField(_("nomor telepon"), max_length=20, blank=True)
    language = models.CharField(
        _("bahasa"), max_length=5, default="id", choices=[("id", "Indonesia"), ("en", "English")]
    )
    # Set when the account was deleted: personal data erased, reports kept de-identified.
    erased_at = models.DateTimeField(null=True, blank=True)

    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username


class Membership(models.Model):
    """Scopes a staff member to an institution and its whole subtree, in one role.

    National admins and auditors are members of the national body (the tree's root), so their
    scope is every institution.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "institution", "role"], name="unique_membership_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} @ {self.institution}"
