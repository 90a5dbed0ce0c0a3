"""Each role logs in through the login page in Chromium and sees the navigation meant for it."""

import re

import pytest

# The project's shared fixtures live in src/kotacerdas/conftest.py, outside this folder.
from kotacerdas.conftest import (  # noqa: F401
    ROLE_PASSWORD,
    alice,
    bob,
    carol,
    dave,
    erin,
    reference_data,
    role_users,
)

pytestmark = pytest.mark.browser

# The entries of the main navigation and the account links each role sees (data-nav values).
EXPECTED = {
    "alice": {"agency-import", "accounts", "history", "admin", "mentoring", "start", "account", "notifications", "logout"},
    "bob": {"verifications", "start", "account", "notifications", "logout"},
    "carol": {"mentoring", "start", "account", "notifications", "logout"},
    "dave": {"my-region", "my-agencies", "my-institutions", "mentoring", "start", "account", "notifications", "logout"},
}


def _nav(page):
    return set(page.locator("header [data-nav]").evaluate_all("elements => elements.map(e => e.dataset.nav)"))


def _log_in(page, base, username):
    page.goto(base + "/accounts/login/")
    page.fill("input[name='username']", username)
    page.fill("input[name='password']", ROLE_PASSWORD)
    page.locator("main form button[type='submit']").click()
    page.wait_for_url(re.compile(r"/start/$"))


def test_the_public_sees_only_the_login_link(live_server, reference_data, page):
    page.goto(live_server.url + "/")
    assert _nav(page) == {"login"}
    assert page.locator("header nav a[href='/regions/']").count() == 1  # the public entries stay


@pytest.mark.parametrize("username", sorted(EXPECTED))
def test_each_role_sees_its_navigation(live_server, role_users, page, username):
    _log_in(page, live_server.url, username)
    assert _nav(page) == EXPECTED[username]
    assert page.locator("html").get_attribute("lang") == "id"  # the language switch still works
    if username == "dave":
        page.locator("[data-nav='my-region']").click()
        page.wait_for_url(re.compile(r"/accounts/region/63\.03/$"))
        assert "Kabupaten Banjar" in page.locator("h1").text_content()
    page.locator("[data-nav='logout']").click()
    page.wait_for_load_state("load")
    assert _nav(page) == {"login"}


@pytest.mark.parametrize("username", ["alice", "dave"])
def test_the_top_menu_fits_a_390_px_phone(live_server, role_users, browser, username):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
    page = context.new_page()
    try:
        _log_in(page, live_server.url, username)
        # Nothing sticks out sideways: the menu wraps instead of widening the page.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        for box in page.locator("header a, header button").evaluate_all(
            "elements => elements.map(e => e.getBoundingClientRect().right)"
        ):
            assert box <= 390
        page.screenshot(path=str(live_server_screenshot(username)))
    finally:
        context.close()


def live_server_screenshot(username):
    import pathlib
    import tempfile

    return pathlib.Path(tempfile.gettempdir()) / f"kotacerdas-menu-390-{username}.png"
