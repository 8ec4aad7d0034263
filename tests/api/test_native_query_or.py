"""Native contact lists: `$or` branches, qs-style array keys and the seed 002 filter fields."""
import pytest

from conftest import API, Client, assert_error
from rawhttp import exchange

# first, last, state, company, tags, phones, spouse, connected
ROWS = [
    ("Sarah", "Chen", "NY", "meridian", ["vip"],
     [("(604) 555-4572", "mobile"), ("(604) 555-9999", "mobile"), ("212-555-0184", "office")],
     {"name": "Tom Chen", "email": "tom@example.com", "phone": "(604) 555-1124",
      "birthday": "08/15/1964"}, True),
    ("Bill", "Gates", "WA", "apex", ["Board", "Crew"],
     [("(212) 555-0100", "office"), ("206-555-0101", "home")], None, True),
    ("Steve", "Jobs", "CA", "apex", [],
     [("(408) 555-0199", "home"), ("408-555-0102", "mobile")], None, True),
    ("Ada", "Chen", "CA", "meridian", ["beta"],
     [("415-555-0103", "work"), ("415-555-0104", "fax"), ("415-555-0105", "main")], None, True),
    ("Grace", "Hopper", "NY", "meridian", ["zeta"],
     [("(718) 555-0106", "main"), ("718-555-0107", "fax"), ("+1 718 555 0108", "work")],
     {"name": "Vincent Hopper", "email": "vince@example.com", "phone": "+1 212 555 0190",
      "birthday": "1959-12-01"}, True),
    ("Hidden", "Chen", "NY", "apex", ["vip"], [("604-555-4572", "mobile")], None, False),
]


class People:
    """The tenant, its two companies and contacts by first name."""

    def __init__(self, tenant):
        self.tenant = tenant
        self.companies = {"meridian": tenant.admin.company("Meridian Capital"),
                          "apex": tenant.admin.company("apex Partners")}
        self.by_first = {}
        for first, last, state, company, tags, phones, spouse, connected in ROWS:
            fields = {"first_name": first, "last_name": last, "state": state, "tags": tags,
                      "phones": [{"raw": raw, "type": kind} for raw, kind in phones],
                      "is_connected": connected}
            if spouse:
                fields["spouse"] = spouse
            self.by_first[first] = tenant.admin.contact(self.companies[company]["id"], **fields)

    def ids(self, *names):
        return [self.by_first[name]["id"] for name in names]


@pytest.fixture
def people(tenant):
    return People(tenant)


def listed(response):
    """The ids listed, checking that `pagination.total` counts them (one page)."""
    assert response.status_code == 200, response.text
    body = response.json()
    got = [c["id"] for c in body["data"]]
    assert body["pagination"]["total"] == len(got), body["pagination"]
    return got


def get(client, params):
    return client.get("/contacts", params=params)


def get_query(client, query):
    """A list whose query string is sent exactly as written (percent-escapes included)."""
    return client.session.get(f"{client.server.api}/contacts?{query}")


def raw_get(client, query):
    """A list whose query string keeps literal `[`, `]` and `$` on the wire."""
    head = (f"GET {API}/contacts?{query} HTTP/1.1\r\nHost: 127.0.0.1:{client.server.port}\r\n"
            f"Authorization: Bearer {client.token}\r\nConnection: close\r\n\r\n")
    return exchange(client.server.port, head.encode("ascii")).as_requests()


def new_own_user(tenant, role="editor"):
    """A user of the account who sees only the contacts they own (or are given)."""
    r = tenant.admin.post("/users", {"role": role, "visibility": "own"})
    assert r.status_code == 201, r.text
    user = r.json()["data"]
    r = tenant.admin.post(f"/users/{user['id']}/tokens", {})
    assert r.status_code == 201, r.text
    return Client(tenant.server, r.json()["data"]["token"])


# --- $or -------------------------------------------------------------------------------------

