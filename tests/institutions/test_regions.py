"""The shipped region data: checked as a file, and as loaded into the database by migration."""

import subprocess
import sys
from pathlib import Path

import pytest

from lapor.institutions.models import Region

ROOT = Path(__file__).resolve().parents[2]


def test_regions_csv_passes_its_checker() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check_regions.py")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_migration_loads_every_province_and_regency() -> None:
    assert Region.objects.filter(level="province").count() == 38
    assert Region.objects.filter(level="regency").count() == 416
    assert Region.objects.filter(level="city").count() == 98
    samarinda = Region.objects.get(code="64.72")
    assert samarinda.name == "Kota Samarinda"
    assert samarinda.province is not None and samarinda.province.code == "64"
    assert samarinda.timezone == "Asia/Makassar"
    assert Region.objects.get(code="94").timezone == "Asia/Jayapura"  # Papua Tengah: WIT
    assert Region.objects.get(code="61").timezone == "Asia/Jakarta"  # Kalimantan Barat: WIB


@pytest.mark.django_db
def test_every_regency_sits_in_a_province_of_the_same_zone() -> None:
    for region in Region.objects.exclude(level="province").select_related("province"):
        assert region.province is not None
        assert region.code.startswith(region.province.code + ".")
        assert region.timezone == region.province.timezone
