"""Human-friendly tracking numbers: "26-7K3M-9Q2X".

Two digits of the year, seven random Crockford base-32 symbols and one check symbol. Crockford's
alphabet has no I, L, O or U, so a number read over the phone or typed from a letter survives the
usual confusions (O->0, I/L->1 are folded back when parsing). The check symbol (Damm's
algorithm over GF(32)) catches every single-symbol typo and every swap of two adjacent symbols
before a lookup is even made.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUE = {symbol: index for index, symbol in enumerate(ALPHABET)}
_FOLD = str.maketrans({"O": "0", "I": "1", "L": "1"})
RANDOM_LENGTH = 7


_GF32_POLY = 0b100101  # x^5 + x^2 + 1, irreducible over GF(2)


def _times_x(value: int) -> int:
    """Multiply by x (the element 2) in GF(32)."""
    value <<= 1
    return value ^ _GF32_POLY if value & 0b100000 else value


def _damm_interim(symbols: str) -> int:
    # Damm's quasigroup x*y = 2x + y over GF(32) is totally anti-symmetric, which is what makes
    # every single substitution and every adjacent transposition detectable.
    interim = 0
    for symbol in symbols:
        interim = _times_x(interim) ^ _VALUE[symbol]
    return interim


def _check_symbol(body: str) -> str:
    # The check symbol c makes the whole sequence reduce to 0: 2*interim + c == 0.
    return ALPHABET[_times_x(_damm_interim(body))]


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
    if _damm_interim(compact) != 0:
        return None
    return format_tracking_number(compact)
