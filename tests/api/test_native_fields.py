"""The union contact's single-valued fields on the native API: names, dates, country, time zone,
status, spouse, DND, long text, and their filters."""
import pytest

from conftest import assert_error


def make(tenant, **fields):
    company = tenant.admin.company()
    return tenant.admin.contact(company["id"], **fields)


def patch(tenant, contact, body):
    r = tenant.admin.patch(f"/contacts/{contact['id']}", body)
    assert r.status_code == 200, r.text
    return r.json()["data"]


def ids(response):
    assert response.status_code == 200, response.text
    return [c["id"] for c in response.json()["data"]]


# --- names -----------------------------------------------------------------------------------

def test_full_name_is_derived_from_first_and_last_and_follows_them(tenant):
    c = make(tenant, first_name="Sarah", last_name="Chen")
    assert c["full_name"] == "Sarah Chen" and c["full_name_given"] is False
    c = patch(tenant, c, {"last_name": "Chen-Li"})
    assert c["full_name"] == "Sarah Chen-Li"
    c = patch(tenant, c, {"first_name": None})
    assert c["full_name"] == "Chen-Li"


def test_a_given_full_name_is_kept_when_first_or_last_change(tenant):
    c = make(tenant, first_name="Sarah", last_name="Chen", full_name="Dr. Sarah Chen, CFA")
    assert c["full_name"] == "Dr. Sarah Chen, CFA" and c["full_name_given"] is True
    assert (c["first_name"], c["last_name"]) == ("Sarah", "Chen")  # sent: not split
    c = patch(tenant, c, {"last_name": "Li"})
    assert c["full_name"] == "Dr. Sarah Chen, CFA"
    c = patch(tenant, c, {"full_name": None})  # derived again
    assert c["full_name"] == "Sarah Li" and c["full_name_given"] is False


def test_only_a_full_name_is_split_into_first_and_last(tenant):
    c = make(tenant, full_name="Mary Ann Smith")
    assert (c["first_name"], c["last_name"], c["full_name"]) == ("Mary Ann", "Smith",
                                                                  "Mary Ann Smith")
    single = make(tenant, full_name="Cher")
    assert (single["first_name"], single["last_name"]) == ("Cher", None)
    # A contact that has names is not split again by a later full name.
    c = patch(tenant, c, {"full_name": "Mary Smith-Jones"})
    assert (c["first_name"], c["last_name"]) == ("Mary Ann", "Smith")
    # A contact without names is, on update too.
    bare = make(tenant, email="bare@example.com")
    assert bare["full_name"] is None
    bare = patch(tenant, bare, {"full_name": "John Smith"})
    assert (bare["first_name"], bare["last_name"]) == ("John", "Smith")


def test_full_name_and_display_name_filter_and_sort_case_insensitively(tenant):
    company = tenant.admin.company()
    a = tenant.admin.contact(company["id"], full_name="Élodie Martin", is_connected=True,
                             display_name="Lodie")
    b = tenant.admin.contact(company["id"], first_name="Bob", last_name="Adams", is_connected=True)
    assert ids(tenant.admin.get("/contacts", params={"full_name": "ÉLODIE MARTIN"})) == [a["id"]]
    assert ids(tenant.admin.get("/contacts", params={"display_name": "lodie"})) == [a["id"]]
    assert ids(tenant.admin.get("/contacts", params={"sort": "full_name"})) == [b["id"], a["id"]]
    assert ids(tenant.admin.get("/contacts", params={"sort": "-full_name"})) == [a["id"], b["id"]]


# --- dates, country, time zone ---------------------------------------------------------------

@pytest.mark.parametrize("text", ["1955-10-28", "1955/10/28", "1955.10.28", "10-28-1955",
                                  "10/28/1955", "10.28.1955"])
def test_birthday_accepts_the_six_formats_and_is_stored_iso(tenant, text):
    c = make(tenant, birthday=text, anniversary=text)
    assert c["birthday"] == "1955-10-28" and c["anniversary"] == "1955-10-28"


@pytest.mark.parametrize("field,value", [
    ("birthday", "1955-02-30"), ("birthday", "28/10/1955"), ("birthday", "yesterday"),
    ("anniversary", "2017-10-31T00:00:00Z"), ("country", "USA"), ("country", "XX"),
    ("timezone", "America/Atlantis"), ("timezone", "EST5EDT/x"), ("website", "ftp://example.com"),
    ("preferred_contact_method", "fax"), ("status", "deleted"), ("status", None),
])
def test_invalid_values_are_422_naming_the_field(tenant, field, value):
    company = tenant.admin.company()
    r = tenant.admin.post("/contacts", {"contact_type": "sponsor", "company_id": company["id"],
                                        field: value})
    assert_error(r, 422, "validation_error", [field])


