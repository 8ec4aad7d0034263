"""Users and tokens: /me, /users, tokens with scopes, revocation, and the CLI that manages them."""
import json

import pytest

from conftest import Client, assert_error


def cli_json(server, *args):
    return json.loads(server.cli(*args).stdout)


def cli_lines(server, *args):
    return [json.loads(line) for line in server.cli(*args).stdout.splitlines()]


def delete(client, path):
    return client.session.delete(client.server.api + path)


def user_token(tenant, user_id, scopes=None):
    body = {} if scopes is None else {"scopes": scopes}
    r = tenant.admin.post(f"/users/{user_id}/tokens", body)
    assert r.status_code == 201, r.text
    return r.json()["data"]


def test_me_names_the_user_its_account_and_token(tenant):
    r = tenant.editor.get("/me")
    assert r.status_code == 200, r.text
    me = r.json()["data"]
    assert me["role"] == "editor" and me["visibility"] == "account"
    assert me["account"] == {"id": tenant.account["id"], "uid": tenant.account["uid"],
                             "name": tenant.account["name"]}
    assert isinstance(me["token"]["id"], int) and me["token"]["scopes"] == []
    assert "token" not in json.dumps(me["token"]).replace('"token"', "")  # no secret anywhere
    assert tenant.editor.token not in r.text
    assert_error(tenant.editor.get("/me", params={"x": "1"}), 400, "bad_request")


def test_admins_create_users_and_everyone_lists_them(tenant):
    r = tenant.admin.post("/users", {"name": " Ann Lee ", "email": "ann@example.com",
                                     "role": "editor", "visibility": "own"})
    assert r.status_code == 201, r.text
    ann = r.json()["data"]
    assert ann["name"] == "Ann Lee" and ann["role"] == "editor" and ann["visibility"] == "own"
    assert ann["created_at"].endswith("Z")

    # Everyone sees id, name, email and role; admins see the whole user.
    listed = tenant.viewer.get("/users").json()
    entry = next(u for u in listed["data"] if u["id"] == ann["id"])
    assert entry == {"id": ann["id"], "name": "Ann Lee", "email": "ann@example.com",
                     "role": "editor"}
    assert listed["pagination"]["total"] == 4  # the three role users and Ann
    entry = next(u for u in tenant.admin.get("/users").json()["data"] if u["id"] == ann["id"])
    assert entry["visibility"] == "own"

    # Pages by cursor.
    first = tenant.admin.get("/users", params={"limit": 3}).json()
    assert len(first["data"]) == 3 and first["pagination"]["has_more"]
    rest = tenant.admin.get("/users", params={"cursor": first["pagination"]["next_cursor"]}).json()
    assert [u["id"] for u in rest["data"]] == [ann["id"]]

    assert_error(tenant.editor.post("/users", {"role": "viewer"}), 403, "forbidden")
    assert_error(tenant.viewer.post("/users", {"role": "viewer"}), 403, "forbidden")


def test_user_input_is_validated(tenant):
    assert_error(tenant.admin.post("/users", {"name": "No role"}), 422, "validation_error",
                 ["role"])
    assert_error(tenant.admin.post("/users", {"role": "owner"}), 422, "validation_error", ["role"])
    assert_error(tenant.admin.post("/users", {"role": "editor", "visibility": "some"}), 422,
                 "validation_error", ["visibility"])
    assert_error(tenant.admin.post("/users", {"role": "admin", "visibility": "own"}), 422,
                 "validation_error", ["visibility"])
    assert_error(tenant.admin.post("/users", {"role": "editor", "email": "not-an-email"}), 422,
                 "validation_error", ["email"])
    assert_error(tenant.admin.post("/users", {"role": "editor", "name": "x" * 256}), 422,
                 "validation_error", ["name"])
    assert_error(tenant.admin.post("/users", {"role": "editor", "id": 5, "boss": 1}), 422,
                 "validation_error", ["id", "boss"])
    assert tenant.admin.post("/users", {"role": "editor", "email": "Dup@Example.com"}).ok
    assert_error(tenant.admin.post("/users", {"role": "viewer", "email": "dup@example.COM"}),
                 409, "conflict", ["email"])


