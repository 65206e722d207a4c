"""Browser tests: Playwright driving Debian's Chromium against the live test server.

`make test` installs the `chromium` package when it is missing. A missing browser is a failure
here, never a skip: the suite must not go green without having driven a real browser.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run under a
# running loop unless told this is intended (the test thread only reads and writes test data).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = Path(os.environ.get("SCREENSHOT_DIR", str(ROOT / "var" / "screenshots")))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run `make test` (it installs Debian's chromium) "
            "or `apt-get install -y chromium`."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _new_page(browser: Any, live_server: Any, *, locale: str, width: int, height: int) -> Any:
    context = browser.new_context(
        base_url=live_server.url, locale=locale, viewport={"width": width, "height": height}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    # Nothing may be fetched from outside: every asset is vendored.
    page.route(
        re.compile(r"^https?://(?!localhost|127\.0\.0\.1).*"),
        lambda route: pytest.fail(f"page requested an outside URL: {route.request.url}"),
    )
    return page


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A phone-sized page (360 px wide) in Indonesian, on the live test server."""
    page = _new_page(browser, live_server, locale="id-ID", width=360, height=780)
    yield page
    page.context.close()


@pytest.fixture
def desk_page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A desktop-sized page, for staff screens."""
    page = _new_page(browser, live_server, locale="id-ID", width=1280, height=900)
    yield page
    page.context.close()


@pytest.fixture
def new_page(browser: Any, live_server: Any) -> Any:
    """Factory for more pages (another person, another language) in the same test."""
    pages: list[Any] = []

    def make(locale: str = "id-ID", width: int = 1280, height: int = 900) -> Any:
        page = _new_page(browser, live_server, locale=locale, width=width, height=height)
        pages.append(page)
        return page

    yield make
    for page in pages:
        page.context.close()


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot as SCREENSHOT_DIR/<name>.png (`make screenshots`)."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def login(page: Any, username: str, password: str) -> None:
    page.goto("/akun/masuk/")
    page.get_by_label(re.compile("Nama pengguna|Username", re.I)).fill(username)
    page.get_by_label(re.compile("Kata sandi|Password", re.I)).fill(password)
    page.get_by_role("button", name=re.compile("Masuk|Log in", re.I)).click()
    page.wait_for_load_state()
