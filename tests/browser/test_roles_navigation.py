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
    "alice": {"agency-import", "accounts", "history", "admin", "mentoring", "account", "notifications", "logout"},
    "bob": {"account", "notifications", "logout"},
    "carol": {"mentoring", "account", "notifications", "logout"},
    "dave": {"my-region", "my-agencies", "my-institutions", "mentoring", "account", "notifications", "logout"},
}


def _nav(page):
    return set(page.locator("header [data-nav]").evaluate_all("elements => elements.map(e => e.dataset.nav)"))


def _log_in(page, base, username):
    page.goto(base + "/accounts/login/")
    page.fill("input[name='username']", username)
    page.fill("input[name='password']", ROLE_PASSWORD)
    page.locator("main form button[type='submit']").click()
    page.wait_for_url(re.compile(r"/accounts/$"))


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
