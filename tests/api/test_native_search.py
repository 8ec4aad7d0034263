"""search= on the native contact list: words by prefix, phone numbers in any format."""
from conftest import assert_error


def ids(response):
    assert response.status_code == 200, response.text
    return sorted(c["id"] for c in response.json()["data"])


def search(client, text, **params):
    return ids(client.get("/contacts", params={"search": text, "is_connected": "all", **params}))


def test_words_match_by_prefix_across_names_email_and_company(tenant):
    meridian = tenant.admin.company("Meridian Capital")
    other = tenant.admin.company("Eastdil Secured")
    sarah = tenant.admin.contact(meridian["id"], first_name="Sarah", last_name="Chen",
                                 email="schen@meridiancapital.com")
    james = tenant.admin.contact(other["id"], first_name="James", last_name="Rodriguez",
                                 display_name="Jimmy", email="jr@eastdil.com")
    assert search(tenant.viewer, "sar") == [sarah["id"]]
    assert search(tenant.viewer, "SARAH chen") == [sarah["id"]]
    assert search(tenant.viewer, "sarah rod") == []  # every word must match
    assert search(tenant.viewer, "meridian") == [sarah["id"]]  # company name
    assert search(tenant.viewer, "eastdil") == [james["id"]]  # email and company
    assert search(tenant.viewer, "jimmy") == [james["id"]]  # display name
    assert search(tenant.viewer, "capital cap") == [sarah["id"]]


def test_phone_numbers_in_any_format(tenant):
    company = tenant.admin.company()
    c = tenant.admin.contact(company["id"], phones=[{"raw": "(212) 555-0184"}])
    tenant.admin.contact(company["id"], phones=[{"raw": "(212) 555-0999"}])
    for text in ("555 0184", "(212) 555-0184", "+12125550184", "2125550184", "0184", "212 555 01"):
        assert search(tenant.viewer, text) == [c["id"]], text
    assert len(search(tenant.viewer, "212 555")) == 2


def test_search_combines_with_filters_sort_and_paging_and_counts_its_match(tenant):
    company = tenant.admin.company()
    made = [tenant.admin.contact(company["id"], first_name=f"Ann{i}", last_name=name,
                                 is_connected=True)
            for i, name in enumerate(["Zed", "Adams", "Moore", "Baker"])]
    tenant.admin.contact(company["id"], first_name="Bob", is_connected=True)
    r = tenant.viewer.get("/contacts", params={"search": "ann", "sort": "last_name", "limit": 2})
    body = r.json()
    assert [c["last_name"] for c in body["data"]] == ["Adams", "Baker"]
    assert body["pagination"]["total"] == 4
    r = tenant.viewer.get("/contacts", params={"search": "ann", "last_name[$ne]": "zed"})
    assert r.json()["pagination"]["total"] == 3
    r = tenant.viewer.get("/contacts", params={"search": "ann", "limit": 3})
    page = r.json()
    assert [c["id"] for c in page["data"]] == [m["id"] for m in made[:3]]  # id order
    r = tenant.viewer.get("/contacts", params={"search": "ann",
                                               "cursor": page["pagination"]["next_cursor"]})
    assert [c["id"] for c in r.json()["data"]] == [made[3]["id"]]


def test_search_follows_updates_deletes_and_company_renames(tenant):
    company = tenant.admin.company("Oldname Partners")
    c = tenant.admin.contact(company["id"], first_name="Zora")
    tenant.admin.patch(f"/contacts/{c['id']}", {"first_name": "Xenia"})
    assert search(tenant.viewer, "zora") == []
    assert search(tenant.viewer, "xenia") == [c["id"]]
    tenant.admin.patch(f"/companies/{company['id']}", {"name": "Newname Partners"})
    assert search(tenant.viewer, "oldname") == []
    assert search(tenant.viewer, "newname") == [c["id"]]
    tenant.admin.session.delete(tenant.server.api + f"/contacts/{c['id']}")
    assert search(tenant.viewer, "xenia") == []
    tenant.admin.post(f"/contacts/{c['id']}/restore")
    assert search(tenant.viewer, "xenia") == [c["id"]]


def test_search_stays_in_the_account(tenant, server):
    other = server.tenant()
    company = other.admin.company()
    other.admin.contact(company["id"], first_name="Quillon")
    assert search(tenant.viewer, "quillon") == []


def test_bad_searches_are_400(tenant):
    for text in ("", "  ", "x" * 300, "a b c d e f g h i j k"):
        assert_error(tenant.viewer.get("/contacts", params={"search": text}), 400, "bad_request",
                     ["search"])
    assert_error(tenant.viewer.get("/contacts", params=[("search", "a"), ("search", "b")]), 400,
                 "bad_request", ["search"])


def test_a_number_typed_nationally_is_read_in_the_accounts_country(tenant):
    company = tenant.admin.company()
    london = tenant.admin.contact(company["id"], phones=[{"raw": "+44 20 7946 0958"}])
    assert search(tenant.viewer, "020 7946") == []  # a US account reads it as +1 020...
    assert tenant.admin.patch("/settings", {"default_country": "GB"}).status_code == 200
    assert search(tenant.viewer, "020 7946") == [london["id"]]
    assert search(tenant.viewer, "+44 20 7946") == [london["id"]]
    assert search(tenant.viewer, "7946 0958") == [london["id"]]
