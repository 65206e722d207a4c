"""Who may open which dashboard, and who may write what (action plans, decisions).

Every staff role reads the dashboards of its subtree (its membership's institution and
everything below it); national admins and auditors read everything. Leadership and auditors
only read. An institution outside the viewer's scope is answered with 404, so its existence
is not confirmed either.
"""

from __future__ import annotations

from dataclasses import dataclass

from lapor.accounts.models import Membership, Role, User
from lapor.dashboards.tree import Node
from lapor.institutions.models import Institution
from lapor.reports.permissions import active_memberships

EVERYTHING_ROLES = frozenset({Role.NATIONAL_ADMIN, Role.AUDITOR})
PLAN_EDITOR_ROLES = frozenset({Role.INSTITUTION_ADMIN})


@dataclass(frozen=True)
class Viewer:
    user: User
    memberships: list[Membership]

    @classmethod
    def of(cls, user: User) -> Viewer:
        return cls(user, active_memberships(user))

    @property
    def is_staff(self) -> bool:
        return bool(self.memberships)

    @property
    def sees_everything(self) -> bool:
        return any(m.role in EVERYTHING_ROLES for m in self.memberships)

    @property
    def is_national_admin(self) -> bool:
        return any(m.role == Role.NATIONAL_ADMIN for m in self.memberships)

    @property
    def roots(self) -> list[Institution]:
        """The institutions whose subtrees the viewer reads (empty: everything)."""
        if self.sees_everything:
            return []
        seen: dict[int, Institution] = {}
        for m in self.memberships:
            seen.setdefault(m.institution.pk, m.institution)
        return sorted(seen.values(), key=lambda i: i.path)

    def can_view(self, node: Node | Institution | None) -> bool:
        """National scope (None) needs a national role; an institution needs it in a subtree."""
        if self.sees_everything:
            return True
        if node is None:
            return False
        return any(node.path.startswith(m.institution.path) for m in self.memberships)

    def can_edit_plans(self, node: Node | Institution) -> bool:
        """Institution admins of the institution (or above it) and national admins."""
        if self.is_national_admin:
            return True
        return any(
            m.role in PLAN_EDITOR_ROLES and node.path.startswith(m.institution.path)
            for m in self.memberships
        )

    @property
    def can_decide(self) -> bool:
        """Only the national admin records award and sanction decisions."""
        return self.is_national_admin

    def positions(self) -> list[str]:
        return [f"{m.get_role_display()}, {m.institution.name}" for m in self.memberships]