OR_CASES = [
    # One branch or the other: the union, which neither branch gives alone.
    ([("$or[0][last_name]", "chen"), ("$or[1][state]", "CA")], ["Sarah", "Steve", "Ada"]),
    ([("$or[0][last_name]", "chen")], ["Sarah", "Ada"]),
    ([("$or[1][state]", "CA")], ["Steve", "Ada"]),
    # A branch is the AND of its conditions.
    ([("$or[0][last_name]", "chen"), ("$or[0][state]", "NY"), ("$or[1][first_name]", "steve")],
     ["Sarah", "Steve"]),
    # The README's example.
    ([("$or[0][last_name]", "gates"), ("$or[1][first_name][$ne]", "steve")],
     ["Sarah", "Bill", "Ada", "Grace"]),
    # Branch numbers need not start at 0 nor follow each other.
    ([("$or[9][state]", "WA"), ("$or[3][first_name]", "grace")], ["Bill", "Grace"]),
    # Operators inside branches.
    ([("$or[0][state][$in]", "WA"), ("$or[0][state][$in]", "CA"), ("$or[1][tags]", "zeta")],
     ["Bill", "Steve", "Ada", "Grace"]),
    ([("$or[0][last_name]", "nobody"), ("$or[1][state]", "TX")], []),
    # Besides the top-level filters.
    ([("last_name[$ne]", "jobs"), ("$or[0][last_name]", "chen"), ("$or[1][state]", "CA")],
     ["Sarah", "Ada"]),
    ([("state", "NY"), ("$or[0][first_name]", "ada"), ("$or[1][tags]", "zeta")], ["Grace"]),
    ([("tags[$in]", "vip"), ("tags[$in]", "beta"), ("$or[0][state]", "CA"),
      ("$or[1][first_name]", "grace")], ["Ada"]),
]


@pytest.mark.parametrize("params,names", OR_CASES)
def test_or_requires_one_branch_besides_the_other_filters(people, params, names):
    assert listed(get(people.tenant.viewer, params)) == people.ids(*names)


def test_or_differs_from_each_branch_alone(people):
    viewer = people.tenant.viewer
    both = listed(get(viewer, [("$or[0][last_name]", "chen"), ("$or[1][state]", "CA")]))
    first = listed(get(viewer, [("last_name", "chen")]))
    second = listed(get(viewer, [("state", "CA")]))
    assert both == people.ids("Sarah", "Steve", "Ada")
    assert both != first and both != second
    assert listed(get(viewer, [("last_name", "chen"), ("state", "CA")])) == people.ids("Ada")


def test_or_in_literal_brackets_on_the_wire(people):
    r = raw_get(people.tenant.viewer,
                "$or[0][last_name]=chen&$or[0][state]=NY&$or[1][state][$in][]=CA"
                "&$or[1][state][$in][]=WA&first_name[$ne]=steve")
    assert listed(r) == people.ids("Sarah", "Bill", "Ada")


@pytest.mark.parametrize("sort,names", [
    ("first_name", ["Ada", "Hidden", "Sarah", "Steve"]),
    ("-first_name", ["Steve", "Sarah", "Hidden", "Ada"]),
])
def test_or_with_sort_over_connected_and_unconnected_pages(people, sort, names):
    """is_connected=all with a sort merges both halves; $or applies to each."""
    seen = []
    for offset in (0, 2):
        r = get(people.tenant.viewer, [("is_connected", "all"), ("sort", sort), ("limit", 2),
                                       ("offset", offset), ("$or[0][last_name]", "chen"),
                                       ("$or[1][state]", "CA")])
        assert r.status_code == 200, r.text
        assert r.json()["pagination"]["total"] == 4
        seen += [c["id"] for c in r.json()["data"]]
    assert seen == people.ids(*names)
    r = get(people.tenant.viewer, [("is_connected", "all"), ("sort", sort),
                                   ("$or[0][last_name]", "chen"), ("$or[1][state]", "CA")])
    assert listed(r) == people.ids(*names)


def test_or_with_own_visibility_sees_only_the_users_contacts(people):
    tenant = people.tenant
    own = new_own_user(tenant)
    company = people.companies["apex"]["id"]
    mine = {first: own.contact(company, first_name=first, last_name=last, state=state,
                               is_connected=True)["id"]
            for first, last, state in [("Olive", "Chen", "NY"), ("Oscar", "Park", "CA"),
                                       ("Otto", "Park", "TX")]}
    params = [("$or[0][last_name]", "chen"), ("$or[1][state]", "CA")]
    assert listed(get(own, params)) == [mine["Olive"], mine["Oscar"]]
    assert listed(get(tenant.admin, params)) == sorted(
        people.ids("Sarah", "Steve", "Ada") + [mine["Olive"], mine["Oscar"]])
    r = get(own, params + [("sort", "-first_name"), ("is_connected", "all")])
    assert listed(r) == [mine["Oscar"], mine["Olive"]]
    r = get(own, params + [("first_name[$ne]", "olive")])
    assert listed(r) == [mine["Oscar"]]
    r = get(own, params + [("limit", 1)])
    assert r.json()["pagination"]["total"] == 2 and r.json()["pagination"]["has_more"] is True


# --- the bound on conditions ---------------------------------------------------------------