def test_patch_changes_users_but_nobody_raises_itself(tenant):
    me = tenant.editor.get("/me").json()["data"]
    # An editor may rename itself and lower itself, never raise its role or widen its view.
    r = tenant.editor.patch(f"/users/{me['id']}", {"name": "Ed"})
    assert r.status_code == 200 and r.json()["data"]["name"] == "Ed"
    assert_error(tenant.editor.patch(f"/users/{me['id']}", {"role": "admin"}), 403, "forbidden",
                 message="A user cannot raise its own role")
    assert tenant.editor.get("/me").json()["data"]["role"] == "editor"
    r = tenant.editor.patch(f"/users/{me['id']}", {"visibility": "own"})
    assert r.status_code == 200 and r.json()["data"]["visibility"] == "own"
    assert_error(tenant.editor.patch(f"/users/{me['id']}", {"visibility": "account"}), 403,
                 "forbidden", message="A user cannot widen its own visibility")
    # ... nor change another user.
    viewer = tenant.viewer.get("/me").json()["data"]
    assert_error(tenant.editor.patch(f"/users/{viewer['id']}", {"name": "V"}), 403, "forbidden")
    assert_error(tenant.viewer.patch(f"/users/{viewer['id']}", {"name": "V"}), 403, "forbidden")

    # An admin changes anyone; promoting an `own` user to admin needs its visibility too.
    assert_error(tenant.admin.patch(f"/users/{me['id']}", {"role": "admin"}), 422,
                 "validation_error", ["visibility"])
    r = tenant.admin.patch(f"/users/{me['id']}", {"role": "admin", "visibility": "account"})
    assert r.status_code == 200 and r.json()["data"]["role"] == "admin"
    r = tenant.admin.patch(f"/users/{viewer['id']}", {"role": "editor", "email": None})
    assert r.status_code == 200 and r.json()["data"]["role"] == "editor"
    assert tenant.viewer.post("/companies", {"name": "Now editor"}).status_code == 201


def test_an_account_keeps_an_admin(tenant):
    admin = tenant.admin.get("/me").json()["data"]
    assert_error(tenant.admin.patch(f"/users/{admin['id']}", {"role": "editor"}), 422,
                 "validation_error", ["role"])
    assert tenant.admin.get("/me").json()["data"]["role"] == "admin"


def test_another_accounts_users_and_tokens_are_missing(server, tenant):
    other = server.tenant()
    stranger = other.admin.get("/me").json()["data"]
    assert_error(tenant.admin.patch(f"/users/{stranger['id']}", {"name": "x"}), 404, "not_found")
    assert_error(tenant.admin.post(f"/users/{stranger['id']}/tokens", {}), 404, "not_found")
    assert_error(tenant.admin.get(f"/users/{stranger['id']}/tokens"), 404, "not_found")
    assert_error(delete(tenant.admin, f"/tokens/{stranger['token']['id']}"), 404, "not_found")
    assert_error(tenant.admin.patch("/users/999999999", {"name": "x"}), 404, "not_found")
    assert all(u["id"] != stranger["id"] for u in tenant.admin.get("/users").json()["data"])
    assert other.admin.get("/me").status_code == 200  # still works


def test_tokens_are_created_listed_and_revoked(server, tenant):
    editor = tenant.editor.get("/me").json()["data"]
    token = user_token(tenant, editor["id"])
    assert token["token"].startswith("cdt_") and token["user_id"] == editor["id"]
    assert token["scopes"] == []
    fresh = Client(server, token["token"])
    assert fresh.get("/me").json()["data"]["token"]["id"] == token["id"]

    listed = tenant.admin.get(f"/users/{editor['id']}/tokens").json()["data"]
    assert token["id"] in [t["id"] for t in listed]
    assert all("token" not in t for t in listed)
    assert token["token"] not in tenant.admin.get(f"/users/{editor['id']}/tokens").text
    assert_error(tenant.editor.get(f"/users/{editor['id']}/tokens"), 403, "forbidden")
    assert_error(delete(tenant.editor, f"/tokens/{token['id']}"), 403, "forbidden")

    r = delete(tenant.admin, f"/tokens/{token['id']}")
    assert r.status_code == 204
    assert_error(fresh.get("/me"), 401, "unauthorized")  # the very next request
    assert_error(delete(tenant.admin, f"/tokens/{token['id']}"), 404, "not_found")
    assert tenant.editor.get("/me").status_code == 200  # the user's other token still works


