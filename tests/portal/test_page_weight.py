"""The report form must stay light for slow phones: under 100 KB transferred.

Measured as a browser on a first visit receives it: the page HTML plus every stylesheet and
script it references, each GZIP-compressed (production serves compressed static files through
whitenoise, and HTML through a compressing proxy or GZipMiddleware). The data is made
production-sized first: every regency (the no-JavaScript list), ~700 institutions, a
category tree of ~150 topics.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client

from lapor.institutions.models import Category, Institution
from tests.factories import World

pytestmark = pytest.mark.django_db

LIMIT = 100_000  # bytes, compressed, HTML + CSS + JS


def _production_sized(world: World) -> None:
    Institution.objects.bulk_create(
        Institution(
            code=f"BULK{n:04d}",
            name=f"Pemerintah Kabupaten Contoh Nama Panjang Nomor {n:04d}",
            kind="regency",
            path=f"{900000 + n:06d}.",
        )
        for n in range(700)
    )
    for n in range(30):
        parent = Category.objects.create(code=f"K{n:02d}", name=f"Topik utama nomor {n}")
        Category.objects.bulk_create(
            Category(code=f"K{n:02d}-{m}", name=f"Subtopik {m} dari topik {n}", parent=parent)
            for m in range(4)
        )


def test_the_submit_page_transfers_under_100_kb(world: World) -> None:
    _production_sized(world)
    response = Client().get("/lapor/")
    assert response.status_code == 200
    page = response.content
    sizes = {"page": len(gzip.compress(page, compresslevel=6))}
    assets = re.findall(rb'(?:href|src)="(' + settings.STATIC_URL.encode() + rb'[^"]+)"', page)
    assert len(assets) >= 3  # pico, lapor.css, htmx
    for url in assets:
        relative = url.decode()[len(settings.STATIC_URL) :]
        found = finders.find(relative)
        assert found, f"referenced static file missing: {relative}"
        data = Path(str(found)).read_bytes()
        sizes[relative] = len(gzip.compress(data, compresslevel=9))
    total = sum(sizes.values())
    assert total < LIMIT, sizes
    # Sanity: the realistic data really is on the page (the measurement is not of a stub).
    assert page.count(b"<option") > 500 + 700