def padding(branch, count):
    """`count` conditions that every contact meets, top-level or in `$or[branch]`."""
    key = "last_name[$ne]" if branch is None else f"$or[{branch}][last_name][$ne]"
    return [(key, f"nobody{i}") for i in range(count)]


def test_twenty_conditions_count_those_of_branches(people):
    viewer = people.tenant.viewer
    twenty = (padding(None, 10) + [("$or[0][last_name]", "chen")] + padding(0, 4)
              + [("$or[1][state]", "CA")] + padding(1, 4))
    assert len(twenty) == 20
    assert listed(get(viewer, twenty)) == people.ids("Sarah", "Steve", "Ada")
    r = get(viewer, twenty + [("$or[1][city][$ne]", "Nowhere")])
    assert_error(r, 400, "bad_request", ["$or[1][city][$ne]"])
    r = get(viewer, twenty + [("first_name[$ne]", "nobody")])
    assert_error(r, 400, "bad_request", ["first_name[$ne]"])
    only_branches = padding(0, 10) + padding(1, 10)
    assert listed(get(viewer, only_branches)) == people.ids("Sarah", "Bill", "Steve", "Ada",
                                                            "Grace")
    r = get(viewer, only_branches + [("$or[2][state]", "NY")])
    assert_error(r, 400, "bad_request", ["$or[2][state]"])


def test_values_of_one_in_are_one_condition_in_a_branch(people):
    values = [(f"$or[0][state][$in][{i}]", f"S{i}") for i in range(30)] + [
        ("$or[0][state][$in][30]", "WA")]
    params = padding(None, 19) + values
    assert listed(get(people.tenant.viewer, params)) == people.ids("Bill")


# --- bad keys --------------------------------------------------------------------------------

BAD_KEYS = ["$or[10][last_name]", "$or[x][last_name]", "$or[0]", "$or[-1][last_name]",
            "$or[]", "$or[0][last_name][$ne][0]", "state[$ne][0]", "state[$eq][]",
            "last_name[0]", "state[$in][x]", "$or[0][nope]"]


@pytest.mark.parametrize("key", BAD_KEYS)
def test_bad_keys_are_400_naming_the_parameter(people, key):
    viewer = people.tenant.viewer
    assert_error(get(viewer, [(key, "NY")]), 400, "bad_request", [key])
    assert_error(raw_get(viewer, f"{key}=NY"), 400, "bad_request", [key])
    # One bad key fails the list even beside good $or branches.
    r = get(viewer, [("$or[0][state]", "NY"), (key, "NY"), ("$or[1][state]", "CA")])
    assert_error(r, 400, "bad_request", [key])


# --- qs encodings of several values ----------------------------------------------------------

IN_ENCODINGS = [
    "state[$in]=NY&state[$in]=CA",
    "state[$in][0]=NY&state[$in][1]=CA",
    "state[$in][1]=NY&state[$in][0]=CA",
    "state[$in][]=NY&state[$in][]=CA",
    "state[$in][0]=NY&state[$in]=CA",
]


@pytest.mark.parametrize("query", IN_ENCODINGS)
def test_in_values_however_qs_writes_them(people, query):
    expected = people.ids("Sarah", "Steve", "Ada", "Grace")
    viewer = people.tenant.viewer
    assert listed(raw_get(viewer, query)) == expected
    encoded = query.replace("[", "%5B").replace("]", "%5D").replace("$", "%24")
    assert listed(get_query(viewer, encoded)) == expected
    pairs = [tuple(part.split("=")) for part in query.split("&")]
    assert listed(get(viewer, pairs)) == expected


@pytest.mark.parametrize("query,names", [
    ("state%5B%24in%5D%5B0%5D=NY", ["Sarah", "Grace"]),
    ("state%5B%24in%5D%5B0%5D=NY&state%5B%24in%5D%5B1%5D=WA", ["Sarah", "Bill", "Grace"]),
    ("state%5b%24nin%5d%5b%5d=NY&state%5b%24nin%5d%5b%5d=CA", ["Bill"]),
    ("%24or%5B0%5D%5Bstate%5D%5B%24in%5D%5B0%5D=WA&%24or%5B1%5D%5Blast_name%5D=hopper",
     ["Bill", "Grace"]),
    ("tags%5B%24all%5D%5B0%5D=board&tags%5B%24all%5D%5B1%5D=CREW", ["Bill"]),
])
def test_percent_encoded_keys(people, query, names):
    assert listed(get_query(people.tenant.viewer, query)) == people.ids(*names)


