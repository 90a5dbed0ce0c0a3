"""Builders the API tests of every app share."""


def bearer(user, name="test"):
    """Client keyword arguments that send a new API token of ``user`` (a script's credentials)."""
    from kotacerdas.accounts.services import create_token

    return {"HTTP_AUTHORIZATION": f"Bearer {create_token(user, name)[1]}"}