def test_country_timezone_website_are_validated_and_normalized(tenant):
    c = make(tenant, country="gb", timezone="Europe/London", website="https://example.co.uk",
             preferred_contact_method="EMAIL", status="Inactive")
    assert (c["country"], c["timezone"], c["website"]) == ("GB", "Europe/London",
                                                          "https://example.co.uk")
    assert (c["preferred_contact_method"], c["status"]) == ("email", "inactive")


def test_date_filters_compare_as_dates_in_any_accepted_format(tenant):
    company = tenant.admin.company()
    old = tenant.admin.contact(company["id"], birthday="1950-01-01", is_connected=True)
    young = tenant.admin.contact(company["id"], birthday="2000-06-15", is_connected=True)
    tenant.admin.contact(company["id"], is_connected=True)  # no birthday
    assert ids(tenant.admin.get("/contacts", params={"birthday[$gte]": "01/01/1990"})) == [young["id"]]
    assert ids(tenant.admin.get("/contacts", params={"birthday[$lt]": "1990-01-01"})) == [old["id"]]
    r = tenant.admin.get("/contacts", params={"birthday[$gte]": "the nineties"})
    assert_error(r, 400, "bad_request", ["birthday[$gte]"])


# --- status ------------------------------------------------------------------------------------

def test_status_defaults_to_active_filters_and_every_status_is_listed_by_default(tenant):
    company = tenant.admin.company()
    active = tenant.admin.contact(company["id"], is_connected=True)
    archived = tenant.admin.contact(company["id"], is_connected=True, status="archived")
    assert active["status"] == "active"
    assert sorted(ids(tenant.admin.get("/contacts"))) == sorted([active["id"], archived["id"]])
    assert ids(tenant.admin.get("/contacts", params={"status": "ARCHIVED"})) == [archived["id"]]
    assert ids(tenant.admin.get("/contacts", params={"status[$ne]": "archived"})) == [active["id"]]
    r = tenant.admin.get("/contacts", params={"status": "gone"})
    error = assert_error(r, 400, "bad_request", ["status"])
    assert "active, inactive or archived" in error["message"]
    changed = patch(tenant, active, {"status": "inactive"})
    assert changed["status"] == "inactive"
    assert_error(tenant.admin.patch(f"/contacts/{active['id']}", {"status": None}), 422,
                 "validation_error", ["status"])


def test_country_and_preferred_contact_method_filters(tenant):
    company = tenant.admin.company()
    us = tenant.admin.contact(company["id"], country="US", preferred_contact_method="phone",
                              is_connected=True)
    tenant.admin.contact(company["id"], country="GB", is_connected=True)
    assert ids(tenant.admin.get("/contacts", params={"country": "us"})) == [us["id"]]
    assert ids(tenant.admin.get("/contacts",
                                params={"preferred_contact_method": "phone"})) == [us["id"]]


# --- long text ---------------------------------------------------------------------------------

def test_notes_and_description_keep_newlines_and_take_64k(tenant):
    notes = "Met at the conference.\n\tFollow up in Q3.\n" + "x" * 60000
    c = make(tenant, notes=notes, description="Line one\nLine two")
    assert c["notes"] == notes.strip() and c["description"] == "Line one\nLine two"
    company = tenant.admin.company()
    r = tenant.admin.post("/contacts", {"contact_type": "sponsor", "company_id": company["id"],
                                        "notes": "x" * 65537})
    assert_error(r, 422, "validation_error", ["notes"])
    r = tenant.admin.post("/contacts", {"contact_type": "sponsor", "company_id": company["id"],
                                        "title": "a\nb"})
    assert_error(r, 422, "validation_error", ["title"])


def test_single_line_fields_take_255_characters(tenant):
    company = tenant.admin.company()
    for field in ("code", "tax_id", "display_name", "source", "full_name"):
        ok = tenant.admin.post("/contacts", {"contact_type": "sponsor",
                                             "company_id": company["id"], field: "é" * 255})
        assert ok.status_code == 201, (field, ok.text)
        r = tenant.admin.post("/contacts", {"contact_type": "sponsor",
                                            "company_id": company["id"], field: "é" * 256})
        assert_error(r, 422, "validation_error", [field])


