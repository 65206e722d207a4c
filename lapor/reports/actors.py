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


@dataclass(frozen=True)
class ChannelActor:
    """A message that arrived through a gateway (SMS, e-mail, WhatsApp) from `sender`.

    It acts for the reporter only on a report whose contact (or reporter account) is that same
    phone number or address: the channel has verified the sender, the way a secret link
    verifies a guest.
    """

    channel: str
    sender: str


SYSTEM = SystemActor()

Actor = Union["User", GuestActor, SystemActor, ChannelActor]
