"""Native contact lists: `field[$exists]=true|false` and `field[$contains]` / `[$ncontains]`.

Proves: $exists tells contacts with a value from those without, on text, date, boolean-free
set fields (tags, phones, custom fields) and the derived company name, also inside $or and for
an `own` user; $contains matches folded substrings of text fields and text custom fields (and
$ncontains also matches a missing value); each refuses what it cannot take, naming the parameter.
"""
import pytest

from conftest import Client

# first, last, email, tags, phone, birthday, tier (custom field)
ROWS = [
    ("Sarah", "Chen", "sarah@meridian.com", ["vip"], "(604) 555-4572", "1980-04-02", "gold"),
    ("Bill", "Gateschen", None, [], None, None, None),
    ("Ada", None, "ada@APEX.com", ["beta"], "415-555-0103", None, None),
]


def get_query(client, query):
    """A list whose query string is sent as written (brackets and `$` unescaped)."""
    return client.session.get(f"{client.server.api}/contacts?{query}")


class People:
    def __init__(self, tenant):
        self.tenant = tenant
        admin = tenant.admin
        r = admin.post("/custom-fields", {"key": "tier", "name": "Tier", "data_type": "text"})
        assert r.status_code == 201, r.text
        company = admin.company("Meridian Capital")
        self.by_first = {}
        for first, last, email, tags, phone, birthday, tier in ROWS:
            fields = {"first_name": first, "tags": tags}
            for name, value in (("last_name", last), ("email", email), ("birthday", birthday)):
                if value is not None:
                    fields[name] = value
            if phone:
                fields["phones"] = [{"raw": phone, "type": "mobile"}]
            if tier:
                fields["custom_fields"] = {"tier": tier}
            self.by_first[first] = admin.contact(company["id"], **fields)

    def ids(self, *names):
        return sorted(self.by_first[name]["id"] for name in names)

    def listed(self, query, client=None):
        client = client or self.tenant.admin
        r = get_query(client, "is_connected=all&" + query)
        assert r.status_code == 200, r.text
        return sorted(c["id"] for c in r.json()["data"])


@pytest.fixture
def people(tenant):
    return People(tenant)


@pytest.mark.parametrize("field, with_value", [
    ("last_name", ["Sarah", "Bill"]),
    ("email", ["Sarah", "Ada"]),
    ("birthday", ["Sarah"]),
    ("tags", ["Sarah", "Ada"]),
    ("phone", ["Sarah", "Ada"]),
    ("custom_fields.tier", ["Sarah"]),
    ("company_name", ["Sarah", "Bill", "Ada"]),
])
def test_exists_splits_contacts_with_and_without_a_value(people, field, with_value):
    without = [name for name in ("Sarah", "Bill", "Ada") if name not in with_value]
    assert people.listed(f"{field}[$exists]=true") == people.ids(*with_value)
    assert people.listed(f"{field}[$exists]=false") == people.ids(*without)


def test_contains_matches_folded_substrings(people):
    assert people.listed("last_name[$contains]=CHEN") == people.ids("Sarah", "Bill")
    assert people.listed("email[$contains]=apex") == people.ids("Ada")
    assert people.listed("first_name[$contains]=a") == people.ids("Sarah", "Ada")


def test_contains_matches_within_a_text_custom_field(people):
    assert people.listed("custom_fields.tier[$contains]=OL") == people.ids("Sarah")
    assert people.listed("custom_fields.tier[$ncontains]=old") == people.ids("Bill", "Ada")
    admin = people.tenant.admin
    r = admin.post("/custom-fields", {"key": "score", "name": "Score", "data_type": "number"})
    assert r.status_code == 201, r.text
    r = get_query(admin, "custom_fields.score[$contains]=1")
    assert r.status_code == 400, r.text
    assert r.json()["error"]["details"][0]["message"] == \
        "custom_fields.score (number) does not take this operator"


def test_ncontains_also_matches_a_missing_value(people):
    assert people.listed("last_name[$ncontains]=gates") == people.ids("Sarah", "Ada")


def test_exists_and_contains_work_inside_or_branches(people):
    query = "$or[0][birthday][$exists]=true&$or[1][email][$contains]=apex"
    assert people.listed(query) == people.ids("Sarah", "Ada")


def test_an_own_user_sees_only_its_contacts_through_exists(people):
    admin = people.tenant.admin
    user = admin.post("/users", {"role": "editor", "visibility": "own"}).json()["data"]
    token = admin.post(f"/users/{user['id']}/tokens", {}).json()["data"]["token"]
    own = Client(people.tenant.server, token)
    assert people.listed("email[$exists]=true", own) == []
    mine = own.post("/contacts", {"contact_type": "sponsor", "company_id":
                                  people.by_first["Sarah"]["company_id"], "email": "o@x.com"})
    assert mine.status_code == 201, mine.text
    assert people.listed("email[$exists]=true", own) == [mine.json()["data"]["id"]]


@pytest.mark.parametrize("query, field, message", [
    ("email[$exists]=yes", "email[$exists]", "email[$exists] must be true or false"),
    ("tags[$contains]=vip", "tags[$contains]",
     "tags is not a text field; $contains and $ncontains apply to text fields"),
    ("birthday[$contains]=1980", "birthday[$contains]",
     "birthday is not a text field; $contains and $ncontains apply to text fields"),
    ("city[$contains]=", "city[$contains]", "city[$contains] must not be empty"),
    ("email[$exists][0]=true", "email[$exists][0]",
     "only $in, $nin and $all take several values; 'email[$exists][0]' has an index"),
])
def test_bad_uses_are_refused_naming_the_parameter(people, query, field, message):
    r = get_query(people.tenant.admin, query)
    assert r.status_code == 400, r.text
    details = {d["field"]: d["message"] for d in r.json()["error"]["details"]}
    assert details.get(field) == message, r.text
