"""The lock-out through a real uvicorn started as `make run` starts it: a client that writes its
own X-Forwarded-For is still the address it connects from, unless TRUSTED_PROXIES names that
address as a proxy."""

import http.cookiejar
import re
import shlex
import shutil
import subprocess
import urllib.error
import urllib.request

import pytest
from axes.models import AccessAttempt

from tests.browser.asgi_server import ROOT, AsgiServer

pytestmark = pytest.mark.django_db(transaction=True)

RIGHT = "correct horse battery"


def make_serve_command() -> list[str]:
    """The command `make run` serves with (its `serve` target), ``{port}`` for the port."""
    printed = subprocess.run(
        [
            shutil.which("make") or "/usr/bin/make",
            "--no-print-directory",
            "-n",
            "serve",
            "HOST=127.0.0.1",
            "PORT=PORTNUMBER",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [part.replace("PORTNUMBER", "{port}") for part in shlex.split(printed.strip())]


class Browser:
    """Posts the log-in form as a browser does (session and CSRF cookies), with a header of its own."""

    def __init__(self, server):
        self.url = server.url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
        )

    def log_in(self, username, password, *, forwarded_for):
        form = self.opener.open(f"{self.url}/accounts/login/", timeout=10).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        body = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
        request = urllib.request.Request(
            f"{self.url}/accounts/login/", data=body.encode(), headers={"X-Forwarded-For": forwarded_for}
        )
        try:
            return self.opener.open(request, timeout=10).status
        except urllib.error.HTTPError as answer:  # 302 (not followed) and 429 (locked)
            return answer.code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def start_server(request):
    servers = []

    def start(**kwargs):
        servers.append(AsgiServer(re.sub(r"[^\w.-]+", "_", request.node.name), **kwargs))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


def test_a_forged_forwarded_for_does_not_unlock_a_locked_username(make_user, start_server):
    make_user("phone", username="sanne")
    server = start_server(command=make_serve_command())
    browser = Browser(server)
    for n in range(1, 6):
        assert browser.log_in("sanne", "wrong guess", forwarded_for=f"203.0.113.{n}") in (200, 429)

    assert browser.log_in("sanne", RIGHT, forwarded_for="198.51.100.7") == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


def test_behind_a_trusted_proxy_the_forwarded_address_counts(make_user, start_server):
    make_user("phone", username="sanne")
    server = start_server(command=make_serve_command(), extra_env={"TRUSTED_PROXIES": "127.0.0.1"})
    browser = Browser(server)
    for n in range(1, 6):
        assert browser.log_in("sanne", "wrong guess", forwarded_for=f"203.0.113.{n}") == 200

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {f"203.0.113.{n}" for n in range(1, 6)}
    # Rotating addresses behind the proxy still run into the username's own limit.
    for n in range(6, 11):
        browser.log_in("sanne", "wrong guess", forwarded_for=f"203.0.113.{n}")
    assert browser.log_in("sanne", RIGHT, forwarded_for="198.51.100.7") == 429
