"""The data sources page: SOURCES.md as HTML and the MIT notices it quotes."""

import pytest

from kotacerdas.reports.views import licence_notices, markdown_to_html


@pytest.fixture
def client(client):
    """A client that asks for English, so the tests can read the source strings."""
    return client


def test_the_data_sources_page_shows_the_shipped_sources_notes(client, db):
    response = client.get("/data-sources/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h2>Reference data: sources, licenses, transformations</h2>" in html
    assert "<code>regions.csv</code>" in html
    assert '<a href="https://github.com/cahyadsn/wilayah" rel="nofollow">' in html
    assert "<table" in html and "<th>license</th>" in html


def test_the_data_sources_page_reproduces_the_mit_notices(client, db):
    html = client.get("/data-sources/").content.decode()
    assert "Copyright (c) 2017-2025 Cahya DSN" in html
    assert "Copyright (c) 2024 Cahya DSN" in html
    assert html.count("Permission is hereby granted, free of charge") >= 3  # quoted once, reproduced twice
    assert "MIT licence of cahyadsn/wilayah<" in html
    assert "MIT licence of cahyadsn/wilayah_boundaries<" in html


def test_licence_notices_pair_each_copyright_with_the_permission_notice():
    text = 'License: MIT, "Copyright (c) 2017-2025 Cahya DSN", same notice. Notice: "Copyright (c) 2024 Cahya DSN. Permission is hereby granted, free of charge, blah OTHER DEALINGS IN THE SOFTWARE."'
    notices = licence_notices(text)
    assert [item["copyright"] for item in notices] == ["Copyright (c) 2017-2025 Cahya DSN", "Copyright (c) 2024 Cahya DSN"]
    assert all(item["notice"].startswith("Permission is hereby granted") for item in notices)


def test_markdown_is_escaped_before_it_becomes_html():
    html = markdown_to_html("# Title <script>\n\nA **bold** `<b>` and <img src=x onerror=alert(1)>\n\n- one\n  - two\n- three")
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert "<strong>bold</strong>" in html
    assert "<code>&lt;b&gt;</code>" in html
    assert "<ul><li>one<ul><li>two</li></ul></li><li>three</li></ul>" in html.replace("\n", "")


def test_bold_text_may_hold_code():
    assert str(markdown_to_html("**514 of `x.csv`; ok.**")) == "<p><strong>514 of <code>x.csv</code>; ok.</strong></p>"
