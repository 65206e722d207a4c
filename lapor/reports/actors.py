"""Who acts on a report: a logged-in user, a guest holding a report's secret, or the system."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Union

if TYPE_CHECKING:
    from lapor.accounts.models import User


@dataclass(frozen=True)
class GuestActor:
    """A reporter without an account, proven by the secret of their report's private link."""

    secret: str


@dataclass(frozen=True)
class SystemActor:
    """The system itself: sweeps, channel gateways. `name` says which part acted."""

    name: str = "system"


SYSTEM = SystemActor()

Actor = Union["User", GuestActor, SystemActor]
