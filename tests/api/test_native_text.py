"""Text on the native API: invalid UTF-8 in requests, '+' in query strings, Unicode case folding,
control characters and trimming, multi-valued contact types and phone countries."""
import json
import signal
import subprocess

import pytest
import requests

from conftest import API, BIN, assert_error, free_port, start_server
from rawhttp import exchange


def strict_json(content):
    """The body decoded strictly as UTF-8 and parsed as JSON."""
    return json.loads(content.decode("utf-8", errors="strict"))


def ids(response):
    assert response.status_code == 200, response.text
    return [c["id"] for c in response.json()["data"]]


@pytest.fixture(scope="module")
def acct(server):
    tenant = server.tenant()
    tenant.company_id = tenant.admin.company("Text Co")["id"]
    return tenant


def raw_get(port, target, token, extra=b""):
    data = (b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
            token.encode() + b"\r\n" + extra + b"\r\n")
    return exchange(port, data)


# --- invalid UTF-8 in the request ---------------------------------------------------------------

def test_percent_ff_in_the_path_is_a_utf8_404(acct):
    r = acct.viewer.session.get(acct.server.url + API + "/contacts%FF")
    assert r.status_code == 404
    assert strict_json(r.content)["error"]["code"] == "not_found"


def test_percent_ff_as_a_query_key_is_a_utf8_400(acct):
    r = acct.viewer.session.get(acct.server.api + "/contacts?%FF=1")
    assert r.status_code == 400, r.text
    assert strict_json(r.content)["error"]["code"] == "bad_request"


def test_percent_ff_as_a_filter_value_is_400_naming_the_field(acct):
    r = acct.viewer.session.get(acct.server.api + "/contacts?first_name=%FF")
    assert_error(r, 400, "bad_request", ["first_name"])
    strict_json(r.content)
    r = acct.viewer.session.get(acct.server.api +
                                "/contacts?last_name%5B%24in%5D=ok&last_name%5B%24in%5D=a%C3")
    assert_error(r, 400, "bad_request", ["last_name[$in]"])
    strict_json(r.content)


@pytest.mark.parametrize("target", [
    API.encode() + b"/contacts\xff",
    API.encode() + b"/contacts?\xff=1",
    API.encode() + b"/contacts?first_name=\xff",
    API.encode() + b"/contacts/\xc3",
], ids=["path", "query-key", "query-value", "truncated-sequence"])
def test_raw_invalid_bytes_in_the_target_get_a_utf8_json_4xx(acct, target):
    response = raw_get(acct.server.port, target, acct.viewer.token)
    assert 400 <= response.status < 500, response.status
    body = strict_json(response.body)
    assert body["error"]["code"]
    assert body["request_id"]


def test_access_log_stays_utf8_json_with_invalid_bytes_in_requests(tmp_path):
    db = tmp_path / "log.db"
    # A first start creates the demo account and prints its token on stdout (not a log line);
    # the second start, the one whose stdout is read, prints only access-log lines.
    first = start_server(db, free_port())
    first.send_signal(signal.SIGTERM)
    first.wait(timeout=20)
    token = subprocess.run([BIN, "tokens", "create", "--account", "1", "--role", "viewer",
                            "--db", str(db)], capture_output=True, text=True, check=True).stdout.strip()
    port = free_port()
    proc = start_server(db, port, stdout=subprocess.PIPE)
    try:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token}"
        base = f"http://127.0.0.1:{port}"
        for n, path in enumerate([API + "/contacts%FF", API + "/contacts?%FF=1",
                                  API + "/contacts?first_name=%FF", API + "/contacts%C3%28"]):
            session.get(base + path, headers={"X-Request-Id": f"utf8-{n}"})
        for target in [API.encode() + b"/contacts\xff", API.encode() + b"/contacts?\xff=1",
                       API.encode() + b"/contacts?first_name=\xff\xfe"]:
            raw_get(port, target, token)
        raw_get(port, API.encode() + b"/contacts", token, b"X-Request-Id: \xff\xfe\r\n")
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=20)
    lines = out.splitlines()
    assert len(lines) >= 8
    for line in lines:
        entry = json.loads(line.decode("utf-8", errors="strict"))
        assert isinstance(entry, dict) and "status" in entry, line
    logged = {entry["request_id"] for entry in map(json.loads, lines)}
    assert {f"utf8-{n}" for n in range(4)} <= logged