def test_token_scopes_narrow_what_a_token_may_do(server, tenant):
    company = tenant.admin.company()
    editor = tenant.editor.get("/me").json()["data"]
    read_only = Client(server, user_token(tenant, editor["id"], ["contacts.readonly"])["token"])
    assert read_only.get("/contacts").status_code == 200
    assert read_only.get("/me").json()["data"]["token"]["scopes"] == ["contacts.readonly"]
    assert_error(read_only.post("/contacts", {"contact_type": "sponsor",
                                              "company_id": company["id"]}), 403, "forbidden",
                 message="This token lacks the scope contacts.write")
    assert_error(read_only.get("/companies"), 403, "forbidden",
                 message="This token lacks the scope companies.readonly")
    assert_error(read_only.get("/users"), 403, "forbidden")

    writer = Client(server, user_token(tenant, editor["id"],
                                       ["contacts.write", "companies.readonly"])["token"])
    created = writer.contact(company["id"], first_name="Scoped")
    assert writer.get(f"/contacts/{created['id']}").status_code == 200  # write includes read
    assert writer.get("/companies").status_code == 200
    assert_error(writer.post("/companies", {"name": "No"}), 403, "forbidden",
                 message="This token lacks the scope companies.write")
    assert_error(writer.get("/settings"), 403, "forbidden")

    # Scopes never widen the user's role: a viewer's contacts.write token still only reads.
    viewer = tenant.viewer.get("/me").json()["data"]
    viewer_writer = Client(server, user_token(tenant, viewer["id"], ["contacts.write"])["token"])
    assert_error(viewer_writer.post("/contacts", {"contact_type": "sponsor",
                                                  "company_id": company["id"]}), 403, "forbidden",
                 message="User not authorized to create contact")

    for bad in (["contacts.everything"], [], "contacts.write", [5]):
        r = tenant.admin.post(f"/users/{editor['id']}/tokens", {"scopes": bad})
        assert_error(r, 422, "validation_error")
    assert_error(tenant.admin.post(f"/users/{editor['id']}/tokens", {"scopes": ["x"]}), 422,
                 "validation_error", ["scopes[0]"])


def test_cli_manages_users_and_tokens(server):
    account = server.account()
    user = cli_json(server, "users", "create", "--account", str(account["id"]), "--role",
                    "editor", "--visibility", "own", "--name", "Cli User", "--email",
                    "cli@example.com")
    assert user["name"] == "Cli User" and user["visibility"] == "own"
    assert user["account_id"] == account["id"]
    listed = cli_lines(server, "users", "list", "--account", str(account["id"]))
    assert [u["id"] for u in listed] == [user["id"]]

    token = cli_json(server, "tokens", "create", "--user", str(user["id"]), "--scopes",
                     "contacts.readonly,companies.readonly")
    assert token["scopes"] == ["contacts.readonly", "companies.readonly"]
    client = Client(server, token["token"])
    me = client.get("/me").json()["data"]
    assert me["id"] == user["id"] and me["visibility"] == "own"

    tokens = cli_lines(server, "tokens", "list", "--user", str(user["id"]))
    assert [t["id"] for t in tokens] == [token["id"]]
    assert token["token"] not in server.cli("tokens", "list", "--user", str(user["id"])).stdout

    server.cli("tokens", "revoke", str(token["id"]))
    assert_error(client.get("/me"), 401, "unauthorized")
    assert server.cli("tokens", "revoke", str(token["id"]), check=False).returncode == 1

    # The --account --role form keeps working and prints the secret alone.
    legacy = server.cli("tokens", "create", "--account", str(account["id"]), "--role",
                        "viewer").stdout.strip()
    assert Client(server, legacy).get("/me").json()["data"]["role"] == "viewer"
    for bad in (["users", "create", "--account", str(account["id"]), "--role", "admin",
                 "--visibility", "own"],
                ["users", "create", "--account", "999999", "--role", "editor"],
                ["tokens", "create", "--user", str(user["id"]), "--scopes", "nope"],
                ["tokens", "create", "--user", "999999"],
                ["tokens", "list", "--user", "999999"]):
        r = server.cli(*bad, check=False)
        assert r.returncode == 1 and "contactd: cannot" in r.stderr, (bad, r.stderr)
    r = server.cli("tokens", "create", "--account", str(account["id"]), "--user", "1",
                   check=False)
    assert r.returncode != 0


def test_users_page_by_offset_too(tenant):
    for i in range(3):
        assert tenant.admin.post("/users", {"role": "viewer", "name": f"U{i}"}).ok
    everyone = [u["id"] for u in tenant.admin.get("/users").json()["data"]]
    assert len(everyone) == 6
    page = tenant.admin.get("/users", params={"limit": 2, "offset": 2}).json()
    assert [u["id"] for u in page["data"]] == everyone[2:4] and page["pagination"]["has_more"]
    assert tenant.admin.get("/users", params={"offset": 6}).json()["data"] == []


def test_a_narrowed_token_makes_no_wider_token(server, tenant):
    admin = tenant.admin.get("/me").json()["data"]
    narrow = Client(server, user_token(tenant, admin["id"], ["users.write"])["token"])
    for scopes in (None, ["users.write", "contacts.write"]):
        body = {} if scopes is None else {"scopes": scopes}
        assert_error(narrow.post(f"/users/{admin['id']}/tokens", body), 403, "forbidden",
                     message="A token cannot create a token with scopes it does not have")
    r = narrow.post(f"/users/{admin['id']}/tokens", {"scopes": ["users.readonly"]})
    assert r.status_code == 201 and r.json()["data"]["scopes"] == ["users.readonly"]
