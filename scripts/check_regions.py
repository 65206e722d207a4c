#!/usr/bin/env python3
"""Validate regions.csv (Indonesian provinces and regencies/cities, Kemendagri codes).

Standalone, stdlib only. Usage:

    python check_regions.py [path/to/regions.csv]

Exits 0 and prints a summary when every check passes, 1 otherwise.
"""

import csv
import re
import sys
from collections import Counter
from pathlib import Path

HEADER = ["code", "name", "level", "province_code", "timezone"]
EXPECTED = {"province": 38, "regency": 416, "city": 98}
TIMEZONES = {"Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"}
PROVINCE_CODE = re.compile(r"^\d{2}$")
REGION_CODE = re.compile(r"^(\d{2})\.(\d{2})$")

# Spot checks. Kemendagri codes, which differ from BPS codes in Kalimantan
# Timur (BPS: 64.02 Kutai Barat, 64.03 Kutai Kartanegara, 64.04 Kutai Timur,
# 64.05 Berau).
SPOT = {
    "31": "Daerah Khusus Ibukota Jakarta",
    "31.01": "Kabupaten Administrasi Kepulauan Seribu",
    "64": "Kalimantan Timur",
    "64.01": "Kabupaten Paser",
    "64.02": "Kabupaten Kutai Kartanegara",
    "64.03": "Kabupaten Berau",
    "64.07": "Kabupaten Kutai Barat",
    "64.08": "Kabupaten Kutai Timur",
    "64.09": "Kabupaten Penajam Paser Utara",
    "64.11": "Kabupaten Mahakam Ulu",
    "64.71": "Kota Balikpapan",
    "64.72": "Kota Samarinda",
    "64.74": "Kota Bontang",
    "93": "Papua Selatan",
    "94": "Papua Tengah",
    "95": "Papua Pegunungan",
    "96": "Papua Barat Daya",
}
SPOT_TIMEZONE = {
    "61": "Asia/Jakarta",
    "62": "Asia/Jakarta",
    "63": "Asia/Makassar",
    "51": "Asia/Makassar",
    "81": "Asia/Jayapura",
    "96": "Asia/Jayapura",
}


def check(path):
    errors = []
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header != HEADER:
            errors.append(f"header is {header}, expected {HEADER}")
        rows = [r for r in reader]

    records = []
    for lineno, r in enumerate(rows, start=2):
        if len(r) != len(HEADER):
            errors.append(f"line {lineno}: {len(r)} fields")
            continue
        rec = dict(zip(HEADER, r))
        rec["line"] = lineno
        if any(v != v.strip() for v in r) or "  " in rec["name"] or not rec["name"]:
            errors.append(f"line {lineno}: blank name or stray whitespace")
        records.append(rec)

    codes = [r["code"] for r in records]
    for code, n in Counter(codes).items():
        if n > 1:
            errors.append(f"duplicate code {code} ({n} times)")
    if codes != sorted(codes):
        errors.append("rows are not sorted by code")

    provinces = {r["code"]: r for r in records if r["level"] == "province"}
    per_province = Counter()
    for r in records:
        where = f"line {r['line']} ({r['code']})"
        level = r["level"]
        if level == "province":
            if not PROVINCE_CODE.match(r["code"]):
                errors.append(f"{where}: province code must be two digits")
            if r["province_code"]:
                errors.append(f"{where}: province must have empty province_code")
            if r["timezone"] not in TIMEZONES:
                errors.append(f"{where}: timezone {r['timezone']!r} not one of {sorted(TIMEZONES)}")
        elif level in ("regency", "city"):
            m = REGION_CODE.match(r["code"])
            if not m:
                errors.append(f"{where}: code must be PP.RR")
            elif m.group(1) != r["province_code"]:
                errors.append(f"{where}: province_code {r['province_code']!r} does not match code")
            if r["province_code"] not in provinces:
                errors.append(f"{where}: province {r['province_code']!r} not in file")
            if r["timezone"]:
                errors.append(f"{where}: regency/city must have empty timezone")
            prefix = "Kabupaten " if level == "regency" else "Kota "
            if not r["name"].startswith(prefix):
                errors.append(f"{where}: {level} name must start with {prefix.strip()!r}")
            per_province[r["province_code"]] += 1
        else:
            errors.append(f"{where}: unknown level {level!r}")

    counts = Counter(r["level"] for r in records)
    for level, n in EXPECTED.items():
        if counts[level] != n:
            errors.append(f"{counts[level]} rows of level {level}, expected {n}")
    for code in provinces:
        if per_province[code] == 0:
            errors.append(f"province {code} has no regency or city")

    by_code = {r["code"]: r for r in records}
    for code, name in SPOT.items():
        got = by_code.get(code, {}).get("name")
        if got != name:
            errors.append(f"spot check {code}: {got!r}, expected {name!r}")
    for code, tz in SPOT_TIMEZONE.items():
        got = by_code.get(code, {}).get("timezone")
        if got != tz:
            errors.append(f"spot check timezone {code}: {got!r}, expected {tz!r}")
    jakarta = Counter(r["level"] for r in records if r["province_code"] == "31")
    if jakarta != Counter({"regency": 1, "city": 5}):
        errors.append(f"DKI Jakarta (31) has {dict(jakarta)}, expected 1 regency and 5 cities")
    kaltim = sorted(r["code"] for r in records if r["province_code"] == "64")
    if len(kaltim) != 10:
        errors.append(f"Kalimantan Timur (64) has {len(kaltim)} regencies/cities, expected 10")

    tz_counts = Counter(p["timezone"] for p in provinces.values())
    return errors, counts, tz_counts, per_province, len(records)


def main():
    path = (
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else Path(__file__).resolve().parent.parent
        / "lapor"
        / "institutions"
        / "data"
        / "regions.csv"
    )
    errors, counts, tz_counts, per_province, total = check(path)
    print(f"{path}: {total} rows")
    print(
        f"  provinces: {counts['province']}  regencies (kabupaten): {counts['regency']}"
        f"  cities (kota): {counts['city']}  regencies+cities: {counts['regency'] + counts['city']}"
    )
    print(
        "  provinces per timezone: " + ", ".join(f"{tz} {n}" for tz, n in sorted(tz_counts.items()))
    )
    if errors:
        print(f"FAILED: {len(errors)} problem(s)")
        for e in errors:
            print("  - " + e)
        return 1
    print("OK: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
