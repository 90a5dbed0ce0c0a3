"""No state in one process: two gunicorn app servers on one database (and one storage), each with
its own local folder. A session, a questionnaire draft, an uploaded file and a cached page made
through one server are seen through the other."""

import http.cookiejar
import re
import signal
import urllib.parse
import urllib.request
import uuid

import pytest

from kotacerdas.lib.testing import Deployment, free_port, wait_until

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


class Browser:
    """One visitor with one cookie jar (cookies ignore the port, so both servers get them)."""

    def __init__(self):
        # Keep the cookie jar reachable for the CSRF token.
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, url):
        with self.opener.open(url, timeout=60) as response:
            return response.status, response.geturl(), response.read()

    def post(self, url, fields, files=None):
        csrf = self.csrf(url)
        fields = {"csrfmiddlewaretoken": csrf, **fields}
        if files:
            boundary = uuid.uuid4().hex
            parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()]
            for name, (filename, content) in files.items():
                parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                             f"Content-Type: application/octet-stream\r\n\r\n".encode() + content + b"\r\n")
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            request = urllib.request.Request(url, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})
        else:
            request = urllib.request.Request(url, urllib.parse.urlencode(fields).encode())
        with self.opener.open(request, timeout=60) as response:
            return response.status, response.geturl(), response.read()

    def csrf(self, url):
        jar = next(h for h in self.opener.handlers if isinstance(h, urllib.request.HTTPCookieProcessor)).cookiejar
        return next((cookie.value for cookie in jar if cookie.name == "csrftoken"), "")


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    root = tmp_path_factory.mktemp("two-servers")
    site = Deployment(root, "site", storage_url=f"file://{root / 'shared-storage'}")
    site.run("demo", "--no-serve")
    # An operator of a region the demo questionnaire is open to and that has not started it
    # (Banjar, the demo's operator, is not a candidate).
    site.candidate = site.python(
        "from kotacerdas.accounts.services import ensure_account\n"
        "from kotacerdas.questionnaires.models import FormAssignment, Submission\n"
        "from kotacerdas.questionnaires.services import regions_for\n"
        "assignment = FormAssignment.objects.get(phase__is_demo=True, phase__isnull=False)\n"
        "started = Submission.objects.filter(assignment=assignment).values('region')\n"
        "region = regions_for(assignment).exclude(pk__in=started).first()\n"
        "ensure_account('operator-test', 'kotacerdas-demo', 'operator', region=region)\n"
        "result = [assignment.pk, region.code]"
    )
    processes, addresses = [], []
    for name in ("a", "b"):
        port = free_port()
        processes.append(_gunicorn(site, root, name, port))
        addresses.append(f"http://127.0.0.1:{port}")
    try:
        for address in addresses:
            wait_until(lambda: _answers(address), f"the app server at {address} to answer")
        yield site, addresses
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)
        site.drop()


def _gunicorn(site, root, name, port):
    import subprocess

    env = {**site.env, "KOTACERDAS_VAR_DIR": str(root / f"server-{name}"), "KOTACERDAS_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2"}
    log = open(root / f"gunicorn-{name}.log", "ab")
    return subprocess.Popen([site.python_executable, "-m", "gunicorn", "-c", "python:kotacerdas.lib.gunicorn_config",
                             "kotacerdas.wsgi:application"], env=env, stdout=log, stderr=subprocess.STDOUT, cwd=root)


def _answers(address):
    try:
        return urllib.request.urlopen(f"{address}/healthz", timeout=5).status == 200
    except OSError:
        return False


def _log_in(browser, address):
    browser.get(f"{address}/accounts/login/")
    status, url, _body = browser.post(f"{address}/accounts/login/", {"username": "operator-test", "password": "kotacerdas-demo"})
    assert "/accounts/login/" not in url


def test_a_session_made_on_one_server_is_valid_on_the_other(servers):
    _site, (a, b) = servers
    browser = Browser()
    _log_in(browser, a)
    status, url, body = browser.get(f"{b}/accounts/")
    assert status == 200 and "/accounts/login/" not in url and b"operator-test" in body
    assert "/accounts/login/" in Browser().get(f"{b}/accounts/")[1]  # without the session: the login page


def test_a_draft_and_an_upload_made_on_one_server_are_seen_on_the_other(servers):
    site, (a, b) = servers
    assignment, code = site.candidate
    fill = f"/questionnaires/{assignment}/fill/{code}/"
    browser = Browser()
    _log_in(browser, a)
    browser.get(a + fill)
    browser.post(a + fill, {})  # start the submission
    browser.post(a + fill, {"orig:komitmen_rapat": "", "a:komitmen_rapat": "17", "rev:komitmen_rapat": "0", "action": "save"})
    _status, _url, page = browser.get(b + fill)
    assert re.search(rb'name="a:komitmen_rapat"[^>]*value="17"|value="17"[^>]*name="a:komitmen_rapat"', page)

    browser.post(a + fill + "evidence/", {"key": "komitmen_sk"}, files={"file": ("sk-walikota.pdf", PDF)})
    evidence = site.python("from kotacerdas.questionnaires.models import Evidence\nresult = Evidence.objects.get().pk")
    status, _url, content = browser.get(f"{b}/questionnaires/evidence/{evidence}/")
    assert status == 200 and content == PDF
    # Neither server kept the file in its own folder.
    assert not list((site.root.parent / "server-a").rglob("*.pdf")) and not list((site.root.parent / "server-b").rglob("*.pdf"))


def test_a_page_cached_by_one_server_is_served_from_the_cache_by_the_other(servers):
    site, (a, b) = servers
    assert b"Kabupaten Banjar" in Browser().get(f"{a}/")[2]  # the national map, now in the cache
    # Renamed behind the cache's back (no history row, so the map's fingerprint stays the same).
    site.python("from kotacerdas.regions.models import Region\nRegion.objects.filter(code='63.03').update(name='Kabupaten Banjar Baru Sekali')")
    page = Browser().get(f"{b}/")[2]
    assert b"Kabupaten Banjar" in page and b"Baru Sekali" not in page  # served from the shared cache
    site.python("from django.core.cache import cache\ncache.clear()")
    assert b"Kabupaten Banjar Baru Sekali" in Browser().get(f"{b}/")[2]  # and built afresh without it
