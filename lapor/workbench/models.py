"""Reply templates: the polite, consistent phrases an officer starts an answer from."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.utils.translation import gettext_lazy as _

from lapor.institutions.models import Institution


class ReplyTemplateQuerySet(models.QuerySet["ReplyTemplate"]):
    def active(self) -> ReplyTemplateQuerySet:
        return self.filter(is_active=True, institution__is_active=True)

    def for_institutions(self, institutions: Iterable[Institution]) -> ReplyTemplateQuerySet:
        """Templates of these institutions and of every institution above them."""
        ids = {pk for institution in institutions for pk in institution.ancestor_ids()}
        return self.filter(institution_id__in=ids)


class ReplyTemplate(models.Model):
    """A text an institution's officers may insert into a message and edit before sending.

    Templates are master data, managed in the Django admin; officers see those of their own
    institution and of the institutions above it.
    """

    class Kind(models.TextChoices):
        GREETING = "greeting", _("Salam pembuka")
        ANSWER = "answer", _("Jawaban standar")
        CLOSING = "closing", _("Salam penutup")

    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="reply_templates",
        verbose_name=_("instansi"),
    )
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("judul"), max_length=120)
    body = models.TextField(_("isi"))
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReplyTemplateQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "title", "id"]
        verbose_name = _("templat balasan")
        verbose_name_plural = _("templat balasan")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"