@pytest.mark.parametrize("params,names", [
    ([("state[$nin][0]", "NY"), ("state[$nin][1]", "CA")], ["Bill"]),
    ([("state[$nin][]", "NY"), ("state[$nin][]", "CA")], ["Bill"]),
    ([("tags[$all][0]", "board"), ("tags[$all][1]", "crew")], ["Bill"]),
    ([("tags[$all][]", "board"), ("tags[$all][]", "vip")], []),
    ([("tags[$in][]", "vip"), ("tags[$in][]", "zeta")], ["Sarah", "Grace"]),
    ([("$or[0][tags][$all][]", "board"), ("$or[0][tags][$all][]", "crew"),
      ("$or[1][state][$nin][0]", "NY"), ("$or[1][state][$nin][1]", "WA")],
     ["Bill", "Steve", "Ada"]),
])
def test_nin_and_all_take_indexed_values(people, params, names):
    assert listed(get(people.tenant.viewer, params)) == people.ids(*names)


# --- seed 002's fields -----------------------------------------------------------------------

FIELD_FILTERS = [
    ("company_name", "MERIDIAN capital", ["Sarah", "Ada", "Grace"]),
    ("company_name", "Apex partners", ["Bill", "Steve"]),
    ("company_name", "meridian", []),
    ("company_name[$ne]", "meridian capital", ["Bill", "Steve"]),
    ("spouse_name", "tom chen", ["Sarah"]),
    ("spouse_name[$gte]", "u", ["Grace"]),
    ("spouse_email", "TOM@example.com", ["Sarah"]),
    ("spouse_phone", "+16045551124", ["Sarah"]),
    ("spouse_phone", "(604) 555-1124", ["Sarah"]),
    ("spouse_phone", "604.555.1124", ["Sarah"]),
    ("spouse_phone", "(212) 555-0190", ["Grace"]),
    ("spouse_birthday", "08/15/1964", ["Sarah"]),
    ("spouse_birthday", "1964-08-15", ["Sarah"]),
    ("spouse_birthday[$lt]", "01/01/1960", ["Grace"]),
    ("spouse_birthday[$gte]", "1959-12-01", ["Sarah", "Grace"]),
    ("mobile_phone", "+16045554572", ["Sarah"]),
    ("mobile_phone", "604-555-4572", ["Sarah"]),
    ("mobile_phone", "(604) 555-9999", []),  # Sarah's second mobile number
    ("mobile_phone", "4085550102", ["Steve"]),
    ("home_phone", "+1 (206) 555-0101", ["Bill"]),
    ("home_phone", "408 555 0199", ["Steve"]),
    ("office_phone", "+12125550184", ["Sarah"]),
    ("office_phone", "212.555.0100", ["Bill"]),
    ("work_phone", "(718) 555-0108", ["Grace"]),
    ("work_phone", "+14155550103", ["Ada"]),
    ("main_phone", "415 555 0105", ["Ada"]),
    ("main_phone", "+17185550106", ["Grace"]),
    ("fax", "(718) 555-0107", ["Grace"]),
    ("fax", "+14155550104", ["Ada"]),
    ("fax", "(415) 555-0105", []),  # Ada's main number, not her fax
]


@pytest.mark.parametrize("key,value,names", FIELD_FILTERS)
def test_filters_on_seed_002_fields(people, key, value, names):
    assert listed(get(people.tenant.viewer, {key: value})) == people.ids(*names)


@pytest.mark.parametrize("params,names", [
    ([("mobile_phone[$in]", "(604) 555-4572"), ("mobile_phone[$in]", "+14085550102")],
     ["Sarah", "Steve"]),
    ([("mobile_phone[$ne]", "+16045554572")], ["Bill", "Steve", "Ada", "Grace"]),
    ([("fax[$nin][]", "4155550104"), ("fax[$nin][]", "7185550107")], ["Sarah", "Bill", "Steve"]),
    ([("company_name[$in][0]", "apex partners"), ("company_name[$in][1]", "nobody")],
     ["Bill", "Steve"]),
    ([("$or[0][spouse_phone]", "+12125550190"), ("$or[1][mobile_phone]", "408 555 0102")],
     ["Steve", "Grace"]),
    ([("company_name", "meridian capital"), ("$or[0][spouse_name]", "Tom Chen"),
      ("$or[1][fax]", "+14155550104")], ["Sarah", "Ada"]),
])
def test_seed_002_fields_with_operators_and_or(people, params, names):
    assert listed(get(people.tenant.viewer, params)) == people.ids(*names)


