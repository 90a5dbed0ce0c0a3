"""The Indonesian interface shows no English sentence of the catalogue and no broken link: the
public pages and the start pages of the ministry, an operator and an assessor, each with the
pages it links to (one level), are rendered in Indonesian; every sentence of three words or more
that the catalogue translates must not appear in English in a page's text, except inside an
element marked ``lang="en"`` (a source's title or a licence quoted as it is)."""

import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlparse

import pytest
from babel.messages.pofile import read_po

from kotacerdas.assessment.tests.helpers import small_panel
from kotacerdas.lib.compile_messages import po_files

pytestmark = pytest.mark.indonesian

# Downloads, files and actions a crawl does not read as a page.
NOT_PAGES = re.compile(r"(^/(admin|api|i18n|static|media)/)|(/logout/?$)|(\.(pdf|xlsx|csv|ics|json|svg|zip|geojson)$)|format=|/calendar\.ics")


def english_sentences():
    """Sentences (three words or more) of the catalogue's English messages that Indonesian
    translates differently; placeholders split a message into its literal parts."""
    sentences = set()
    for path in po_files():
        if path.parts[-3] != "id":
            continue
        with open(path, "rb") as handle:
            for message in read_po(handle):
                if not message.id or not isinstance(message.id, str) or not message.string or message.string == message.id:
                    continue
                for part in re.split(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}|[\n“”\"]", message.id):
                    part = part.strip(" .:;,()–-")
                    if len(part.split()) >= 3 and part not in message.string:
                        sentences.add(part)
    return sentences


class _Text(HTMLParser):
    """A page's visible text, without scripts, styles and what is marked ``lang="en"``."""

    SKIP = {"script", "style", "template"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.stack, self.links = [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag in self.VOID:
            return
        # The page's own language (on <html>) is what is checked; a part marked English is not.
        hidden = tag in self.SKIP or (tag != "html" and (attrs.get("lang") or "").lower().startswith("en"))
        self.stack.append((tag, hidden or (self.stack[-1][1] if self.stack else False)))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if not (self.stack and self.stack[-1][1]):
            self.parts.append(data)


def read(html):
    parser = _Text()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts)), parser.links


def crawl(client, starts):
    """{path: (status, English sentences found)} of the start pages and the pages they link."""
    sentences = english_sentences()
    seen, found = set(), {}
    queue = [(path, 0) for path in starts]
    while queue:
        path, depth = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code in (301, 302):
            continue
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            found[path] = (response.status_code, [])
            continue
        text, links = read(response.content.decode())
        english = sorted(sentence for sentence in sentences if sentence in text)
        if english:
            found[path] = (200, english)
        if depth >= 1:
            continue
        for link in links:
            link, _fragment = urldefrag(link)
            target = urlparse(link)
            if target.scheme or target.netloc or not target.path.startswith("/") or NOT_PAGES.search(link):
                continue
            queue.append((link, depth + 1))
    return seen, found


@pytest.fixture
def indonesian_client(client, reference_data):
    client.cookies["django_language"] = "id"
    return client


def test_the_catalogue_gives_the_crawl_sentences_to_look_for():
    sentences = english_sentences()
    assert "Phases of the program" in sentences and len(sentences) > 500


def test_the_reader_leaves_out_what_is_marked_english_and_scripts():
    text, links = read('<p>Satu <span lang="en">Phases of the program</span> dua</p><script>var x = "Phases of the program";</script><a href="/x/">x</a>')
    assert "Phases" not in text and "Satu" in text and "dua" in text and links == ["/x/"]


def test_the_crawl_finds_the_english_of_a_page_rendered_in_english(client, reference_data):
    # The control: the same pages asked in English are found English, so a clean Indonesian
    # crawl means something.
    client.cookies["django_language"] = "en"
    _seen, found = crawl(client, ["/phases/"])
    assert "Phases of the program" in found["/phases/"][1]


def test_public_pages_and_their_links_are_indonesian(indonesian_client):
    seen, found = crawl(indonesian_client, ["/", "/phases/", "/phases/2017/", "/regions/", "/data-sources/"])
    assert len(seen) > 20
    assert found == {}


@pytest.mark.parametrize("role", ["ministry", "operator", "assessor"])
def test_each_roles_start_page_and_its_links_are_indonesian(indonesian_client, role_users, role):
    small_panel(role_users["assessor"])
    indonesian_client.force_login(role_users[role])
    seen, found = crawl(indonesian_client, ["/start/"])
    assert len(seen) > 5
    assert found == {}
