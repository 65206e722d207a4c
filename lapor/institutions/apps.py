from typing import Any

from django.apps import AppConfig

from lapor.institutions.stamps import WATCHED
from lapor.lib import memo


class InstitutionsConfig(AppConfig):
    name = "lapor.institutions"
    label = "institutions"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        post_save.connect(_forget_on_write, weak=False, dispatch_uid="refcache-forget-save")
        post_delete.connect(_forget_on_write, weak=False, dispatch_uid="refcache-forget-delete")


def _forget_on_write(sender: Any, **kwargs: Any) -> None:
    """A request that writes a reference row reads its own write afterwards: the stamp it
    remembered is dropped, so its next read sees the stamp its write changed. (`.update()` and
    bulk writes send no signal; code that reads back after one calls `memo.forget()`.)"""
    if sender._meta.db_table in WATCHED:
        memo.forget()
