"""Reference rows by code or id, through the process-wide reference cache (refcache.py).

Each returns a private copy (callers may change it) or None when there is no such active row;
a None is never cached, so unknown codes in hostile input cost a query each and no memory.
"""

from __future__ import annotations

from lapor.institutions import refcache
from lapor.institutions.models import Category, Institution, Region


def region_by_code(code: str) -> Region | None:
    """The region with this Kemendagri code, its province loaded."""
    return refcache.remember(
        ("region", code),
        lambda: Region.objects.select_related("province").filter(code=code).first(),
    )


def active_category(*, pk: int | None = None, code: str | None = None) -> Category | None:
    if pk is not None:
        return refcache.remember(
            ("category", pk), lambda: Category.objects.filter(pk=pk, is_active=True).first()
        )
    return refcache.remember(
        ("category-code", code),
        lambda: Category.objects.filter(code=code, is_active=True).first(),
    )


def active_institution(pk: int) -> Institution | None:
    return refcache.remember(
        ("institution", pk), lambda: Institution.objects.filter(pk=pk, is_active=True).first()
    )
