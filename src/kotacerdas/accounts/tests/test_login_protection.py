"""Logging in: the login page works, repeated failures lock the username out (django-axes),
sessions end after a working day, and cookies are secure behind HTTPS."""

from django.conf import settings

from kotacerdas.conftest import ROLE_PASSWORD


def _login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_a_user_logs_in_and_lands_on_their_account(client, dave):
    response = _login(client, "dave", ROLE_PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/start/"
    assert "Kabupaten Banjar" in client.get("/accounts/").content.decode()


def test_it_handles_a_wrong_password(client, dave):
    response = _login(client, "dave", "not-the-password")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_repeated_failures_lock_the_account_out_even_with_the_right_password(client, dave):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "dave", "guess")
    response = _login(client, "dave", ROLE_PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "Too many failed logins" in _login(client, "dave", ROLE_PASSWORD).content.decode()


def test_another_user_is_not_locked_out_by_someone_elses_failures(client, dave, erin):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "dave", "guess")
    assert _login(client, "erin", ROLE_PASSWORD).status_code == 302


def test_axes_checks_logins_first_and_its_middleware_comes_last():
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"


def test_a_session_lasts_a_working_day():
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60


def test_logging_out_needs_a_post_and_ends_the_session(client, dave):
    client.force_login(dave)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/accounts/").status_code == 302
