"""/openapi/{surface}.json and /docs: each surface's OpenAPI document as built into the binary, and
the reference page rendered from it in a real browser (Debian's headless Chromium), which loads
nothing from any other host."""
import html
import json
import re
import shutil
import subprocess

import pytest
import requests
import yaml

from conftest import ROOT

SURFACES = ("native", "v1", "liondesk", "leadconnector")
SCREENSHOTS = ROOT / "build"


@pytest.mark.parametrize("surface", SURFACES)
def test_the_served_document_is_the_spec_in_the_tree(server, surface):
    r = requests.get(f"{server.url}/openapi/{surface}.json")
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "application/json"
    served = r.json()
    assert served == yaml.safe_load((ROOT / "docs" / "openapi" / f"{surface}.yaml").read_text())
    assert served["openapi"].startswith("3.1")


def test_unknown_documents_and_pages_are_404(server):
    for path in ("/openapi/nope.json", "/openapi/native.yaml", "/openapi/native",
                 "/docs/nope", "/docs/page.html"):
        r = requests.get(server.url + path)
        assert r.status_code == 404, path
        assert r.json()["error"]["code"] == "not_found"


def test_the_page_may_load_only_from_this_server(server):
    r = requests.get(server.url + "/docs")
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "text/html; charset=utf-8"
    policy = r.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    for script in re.findall(r'<script src="([^"]+)"', r.text):
        assert script.startswith("/"), script
        assert requests.get(server.url + script).status_code == 200
    assert "http" not in r.text.replace('lang="en"', "")


def chromium(url, tmp_path, *extra):
    """Runs headless Chromium on `url`; returns its standard output. Requests to any host but
    127.0.0.1 fail, and the net log lists every request."""
    binary = shutil.which("chromium")
    assert binary, "chromium (Debian's package) is missing"
    result = subprocess.run(
        [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--disable-extensions", f"--user-data-dir={tmp_path / 'profile'}",
         "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
         f"--log-net-log={tmp_path / 'net.json'}", "--window-size=1280,900",
         "--virtual-time-budget=20000", *extra, url],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def page_requests(net_log, origin):
    """The URLs the page itself asked for (the browser's own background requests have no page
    origin as their initiator)."""
    log = json.loads(net_log.read_text())
    types = {value: name for name, value in log["constants"]["logEventTypes"].items()}
    urls = set()
    for event in log["events"]:
        params = event.get("params", {})
        if types.get(event["type"]) == "URL_REQUEST_START_JOB" and \
                params.get("initiator") == origin:
            urls.add(params["url"])
    return urls


def operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in ("get", "put", "post", "delete", "patch", "head", "options"):
                yield path, method, operation


@pytest.mark.parametrize("surface", SURFACES)
def test_the_docs_page_lists_every_operation_of_the_surface(server, tmp_path, surface):
    document = requests.get(f"{server.url}/openapi/{surface}.json").json()
    SCREENSHOTS.mkdir(exist_ok=True)
    screenshot = SCREENSHOTS / f"docs-{surface}.png"
    url = f"{server.url}/docs/{surface}"
    dom = chromium(url, tmp_path, "--dump-dom")
    text = html.unescape(re.sub(r"<[^>]+>", " ", dom))
    text = re.sub(r"\s+", " ", text)
    assert document["info"]["title"] in text
    missing = [f"{method.upper()} {path}: {operation['summary']}"
               for path, method, operation in operations(document)
               if re.sub(r"\s+", " ", operation["summary"]) not in text]
    assert not missing, missing
    # A picture for a person to look at, from a second run.
    chromium(url, tmp_path, f"--screenshot={screenshot}")
    assert screenshot.stat().st_size > 10_000
    origin = server.url
    asked = page_requests(tmp_path / "net.json", origin)
    assert f"{origin}/openapi/{surface}.json" in asked
    assert f"{origin}/docs/redoc.standalone.js" in asked
    assert all(u.startswith(origin + "/") for u in asked), asked


def test_docs_without_a_surface_shows_the_native_api(server, tmp_path):
    dom = chromium(f"{server.url}/docs", tmp_path, "--dump-dom")
    native = requests.get(f"{server.url}/openapi/native.json").json()
    assert native["info"]["title"] in html.unescape(dom)
