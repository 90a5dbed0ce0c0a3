"""Every response carries the security headers: a page, an API answer and a file download.

The Content Security Policy admits scripts only from this site, so no template may carry an
inline script or an ``on...=`` handler (they would silently stop working)."""

import re
from pathlib import Path

import pytest

import kotacerdas

EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def _assert_security_headers(response):
    for header, value in EXPECTED.items():
        assert response.headers.get(header) == value, header
    policy = response.headers.get("Content-Security-Policy", "")
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "camera=()" in response.headers.get("Permissions-Policy", "")


@pytest.mark.django_db
def test_a_page_carries_the_security_headers(client, reference_data):
    response = client.get("/")
    assert response.status_code == 200
    _assert_security_headers(response)


@pytest.mark.django_db
def test_an_api_response_carries_the_security_headers(client, reference_data):
    response = client.get("/api/v1/regions?limit=1")
    assert response.status_code == 200
    _assert_security_headers(response)


@pytest.mark.django_db
def test_a_file_download_carries_the_security_headers(client, reference_data):
    response = client.get("/phases/2017/?format=xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    _assert_security_headers(response)


TEMPLATES = sorted(Path(kotacerdas.__file__).parent.rglob("templates/**/*.html"))


def test_templates_exist_to_scan():
    assert len(TEMPLATES) > 20


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(Path(kotacerdas.__file__).parent)))
def test_no_template_carries_an_inline_script_or_handler(template):
    text = template.read_text()
    for match in re.finditer(r"<script\b[^>]*>", text):
        assert "src=" in match.group(0) or 'type="application/json"' in match.group(0), match.group(0)
    assert not re.search(r"\son[a-z]+\s*=", text), "inline event handler"
    assert "javascript:" not in text
