"""Browser fixtures: Debian's chromium driven by Playwright's sync API.

Never downloads a browser: it launches /usr/bin/chromium. Where that is missing
the browser tests are skipped, unless REQUIRE_BROWSER=1 (as in CI), where they fail.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def _browser_required() -> bool:
    return os.environ.get("REQUIRE_BROWSER") == "1"


def _unavailable(reason: str):
    if _browser_required():
        pytest.fail(f"REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(f"{reason} (set REQUIRE_BROWSER=1 to make this an error)")


@pytest.fixture(scope="session")
def browser():
    """One headless chromium for the whole session."""
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")

    # Playwright's sync API keeps an asyncio loop running in the main thread for as
    # long as it is open; Django would then refuse the ORM calls the tests make
    # (and the live server's in-memory SQLite connection is shared with them).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
            )
            try:
                yield browser
            finally:
                browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_context(browser):
    """Open browser contexts (one per simulated device); all closed after the test."""
    contexts = []

    def make(**options):
        options.setdefault("viewport", DESKTOP)
        options.setdefault("locale", "zh-CN")
        options.setdefault("timezone_id", "Asia/Shanghai")
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    """A desktop-sized (1280×800) page."""
    return new_context().new_page()
