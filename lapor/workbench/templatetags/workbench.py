"""Template helpers of the workbench."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from lapor.institutions.models import Institution
from lapor.reports.models import Attachment, State
from lapor.workbench import presenters

register = template.Library()


@register.simple_tag
def attachment_url(attachment: Attachment) -> str:
    """The portal's download view (it applies the visibility rule); "" while it is missing."""
    try:
        return reverse("portal:attachment", kwargs={"pk": attachment.pk, "name": attachment.name})
    except NoReverseMatch:
        return ""


@register.filter
def in_zone_of(moment: datetime | None, institution: Institution | None) -> datetime | None:
    return presenters.local_time(moment, institution) if moment else None


@register.filter
def zone_label(institution: Institution | None) -> str:
    return presenters.zone_label(institution)


@register.filter
def state_label(value: str) -> str:
    return str(State(value).label) if value in State.values else value


@register.filter
def filesize_kb(size: int) -> str:
    return f"{max(1, round(size / 1024))} KB"


# Working days of each completion class, for narrow table cells ("HK" = hari kerja).
# Same numbers as the ResolutionClass labels.
CLASS_SHORT = {"short": _("5 HK"), "standard": _("14 HK"), "investigation": _("60 HK")}


@register.filter
def class_short(value: str) -> str:
    return str(CLASS_SHORT.get(value, value))
