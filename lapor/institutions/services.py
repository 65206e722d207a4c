"""The only code that creates or moves institutions: it keeps the materialised path right."""

from __future__ import annotations

from django.db import transaction

from lapor.institutions.models import Institution, Region


def _path_for(institution: Institution) -> tuple[str, int]:
    parent = institution.parent
    prefix = parent.path if parent is not None else ""
    depth = parent.depth + 1 if parent is not None else 0
    return f"{prefix}{institution.pk:07d}.", depth


@transaction.atomic
def create_institution(
    *,
    code: str,
    name: str,
    kind: str,
    parent: Institution | None = None,
    region: Region | None = None,
    timezone: str = "",
) -> Institution:
    institution = Institution.objects.create(
        code=code, name=name, kind=kind, parent=parent, region=region, timezone=timezone
    )
    institution.path, institution.depth = _path_for(institution)
    institution.save(update_fields=["path", "depth"])
    return institution


@transaction.atomic
def save_institution(institution: Institution) -> Institution:
    """Save changes made to an institution (e.g. in the admin), re-pathing its subtree if moved."""
    if institution.pk is None:
        institution.save()
    old_path = Institution.objects.filter(pk=institution.pk).values_list("path", flat=True).first()
    parent = institution.parent
    if old_path and parent is not None and parent.path.startswith(old_path):
        raise ValueError("An institution cannot be placed under its own subtree.")
    institution.path, institution.depth = _path_for(institution)
    institution.save()
    if old_path and old_path != institution.path:
        for node in Institution.objects.filter(path__startswith=old_path).exclude(
            pk=institution.pk
        ):
            node.path = institution.path + node.path[len(old_path) :]
            node.depth = node.path.count(".") - 1
            node.save(update_fields=["path", "depth"])
    return institution
