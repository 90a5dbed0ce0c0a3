from django.core.mail.backends.base import BaseEmailBackend


class EmailBackend(BaseEmailBackend):
    """An e-mail backend whose server is always down (for the tests)."""

    def send_messages(self, messages):
        raise ConnectionError("mail server down")