def test_seed_002_fields_see_unconnected_contacts_with_is_connected_all(people):
    r = get(people.tenant.viewer, {"mobile_phone": "+16045554572", "is_connected": "all"})
    assert listed(r) == people.ids("Sarah", "Hidden")


@pytest.mark.parametrize("key,value", [
    ("spouse_birthday", "1964-13-45"), ("spouse_birthday[$gt]", "yesterday"),
    ("mobile_phone[$all]", "6045554572"), ("company_name[$all]", "apex partners")])
def test_bad_values_and_operators_on_seed_002_fields_are_400(people, key, value):
    assert_error(get(people.tenant.viewer, {key: value}), 400, "bad_request", [key])


@pytest.mark.parametrize("sort,names", [
    # Case-insensitive: "apex Partners" before "Meridian Capital".
    ("company_name,first_name", ["Bill", "Steve", "Ada", "Grace", "Sarah"]),
    ("-company_name,first_name", ["Ada", "Grace", "Sarah", "Bill", "Steve"]),
])
def test_sort_by_company_name(people, sort, names):
    assert listed(get(people.tenant.viewer, {"sort": sort})) == people.ids(*names)


@pytest.mark.parametrize("sort,names", [
    ("spouse_name", ["Sarah", "Grace"]), ("-spouse_name", ["Grace", "Sarah"]),
    ("spouse_email", ["Sarah", "Grace"]), ("-spouse_email", ["Grace", "Sarah"]),
    # By the number, not as written: +1212... before +1604... ("(604)..." was sent).
    ("spouse_phone", ["Grace", "Sarah"]), ("-spouse_phone", ["Sarah", "Grace"]),
    # By the date, not as written: 1959-12-01 before 1964-08-15 ("08/15/1964" was sent).
    ("spouse_birthday", ["Grace", "Sarah"]), ("-spouse_birthday", ["Sarah", "Grace"]),
])
def test_sort_by_spouse_fields(people, sort, names):
    params = [("sort", sort)] + [("id[$in]", i) for i in people.ids("Sarah", "Grace")]
    assert listed(get(people.tenant.viewer, params)) == people.ids(*names)


@pytest.mark.parametrize("sort,among,names", [
    # +1408... before +1604... ("(604) 555-4572" was sent, "408-555-0102" too).
    ("mobile_phone", ["Sarah", "Steve"], ["Steve", "Sarah"]),
    ("-mobile_phone", ["Sarah", "Steve"], ["Sarah", "Steve"]),
    ("home_phone", ["Bill", "Steve"], ["Bill", "Steve"]),
    ("-home_phone", ["Bill", "Steve"], ["Steve", "Bill"]),
    # +12125550100 before +12125550184 ("(212) 555-0100" was sent, "212-555-0184" too).
    ("office_phone", ["Sarah", "Bill"], ["Bill", "Sarah"]),
    ("work_phone", ["Ada", "Grace"], ["Ada", "Grace"]),
    ("-work_phone", ["Ada", "Grace"], ["Grace", "Ada"]),
    ("main_phone", ["Ada", "Grace"], ["Ada", "Grace"]),
    ("-fax", ["Ada", "Grace"], ["Grace", "Ada"]),
])
def test_sort_by_first_number_of_a_type(people, sort, among, names):
    params = [("sort", sort)] + [("id[$in]", i) for i in people.ids(*among)]
    assert listed(get(people.tenant.viewer, params)) == people.ids(*names)


@pytest.mark.parametrize("sort,names", [
    # None first, then ["beta"], ["Board", "Crew"], ["vip"], ["zeta"] compared case-insensitively.
    ("tags", ["Steve", "Ada", "Bill", "Sarah", "Grace"]),
    ("-tags", ["Grace", "Sarah", "Bill", "Ada", "Steve"]),
])
def test_sort_by_tags_as_one_text(people, sort, names):
    assert listed(get(people.tenant.viewer, {"sort": sort})) == people.ids(*names)


def test_sort_by_seed_002_fields_with_or_and_pages(people):
    params = [("sort", "-tags"), ("$or[0][company_name]", "apex partners"),
              ("$or[1][spouse_birthday][$lt]", "1960-01-01"), ("is_connected", "all")]
    # apex's Bill, Steve and (unconnected) Hidden, or Grace: by tags descending.
    seen = []
    for offset in (0, 2):
        r = get(people.tenant.viewer, params + [("limit", 2), ("offset", offset)])
        assert r.status_code == 200, r.text
        assert r.json()["pagination"]["total"] == 4
        seen += [c["id"] for c in r.json()["data"]]
    assert seen == people.ids("Grace", "Hidden", "Bill", "Steve")
