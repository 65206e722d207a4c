"""Project-wide system checks (lapor/checks.py)."""

from __future__ import annotations

from pathlib import Path

from lapor.checks import check_production_settings

MANIFEST_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"


def _ids() -> set[str]:
    return {problem.id for problem in check_production_settings(None)}


def test_uncollected_static_files_are_flagged_when_debug_is_off(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = False
    settings.SECRET_KEY = "k" * 50
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST_STORAGE}}
    assert "lapor.W002" in _ids()
    (tmp_path / "staticfiles.json").write_text('{"paths": {}, "version": "1.1"}')
    assert "lapor.W002" not in _ids()


def test_debug_needs_no_collected_static_files(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = True
    settings.STATIC_ROOT = tmp_path
    assert "lapor.W002" not in _ids()
