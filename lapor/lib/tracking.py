"""Human-friendly tracking numbers: "26-7K3M-9Q2X".

Two digits of the year, seven random Crockford base-32 symbols and one check symbol. Crockford's
alphabet has no I, L, O or U, so a number read over the phone or typed from a letter survives the
usual confusions (O->0, I/L->1 are folded back when parsing). The check symbol catches every
single-symbol typo and most transpositions before a lookup is even made.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUE = {symbol: index for index, symbol in enumerate(ALPHABET)}
_FOLD = str.maketrans({"O": "0", "I": "1", "L": "1"})
RANDOM_LENGTH = 7


def _check_symbol(body: str) -> str:
    # Weighted sum modulo 31 (a prime) so that swapping two adjacent symbols changes the result.
    total = sum((position + 1) * _VALUE[symbol] for position, symbol in enumerate(body))
    return ALPHABET[total % 31]


def new_tracking_number(year: int) -> str:
    """A fresh tracking number for a report submitted in `year` (uniqueness is the DB's job)."""
    random_part = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    body = f"{year % 100:02d}{random_part}"
    return format_tracking_number(body + _check_symbol(body))


def format_tracking_number(compact: str) -> str:
    return f"{compact[:2]}-{compact[2:6]}-{compact[6:]}"


def normalize_tracking_number(text: str) -> str | None:
    """The canonical form of a typed tracking number, or None if it cannot be one.

    Accepts lower case, spaces, missing or extra dashes and the O/I/L confusions.
    """
    compact = "".join(ch for ch in text.upper() if ch not in " -_.\t").translate(_FOLD)
    if len(compact) != 2 + RANDOM_LENGTH + 1 or not compact[:2].isdigit():
        return None
    if any(ch not in _VALUE for ch in compact):
        return None
    if _check_symbol(compact[:-1]) != compact[-1]:
        return None
    return format_tracking_number(compact)
