"""Which receiver URLs a webhook may be sent to: https (http only when allowed) and a host
that resolves to public addresses only.

A subscription URL is typed by an institution; without this check it could make our workers
POST to the loopback interface, the private network or a cloud metadata endpoint (SSRF).
Checked when a subscription is created or changed, and again before every delivery (a name
may resolve elsewhere later). Switches (settings, false in production by default):
WEBHOOK_ALLOW_HTTP (also implied by DEBUG) and WEBHOOK_ALLOW_PRIVATE_ADDRESSES.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

MAX_URL_LENGTH = 500


class UnsafeUrl(ValueError):
    """The URL may not receive webhooks; the message says why (for people)."""


def http_allowed() -> bool:
    return bool(settings.DEBUG or settings.WEBHOOK_ALLOW_HTTP)


def private_addresses_allowed() -> bool:
    return bool(settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES)


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (an IP literal resolves to itself)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


def check_url(url: str, *, resolve_host: bool = True) -> str:
    """The URL, if webhooks may be sent to it; UnsafeUrl otherwise."""
    if len(url) > MAX_URL_LENGTH:
        raise UnsafeUrl(_("URL terlalu panjang (maksimal %d karakter).") % MAX_URL_LENGTH)
    schemes = ["https", "http"] if http_allowed() else ["https"]
    try:
        URLValidator(schemes=["http", "https"])(url)
    except DjangoValidationError:
        raise UnsafeUrl(_("Bukan URL http(s) yang valid.")) from None
    parts = urlsplit(url)
    if parts.scheme not in schemes:
        raise UnsafeUrl(_("URL penerima harus memakai https."))
    if parts.username or parts.password:
        raise UnsafeUrl(_("URL tidak boleh memuat nama pengguna atau kata sandi."))
    if not resolve_host or private_addresses_allowed():
        return url
    host = parts.hostname or ""
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        addresses = resolve(host, port)
    except (OSError, UnicodeError, ValueError):
        raise UnsafeUrl(_("Nama host %(host)s tidak dapat di-resolve.") % {"host": host}) from None
    blocked = [a for a in addresses if not _is_public(a)]
    if not addresses or blocked:
        raise UnsafeUrl(
            _(
                "Host %(host)s mengarah ke alamat lokal atau privat (%(addresses)s); "
                "webhook hanya dikirim ke alamat publik."
            )
            % {"host": host, "addresses": ", ".join(blocked) or "-"}
        )
    return url