# --- '+' in a query string ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def dated(server, tmp_path_factory):
    """Two contacts imported with known creation times, 2019-12-31T18:00Z and 2020-01-01T00:00Z."""
    tenant = server.tenant()
    path = tmp_path_factory.mktemp("dated") / "dated.ndjson"
    rows = [{"contact_type": "sponsor", "company_name": "Dated Co", "last_name": last,
             "is_connected": True, "created_at": created}
            for last, created in [("Early", "2019-12-31T18:00:00Z"), ("Late", "2020-01-01T00:00:00Z")]]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    result = subprocess.run([BIN, "import", "--account", str(tenant.account["id"]), "--file",
                             str(path), "--db", str(server.db)], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    listed = tenant.viewer.get("/contacts", params={"sort": "created_at"}).json()["data"]
    tenant.early, tenant.late = [c["id"] for c in listed]
    return tenant


def test_plus_offset_sent_unencoded_is_an_offset_not_a_space(dated):
    base = dated.server.api + "/contacts?created_at[$gte]=2020-01-01T00:00:00"
    encoded = dated.viewer.session.get(base + "%2B05:00")
    assert ids(encoded) == [dated.late]  # 2019-12-31T19:00:00Z
    plain = dated.viewer.session.get(base + "+05:00")
    assert plain.request.url.endswith("+05:00")  # sent as is
    assert ids(plain) == ids(encoded)


def test_minus_offset_still_works(dated):
    r = dated.viewer.session.get(dated.server.api + "/contacts?created_at[$lt]=2019-12-31T12:00:00-07:00")
    assert ids(r) == [dated.early]
    r = dated.viewer.session.get(dated.server.api + "/contacts?created_at[$lt]=2019-12-31T17:00:01-07:00")
    assert sorted(ids(r)) == sorted([dated.early, dated.late])


# --- Unicode case folding -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def folks(server):
    tenant = server.tenant()
    company = tenant.admin.company("Folding Co")["id"]
    rows = [("Élodie", "Dupont"), ("Hans", "Müller"), ("Greta", "MÜLLER"), ("Max", "müller"),
            ("Ana", "Méndez"), ("Karl", "Straße"), ("Zoe", "Mzz"), ("Ned", "Nash")]
    tenant.by_last = {}
    tenant.by_first = {}
    for first, last in rows:
        contact = tenant.admin.contact(company, first_name=first, last_name=last, is_connected=True)
        tenant.by_last[last] = contact["id"]
        tenant.by_first[first] = contact["id"]
    tenant.mullers = sorted(tenant.by_last[n] for n in ("Müller", "MÜLLER", "müller"))
    return tenant


@pytest.mark.parametrize("value", ["élodie", "ÉLODIE", "Élodie", "éLODIE"])
def test_first_name_matches_regardless_of_unicode_case(folks, value):
    assert ids(folks.viewer.get("/contacts", params={"first_name": value})) == [folks.by_first["Élodie"]]


@pytest.mark.parametrize("value", ["MÜLLER", "müller", "Müller"])
def test_last_name_matches_every_case_of_muller(folks, value):
    assert sorted(ids(folks.viewer.get("/contacts", params={"last_name": value}))) == folks.mullers


@pytest.mark.parametrize("value", ["STRASSE", "strasse", "Strasse", "straße"])
def test_full_case_folding_matches_sharp_s(folks, value):
    assert ids(folks.viewer.get("/contacts", params={"last_name": value})) == [folks.by_last["Straße"]]


def test_in_filter_folds_case(folks):
    r = folks.viewer.get("/contacts", params=[("last_name[$in]", "MÜLLER"), ("last_name[$in]", "x")])
    assert sorted(ids(r)) == folks.mullers


def test_sort_by_last_name_keeps_every_case_of_a_name_together(folks):
    r = folks.viewer.get("/contacts", params={"sort": "last_name"})
    order = ids(r)
    positions = sorted(order.index(i) for i in folks.mullers)
    assert positions == list(range(positions[0], positions[0] + 3)), \
        [c["last_name"] for c in r.json()["data"]]
    # Méndez sorts before the Müllers, Nash after them.
    assert order.index(folks.by_last["Méndez"]) < positions[0] < order.index(folks.by_last["Nash"])


# --- control characters and trimming ------------------------------------------------------------

@pytest.mark.parametrize("value", ["a\u0000b", "a\u0007b", "a\tb", "a\nb", "a\rb", "a\u007fb",
                                   "\u001b[31mred"])
def test_control_characters_in_a_name_are_422(acct, value):
    r = acct.admin.post("/contacts", {"contact_type": "sponsor", "company_id": acct.company_id,
                                      "first_name": value})
    assert_error(r, 422, "validation_error", ["first_name"])


@pytest.mark.parametrize("field", ["last_name", "title", "city"])
def test_control_characters_in_other_text_fields_are_422(acct, field):
    r = acct.admin.post("/contacts", {"contact_type": "sponsor", "company_id": acct.company_id,
                                      field: "x\u0000y"})
    assert_error(r, 422, "validation_error", [field])


@pytest.mark.parametrize("value", ["a\u0000b", "a\u0007b", "a\tb"])
def test_control_characters_in_a_patch_are_422_and_change_nothing(acct, value):
    contact = acct.admin.contact(acct.company_id, first_name="Clean")
    r = acct.admin.patch(f"/contacts/{contact['id']}", {"first_name": value})
    assert_error(r, 422, "validation_error", ["first_name"])
    assert acct.admin.get(f"/contacts/{contact['id']}").json()["data"]["first_name"] == "Clean"


@pytest.mark.parametrize("name", ["   ", "\u0000", "\t", "Acme\u0000"])
def test_blank_or_control_company_names_are_422(acct, name):
    assert_error(acct.admin.post("/companies", {"name": name}), 422, "validation_error", ["name"])


def test_names_are_trimmed(acct):
    contact = acct.admin.contact(acct.company_id, first_name="  Sarah  ", last_name=" Chen")
    assert contact["first_name"] == "Sarah" and contact["last_name"] == "Chen"
    assert acct.admin.get(f"/contacts/{contact['id']}").json()["data"]["first_name"] == "Sarah"
    r = acct.admin.patch(f"/contacts/{contact['id']}", {"first_name": " Sally "})
    assert r.status_code == 200, r.text
    assert r.json()["data"]["first_name"] == "Sally"
    company = acct.admin.company("  Acme  ")
    assert company["name"] == "Acme"
    assert acct.admin.get(f"/companies/{company['id']}").json()["data"]["name"] == "Acme"


# --- multi-valued contact types -----------------------------------------------------------------

@pytest.fixture(scope="module")
def typed(server):
    tenant = server.tenant()
    company = tenant.admin.company("Typed Co")["id"]
    tenant.ids = {}
    for name, types in [("A", ["lender_contact", "sponsor"]), ("B", ["sponsor"]),
                        ("C", ["lender_contact"])]:
        r = tenant.admin.post("/contacts", {"contact_types": types, "company_id": company,
                                            "first_name": name, "is_connected": True})
        assert r.status_code == 201, r.text
        tenant.ids[name] = r.json()["data"]["id"]
    return tenant


@pytest.mark.parametrize("params,expected", [
    ({"contact_type": "sponsor"}, "AB"),
    ({"contact_types": "sponsor"}, "AB"),
    ({"contact_type[$in]": "sponsor"}, "AB"),
    ({"contact_type[$ne]": "sponsor"}, "C"),
    ({"contact_type[$nin]": "sponsor"}, "C"),
    ({"contact_type[$ne]": "lender_contact"}, "B"),
    ({"contact_type": "lender_contact"}, "AC"),
])
def test_contact_type_filters_see_every_type_of_a_contact(typed, params, expected):
    got = ids(typed.viewer.get("/contacts", params=params))
    assert sorted(got) == sorted(typed.ids[name] for name in expected), params


# --- phone countries ----------------------------------------------------------------------------

@pytest.mark.parametrize("phone,country,e164", [
    ({"raw": "+44 20 7946 0958"}, "GB", "+442079460958"),
    ({"raw": "+44 20 7946 0958", "country": "US"}, "GB", "+442079460958"),
    ({"raw": "020 7946 0958", "country": "GB"}, "GB", "+442079460958"),
    ({"raw": "(212) 555-0184"}, "US", "+12125550184"),
])
def test_phone_country_is_the_country_of_the_number(acct, phone, country, e164):
    data = acct.admin.contact(acct.company_id, phones=[phone])
    assert data["phones"][0]["e164"] == e164
    assert data["phones"][0]["country"] == country
