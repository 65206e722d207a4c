"""Removal of personal data from free text shown to people who must not see it.

Public pages, exports and notifications show report text written by citizens, who often type
their NIK, phone number or e-mail address into it. This module masks those with fixed
Indonesian placeholders. It is pure (no Django) so every output path can share it.

Design notes:

* Recognition works on "number chains": maximal runs of digit groups joined by one separator
  (space, dot or hyphen, or a parenthesised area code). The regex that finds a chain can never
  fail once it has matched its first group, so it never backtracks; the decision about what a
  chain contains is plain Python that looks at a bounded window of groups from each position.
  Together this keeps redaction linear in the input size, also on hostile input.
* Every placeholder contains no digit and no "@", so a second pass finds nothing new: the
  function is idempotent.
* False positives are avoided by structure, not by context words: dates, times, money
  (thousands grouped by dots, or preceded by "Rp"), Kemendagri region codes and tracking numbers
  do not have the shape of a phone number or of a 16-digit NIK.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

ANONYMOUS_LABEL = "Pelapor anonim"

NIK_PLACEHOLDER = "[NIK disembunyikan]"
PHONE_PLACEHOLDER = "[nomor telepon disembunyikan]"
EMAIL_PLACEHOLDER = "[email disembunyikan]"

NIK_DIGITS = 16

# Characters allowed in the local part of an address (RFC 5322 "atext" plus the dot).
_LOCAL_CHARS = r"A-Za-z0-9!#$%&'*+/=?^_`{|}~.\-"
# The first lookbehind makes the scan start only at the beginning of a run of local-part
# characters: without it, a long run with no "@" would be rescanned from every position
# (quadratic). The second keeps a second pass from starting an address right after a
# placeholder where the first pass saw the end of a longer word ("a@b.co/@c.de").
_EMAIL_RE = re.compile(
    rf"(?<![{_LOCAL_CHARS}])(?<!disembunyikan\])"
    rf"[{_LOCAL_CHARS}]++@[A-Za-z0-9\-]++(?:\.[A-Za-z0-9\-]++)+"
)

# A chain: optional "+" (international prefix), then digit groups; a group may be a
# parenthesised area code such as "(0541)". Groups are joined by exactly one space, dot or
# hyphen; after a ")" the separator is optional ("(021)5551234"). ASCII digits only, on
# purpose: \d would also match digits of other scripts that nobody types in an NIK.
_GROUP = r"(?:\([0-9]++\)|[0-9]++)"
_CHAIN_RE = re.compile(rf"(?:\+ ?)?{_GROUP}(?:(?:[ .\-]|(?<=\))[ .\-]?){_GROUP})*")
_GROUP_RE = re.compile(r"\(([0-9]+)\)|([0-9]+)")
# "Rp 1.500.000", "Rp1500000", "Rp. 62.812.345": a chain right after this is money.
_MONEY_PREFIX_RE = re.compile(r"rp\.? ?\Z", re.IGNORECASE)

# Longest phone number we consider, in digits (E.164 maximum).
_MAX_PHONE_DIGITS = 15
# Indonesian national significant numbers (without the leading 0 or +62): a 2-4 digit area
# code or 3-digit mobile prefix and the subscriber number. Fixed lines are at least 8 digits
# ("761 12345"), mobiles at most 12 ("812 3456 78901").
_NSN_MIN, _NSN_MAX = 8, 12
# Area codes and mobile prefixes never start with 0 or 1; this keeps "0123 4567 8901"
# (an account number) and dates such as "01-12-2025 ..." from being taken for phones.
_NSN_FIRST_DIGITS = frozenset("23456789")


@dataclass(frozen=True, slots=True)
class _Group:
    digits: str
    start: int
    end: int
    paren: bool


def redact_personal_data(text: str) -> str:
    """Return ``text`` with NIKs, phone numbers and e-mail addresses replaced by placeholders.

    Masks 16-digit NIKs (also written in groups separated by spaces, dots or hyphens) and any
    other run of 16 or more digits, Indonesian phone numbers in their usual written forms and
    international numbers written with "+", and e-mail addresses. Idempotent; linear time.
    """
    if not text:
        return text
    if "@" in text:
        text = _EMAIL_RE.sub(_replace_email, text)
    return _CHAIN_RE.sub(_replace_chain, text)


def mask_name(name: str) -> str:
    """Shorten a reporter's name for public display: "Siti Rahmawati" -> "Siti R.".

    The first word is kept, later words become initials. A first word that looks like contact
    data (contains a digit or "@") is reduced to its initial too, so a phone number typed into
    the name field never reaches a public page.
    """
    words = [w for w in name.split() if any(ch.isalpha() for ch in w)]
    if not words:
        return ""
    first, rest = words[0], words[1:]
    if any(ch.isdigit() or ch == "@" for ch in first):
        first = _initial(first)
    return " ".join([first, *(_initial(w) for w in rest)])


def _initial(word: str) -> str:
    letter = next(ch for ch in word if ch.isalpha())
    return f"{letter.upper()}."


def _replace_email(match: re.Match[str]) -> str:
    address = match.group(0)
    labels = address[address.rindex("@") + 1 :].split(".")
    # A top-level domain always has a letter: "versi@1.2" is no address. The regex is greedy,
    # so "budi@gmail.com.6472011234560001" must end at the last label that can be a TLD; the
    # rest stays text (and the number pass then masks it). Cutting here rather than refusing
    # keeps redaction idempotent: what follows the address cannot change the decision.
    for end in range(len(labels), 1, -1):
        if any(ch.isalpha() for ch in labels[end - 1]):
            return "".join([EMAIL_PLACEHOLDER, *(f".{label}" for label in labels[end:])])
    return address


def _replace_chain(match: re.Match[str]) -> str:
    chain = match.group(0)
    if len(chain) < 8:  # too few characters for any number we mask (8-digit NSN + "0")
        return chain
    groups = [
        _Group(m.group(1) or m.group(2), m.start(), m.end(), m.group(1) is not None)
        for m in _GROUP_RE.finditer(chain)
    ]
    seps = [""] + [chain[a.end : b.start] for a, b in itertools.pairwise(groups)]
    has_plus = chain.startswith("+")
    after_money = _MONEY_PREFIX_RE.search(match.string, max(0, match.start() - 4), match.start())

    pieces: list[str] = []
    emitted = 0  # index in `chain` up to which text has been copied to `pieces`
    i = 0
    while i < len(groups):
        money_start = i == 0 and after_money is not None
        end, placeholder = _match_at(groups, seps, i, has_plus=has_plus, money=money_start)
        if end == i:
            i += 1
            continue
        start, stop = groups[i].start, groups[end - 1].end
        if placeholder == PHONE_PLACEHOLDER and i == 0 and has_plus:
            start = 0  # the "+" belongs to the number
        elif end == i + 1 and groups[i].paren:
            start, stop = start + 1, stop - 1  # "(6472011234560001)": keep the brackets
        pieces += [chain[emitted:start], placeholder]
        emitted = stop
        i = end
    pieces.append(chain[emitted:])
    return "".join(pieces)


def _match_at(
    groups: list[_Group], seps: list[str], i: int, *, has_plus: bool, money: bool
) -> tuple[int, str]:
    """Return (end, placeholder) for personal data starting at group ``i``; end == i if none."""
    # Any run of 16+ digits is masked whatever its context: it is an NIK, a family-card number,
    # a civil-servant number or a bank/card number, all personal.
    if len(groups[i].digits) >= NIK_DIGITS:
        return i + 1, NIK_PLACEHOLDER
    if money:
        return i, ""
    end = _grouped_nik_end(groups, seps, i)
    if end:
        return end, NIK_PLACEHOLDER
    end = _phone_end(groups, seps, i, plus=has_plus and i == 0)
    if end:
        return end, PHONE_PLACEHOLDER
    return i, ""


def _looks_like_thousands(groups: list[_Group], seps: list[str]) -> bool:
    # "1.500.000": dots with groups of exactly three digits after the first are money.
    return (
        len(groups) > 1
        and all(s == "." for s in seps[1:])
        and all(len(g.digits) == 3 for g in groups[1:])
    )


def _grouped_nik_end(groups: list[_Group], seps: list[str], i: int) -> int | None:
    """A 16-digit NIK written in groups with one consistent separator ("6472 0112 3456 0001")."""
    first = groups[i]
    if first.paren or len(first.digits) < 2 or first.digits[0] == "0" or i + 1 >= len(groups):
        return None
    sep = seps[i + 1]
    if sep not in (" ", ".", "-"):
        return None
    total = len(first.digits)
    j = i + 1
    while j < len(groups) and total < NIK_DIGITS:
        group = groups[j]
        if seps[j] != sep or group.paren or len(group.digits) < 2:
            return None
        total += len(group.digits)
        j += 1
    candidate = groups[i:j]
    if total != NIK_DIGITS or _looks_like_thousands(candidate, seps[i:j]):
        return None
    # "2021 2022 2023 2024" is a list of years; it cannot be an NIK either, because the third
    # group would hold the birth month (digits 9-10) and 19/20 is no month.
    if all(len(g.digits) == 4 and g.digits[:2] in ("19", "20") for g in candidate):
        return None
    return j


def _phone_end(groups: list[_Group], seps: list[str], i: int, *, plus: bool) -> int | None:
    """The longest run of groups starting at ``i`` that reads as one phone number.

    Rules that a longer run cannot repair stop the extension at once, so the work per
    starting group is bounded by the 15-digit maximum, not by the chain's length.
    """
    first = groups[i]
    if not plus and not _national_prefix_ok(first):
        return None
    best = None
    digits = ""
    thousands = True  # every later group so far is ".ddd", as in "1.500.000"
    for j in range(i, len(groups)):
        group = groups[j]
        if j > i:
            # Parentheses only around an area code: first group, or right after "+62".
            if group.paren and not (plus and j == i + 1):
                break
            # One-digit groups read as list items or counts ("0812 3456 7890 1 orang").
            if len(group.digits) < 2 and not group.paren:
                break
            thousands = thousands and seps[j] == "." and len(group.digits) == 3
        digits += group.digits
        if len(digits) > _MAX_PHONE_DIGITS:
            break
        if not (j > i and thousands) and _is_phone_number(digits, plus=plus):
            best = j + 1
    return best


def _national_prefix_ok(first: _Group) -> bool:
    """Whether a number written without "+" can start with this group."""
    if first.paren:
        # "(021)", "(0541)": an area code with its trunk prefix; or a whole number written in
        # parentheses, "(081298765432)".
        return first.digits.startswith("0") and (
            3 <= len(first.digits) <= 5 or len(first.digits) >= 9
        )
    if first.digits.startswith("0"):
        # "0812-...", "021 ...": an area code or mobile prefix, never the two-digit day or
        # month of a date ("08-03-2026 ...").
        return len(first.digits) >= 3
    # "62 812 ..." or "62812...": the country code on its own or glued to the number.
    return first.digits == "62" or (first.digits.startswith("62") and len(first.digits) >= 5)


def _is_phone_number(digits: str, *, plus: bool) -> bool:
    if plus:
        if digits.startswith("62"):
            nsn = digits[2:].removeprefix("0")  # "+62 (0)812..." is a common mistake
            return _NSN_MIN <= len(nsn) <= _NSN_MAX and nsn[:1] in _NSN_FIRST_DIGITS
        return 8 <= len(digits) <= _MAX_PHONE_DIGITS and digits[0] != "0"
    if digits.startswith("0"):
        nsn = digits[1:]
        return _NSN_MIN <= len(nsn) <= _NSN_MAX and nsn[0] in _NSN_FIRST_DIGITS
    # Without "+", only mobiles ("62812...") are accepted: "62.71.01.1001" is a Kemendagri
    # village code in Central Kalimantan, not a phone.
    nsn = digits[2:]
    return digits.startswith("628") and 9 <= len(nsn) <= _NSN_MAX
