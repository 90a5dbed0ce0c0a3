"""Chromium for the browser tests: Debian's package, driven by Playwright.

Without /usr/bin/chromium the tests are skipped on a developer's machine and fail when
KOTACERDAS_REQUIRE_BROWSER is set (as .ci/run does with CI=true), so CI never counts a missing
browser as a pass.
"""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("KOTACERDAS_CHROMIUM", "/usr/bin/chromium")
# Playwright's sync API runs an event loop in the test's thread; the ORM calls the tests make
# there (to set up data) are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _one_request_at_a_time():
    """The live server answers one request at a time. On SQLite the test database is in memory,
    shared by the server's threads, and a second writer is refused at once ("database table is
    locked") where the platform's file database waits for the lock: an autosave still running
    when a whole-page save arrives failed the questionnaire tests under load. Queued requests
    are what a real server with a waiting writer gives too."""
    from django.core.servers.basehttp import WSGIServer
    from django.test.testcases import LiveServerThread

    class SerialServer(WSGIServer):
        # Requests run in the live server's own thread, which already holds the test database's
        # connection (LiveServerThread.run), so the override the threaded server takes is unused.
        def __init__(self, *args, connections_override=None, **kwargs):
            super().__init__(*args, **kwargs)

    LiveServerThread.server_class = SerialServer


_one_request_at_a_time()


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("KOTACERDAS_REQUIRE_BROWSER") or os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
