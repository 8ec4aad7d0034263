"""Webhook endpoints: admins register, list, change, rotate and delete them; URLs pointing at
internal addresses are refused (SSRF), unless the server allows private endpoints."""
import base64
import signal
import subprocess

import pytest

from conftest import BIN, Client, assert_error, free_port, wait_healthy

PUBLIC = "https://93.184.215.14/hooks/contactd"  # a public address: no DNS needed


def delete(client, path):
    return client.session.delete(client.server.api + path)


def test_admins_register_endpoints_and_see_the_secret_once(tenant):
    r = tenant.admin.post("/webhooks", {"url": PUBLIC, "events": ["contact.created",
                                                                  "contact.deleted"],
                                        "description": " CRM sync "})
    assert r.status_code == 201, r.text
    hook = r.json()["data"]
    assert hook["url"] == PUBLIC and hook["events"] == ["contact.created", "contact.deleted"]
    assert hook["description"] == "CRM sync" and hook["enabled"] is True
    assert hook["disabled_reason"] is None and hook["format"] == "native"
    assert hook["secret"].startswith("whsec_")
    assert len(base64.b64decode(hook["secret"].removeprefix("whsec_"), validate=True)) == 32

    shown = tenant.admin.get(f"/webhooks/{hook['id']}").json()["data"]
    assert "secret" not in shown and shown["id"] == hook["id"]
    assert [h["id"] for h in tenant.admin.get("/webhooks").json()["data"]] == [hook["id"]]
    assert hook["secret"] not in tenant.admin.get("/webhooks").text

    r = tenant.admin.patch(f"/webhooks/{hook['id']}", {"events": ["*"], "enabled": False})
    assert r.status_code == 200 and r.json()["data"]["events"] == ["*"]
    assert r.json()["data"]["enabled"] is False
    rotated = tenant.admin.post(f"/webhooks/{hook['id']}/rotate-secret")
    assert rotated.status_code == 200
    assert rotated.json()["data"]["secret"].startswith("whsec_")
    assert rotated.json()["data"]["secret"] != hook["secret"]
    assert delete(tenant.admin, f"/webhooks/{hook['id']}").status_code == 204
    assert_error(tenant.admin.get(f"/webhooks/{hook['id']}"), 404, "not_found")
    assert_error(delete(tenant.admin, f"/webhooks/{hook['id']}"), 404, "not_found")


def test_only_admins_manage_endpoints_of_their_own_account(server, tenant):
    for client in (tenant.editor, tenant.viewer):
        assert_error(client.get("/webhooks"), 403, "forbidden")
        assert_error(client.post("/webhooks", {"url": PUBLIC, "events": ["*"]}), 403, "forbidden")
    hook = tenant.admin.post("/webhooks", {"url": PUBLIC, "events": ["*"]}).json()["data"]
    other = server.tenant()
    for r in (other.admin.get(f"/webhooks/{hook['id']}"),
              other.admin.patch(f"/webhooks/{hook['id']}", {"enabled": False}),
              other.admin.post(f"/webhooks/{hook['id']}/rotate-secret"),
              delete(other.admin, f"/webhooks/{hook['id']}")):
        assert_error(r, 404, "not_found")
    assert other.admin.get("/webhooks").json()["data"] == []
    assert tenant.admin.get(f"/webhooks/{hook['id']}").json()["data"]["enabled"] is True


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:9/hook", "http://localhost:9/hook", "http://10.1.2.3/hook",
    "http://192.168.0.10/hook", "http://172.16.5.4/hook", "http://169.254.169.254/latest",
    "http://100.64.0.1/hook", "http://0.0.0.0/hook", "http://[::1]/hook", "http://[fe80::1]/hook",
    "http://[fd00::1]/hook", "http://[::ffff:127.0.0.1]/hook", "ftp://93.184.215.14/hook",
    "not a url", "https:///nohost"])
def test_internal_or_malformed_urls_are_refused(tenant, url):
    assert_error(tenant.admin.post("/webhooks", {"url": url, "events": ["*"]}), 422,
                 "validation_error", ["url"])
    hook = tenant.admin.post("/webhooks", {"url": PUBLIC, "events": ["*"]}).json()["data"]
    assert_error(tenant.admin.patch(f"/webhooks/{hook['id']}", {"url": url}), 422,
                 "validation_error", ["url"])


def test_endpoint_bodies_are_validated(tenant):
    for body, field in (({"events": ["*"]}, "url"), ({"url": PUBLIC}, "events"),
                        ({"url": PUBLIC, "events": []}, "events"),
                        ({"url": PUBLIC, "events": ["contact.nope"]}, "events[0]"),
                        ({"url": PUBLIC, "events": ["*", "contact.created"]}, "events[0]"),
                        ({"url": PUBLIC, "events": ["*"], "secret": "x"}, "secret"),
                        ({"url": PUBLIC, "events": ["*"], "enabled": "yes"}, "enabled")):
        assert_error(tenant.admin.post("/webhooks", body), 422, "validation_error", [field])
    for _ in range(20):
        assert tenant.admin.post("/webhooks", {"url": PUBLIC, "events": ["*"]}).status_code == 201
    assert_error(tenant.admin.post("/webhooks", {"url": PUBLIC, "events": ["*"]}), 422,
                 "validation_error", ["url"])


def test_private_endpoints_when_the_server_allows_them(tmp_path):
    db = tmp_path / "private.db"
    port = free_port()
    proc = subprocess.Popen([BIN, "serve", "--db", str(db), "--listen", f"127.0.0.1:{port}",
                             "--threads", "2", "--webhook-allow-private"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_healthy(port, proc)
        token = subprocess.run([BIN, "tokens", "create", "--account", "1", "--role", "admin",
                                "--db", str(db)], capture_output=True, text=True,
                               check=True).stdout.strip()

        class Srv:
            api = f"http://127.0.0.1:{port}/api/external/v2"
        admin = Client(Srv, token)
        r = admin.post("/webhooks", {"url": "http://127.0.0.1:9/hook", "events": ["*"]})
        assert r.status_code == 201, r.text
        assert_error(admin.post("/webhooks", {"url": "ftp://127.0.0.1/hook", "events": ["*"]}),
                     422, "validation_error", ["url"])
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
