"""A user who forgot their password sets a new one from a link sent by e-mail (stored as a
notification like every other message)."""

import re

from kotacerdas.accounts.models import Notification


def test_a_user_resets_their_password_by_email(client, dave, mailoutbox):
    response = client.post("/accounts/password-reset/", {"email": "dave@example.org"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password-reset/sent/"
    assert Notification.objects.get(recipient=dave).template_name == "accounts/email/password_reset"
    link = re.search(r"http://testserver(/accounts/password/\S+)", mailoutbox[0].body).group(1)
    form = client.get(link, follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": "sungai-martapura-9", "new_password2": "sungai-martapura-9"})
    assert client.post("/accounts/login/", {"username": "dave", "password": "sungai-martapura-9"}).status_code == 302


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, reference_data, mailoutbox):
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302 and mailoutbox == []