# --- spouse and DND ------------------------------------------------------------------------------

def test_spouse_is_validated_normalized_and_replaced_as_a_whole(tenant):
    c = make(tenant, spouse={"name": "Melinda Gates", "email": "melinda@gatesfoundation.com",
                             "phone": "1 (604) 555-1124", "birthday": "08/15/1964"})
    assert c["spouse"] == {"name": "Melinda Gates", "email": "melinda@gatesfoundation.com",
                           "phone": "+16045551124", "birthday": "1964-08-15"}
    c = patch(tenant, c, {"spouse": {"name": "M. Gates"}})
    assert c["spouse"] == {"name": "M. Gates", "email": None, "phone": None, "birthday": None}
    c = patch(tenant, c, {"spouse": None})
    assert c["spouse"] is None


@pytest.mark.parametrize("spouse,field", [
    ({"name": "x" * 46}, "spouse.name"),
    ({"email": "not-an-email"}, "spouse.email"),
    ({"phone": "call me"}, "spouse.phone"),
    ({"birthday": "1964-13-01"}, "spouse.birthday"),
    ({"nickname": "M"}, "spouse.nickname"),
    ("Melinda", "spouse"),
])
def test_bad_spouse_values_name_the_member(tenant, spouse, field):
    company = tenant.admin.company()
    r = tenant.admin.post("/contacts", {"contact_type": "sponsor", "company_id": company["id"],
                                        "spouse": spouse})
    assert_error(r, 422, "validation_error", [field])


def test_dnd_and_per_channel_settings(tenant):
    c = make(tenant, dnd=True, dnd_settings={
        "sms": {"status": "permanent", "message": "Replied STOP", "code": "21610"},
        "email": {"status": "active"}})
    assert c["dnd"] is True
    assert c["dnd_settings"] == {"email": {"status": "active"},
                                 "sms": {"status": "permanent", "message": "Replied STOP",
                                         "code": "21610"}}
    c = patch(tenant, c, {"dnd": False, "dnd_settings": {"call": {"status": "inactive"}}})
    assert c["dnd"] is False and c["dnd_settings"] == {"call": {"status": "inactive"}}
    c = patch(tenant, c, {"dnd_settings": None})
    assert c["dnd_settings"] == {}
    company = tenant.admin.company()
    tenant.admin.contact(company["id"], dnd=True, is_connected=True)
    listed = tenant.admin.get("/contacts", params={"dnd": "true"}).json()["data"]
    assert listed and all(x["dnd"] for x in listed)


@pytest.mark.parametrize("settings,field", [
    ({"fax": {"status": "active"}}, "dnd_settings.fax"),
    ({"sms": {"status": "on"}}, "dnd_settings.sms.status"),
    ({"sms": {}}, "dnd_settings.sms.status"),
    ({"sms": {"status": "active", "reason": "x"}}, "dnd_settings.sms.reason"),
    ({"sms": "active"}, "dnd_settings.sms"),
])
def test_bad_dnd_settings_name_the_member(tenant, settings, field):
    company = tenant.admin.company()
    r = tenant.admin.post("/contacts", {"contact_type": "sponsor", "company_id": company["id"],
                                        "dnd_settings": settings})
    assert_error(r, 422, "validation_error", [field])


# --- uid and phones ----------------------------------------------------------------------------

def test_contacts_and_companies_render_their_uid(tenant):
    company = tenant.admin.company()
    c = tenant.admin.contact(company["id"])
    assert len(c["uid"]) == 36 and c["uid"].count("-") == 4
    assert len(company["uid"]) == 36
    assert tenant.admin.get(f"/companies/{company['id']}").json()["data"]["uid"] == company["uid"]
    r = tenant.admin.patch(f"/contacts/{c['id']}", {"uid": "x"})
    assert_error(r, 422, "validation_error", ["uid"])


def test_main_and_work_phone_types_and_native_phones_stay_strict(tenant):
    c = make(tenant, phones=[{"raw": "(212) 555-0184", "type": "main"},
                             {"raw": "(212) 555-0185", "type": "work"}])
    assert [p["type"] for p in c["phones"]] == ["main", "work"]
    company = tenant.admin.company()
    r = tenant.admin.post("/contacts", {"contact_type": "sponsor", "company_id": company["id"],
                                        "phones": [{"raw": "call the desk"}]})
    assert_error(r, 422, "validation_error", ["phones[0].raw"])
