"""GET /metrics: Prometheus text exposition of requests by surface, route template and status,
the server's connections, the SQLite store, the webhook outbox and the process."""
import os
import re
import shutil
import signal
import subprocess
import time

import pytest
import requests

from conftest import BIN, Client, free_port, start_server, stderr_sink, wait_healthy
from webhook_receiver import Receiver

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse(text):
    """{(name, frozenset(labels.items())): value} of every sample."""
    samples = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        match = SAMPLE.match(line)
        assert match, line
        labels = frozenset(LABEL.findall(match.group(3) or ""))
        samples[(match.group(1), labels)] = float(match.group(4))
    return samples


def value(samples, name, **labels):
    return samples.get((name, frozenset(labels.items())), 0.0)


def scrape(server, **kw):
    r = requests.get(server.url + "/metrics", **kw)
    assert r.status_code == 200, r.text
    return r


def test_metrics_pass_promtool_and_use_the_text_format(server, tenant):
    tenant.admin.get("/contacts?is_connected=all")
    r = scrape(server)
    assert r.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    assert shutil.which("promtool"), "promtool (Debian's prometheus package) is missing"
    check = subprocess.run(["promtool", "check", "metrics"], input=r.text, capture_output=True,
                           text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout + check.stderr == ""
    for family in ("contactd_http_requests_total", "contactd_http_request_duration_seconds",
                   "contactd_http_requests_in_flight", "contactd_http_connections_open",
                   "contactd_rate_limit_rejections_total", "contactd_sqlite_write_wait_seconds",
                   "contactd_sqlite_commit_group_writes", "contactd_sqlite_commit_duration_seconds",
                   "contactd_sqlite_connections_acquired_total", "contactd_cache_requests_total",
                   "contactd_webhook_outbox_backlog", "process_cpu_seconds_total",
                   "process_resident_memory_bytes", "process_start_time_seconds"):
        assert f"# TYPE {family} " in r.text, family


def test_requests_are_counted_by_surface_route_template_method_and_status(server, tenant):
    company = tenant.admin.company()
    contact = tenant.admin.contact(company["id"], first_name="Counted")
    route = "/api/external/v2/contacts/{contact_id}"
    key = dict(surface="native", route=route, method="GET")
    before = parse(scrape(server).text)
    for _ in range(3):
        assert tenant.admin.get(f"/contacts/{contact['id']}").status_code == 200
    assert tenant.admin.get("/contacts/999999999").status_code == 404
    after = parse(scrape(server).text)
    for status, added in (("200", 3), ("404", 1)):
        name = "contactd_http_requests_total"
        assert value(after, name, **key, status=status) - value(before, name, **key,
                                                                     status=status) == added
        # The histogram's count is the same number, and its +Inf bucket too.
        count = value(after, "contactd_http_request_duration_seconds_count", **key,
                      status=status)
        assert count == value(after, name, **key, status=status)
        assert value(after, "contactd_http_request_duration_seconds_bucket", **key,
                     status=status, le="+Inf") == count
    # Buckets are cumulative.
    buckets = sorted(
        ((float(dict(labels)["le"]), v) for (name, labels), v in after.items()
         if name == "contactd_http_request_duration_seconds_bucket"
         and dict(labels).get("route") == route and dict(labels).get("method") == "GET"
         and dict(labels).get("status") == "200"),
        key=lambda b: b[0])
    assert [v for _, v in buckets] == sorted(v for _, v in buckets)


def test_each_surface_and_its_unrouted_paths_are_labelled_apart(server, tenant):
    token = tenant.admin.session.headers["Authorization"]
    requests.get(server.url + "/compat/liondesk/contacts", headers={"Authorization": token})
    requests.get(server.url + "/api/v1/contacts", headers={"Authorization": token})
    requests.get(server.url + "/compat/leadconnector/contacts/1",
                 headers={"Authorization": token, "Version": "2021-07-28"})
    requests.get(server.url + "/compat/liondesk/no-such-thing")
    requests.get(server.url + "/nowhere")
    samples = parse(scrape(server).text)
    seen = {(dict(labels)["surface"], dict(labels)["route"]) for (name, labels) in samples
            if name == "contactd_http_requests_total"}
    assert ("liondesk", "/compat/liondesk/contacts") in seen
    assert ("v1", "/api/v1/contacts") in seen
    assert ("leadconnector", "/compat/leadconnector/contacts/{id}") in seen
    assert ("liondesk", "unrouted") in seen
    assert ("system", "unrouted") in seen
    assert ("system", "/healthz") in seen


def test_writes_show_in_the_store_metrics(server, tenant):
    before = parse(scrape(server).text)
    company = tenant.admin.company(name="Store Metrics")
    for i in range(3):
        tenant.admin.contact(company["id"], first_name=f"W{i}")
    after = parse(scrape(server).text)
    for name in ("contactd_sqlite_commit_group_writes_count",
                 "contactd_sqlite_write_wait_seconds_count",
                 "contactd_sqlite_commit_duration_seconds_count"):
        assert value(after, name) - value(before, name) >= 4, name
    assert value(after, "contactd_sqlite_commit_group_writes_sum") - \
        value(before, "contactd_sqlite_commit_group_writes_sum") >= 4
    assert value(after, "contactd_sqlite_connections_acquired_total") > \
        value(before, "contactd_sqlite_connections_acquired_total")


def test_list_queries_count_statement_cache_hits(server, tenant):
    """Each pooled connection has its own statement cache, and which one serves a read is up to
    the pool: a request may miss on a connection it has not met yet, but never more often than
    there are connections, so repeated requests soon count hits."""
    def lookups(samples, result):
        return value(samples, "contactd_cache_requests_total", cache="statement", result=result)

    before = parse(scrape(server).text)
    requests_made, hits = 0, 0
    while hits < 4 and requests_made < 40:
        r = tenant.admin.get("/contacts?is_connected=all&last_name=Cache")
        assert r.status_code == 200, r.text
        requests_made += 1
        hits = lookups(parse(scrape(server).text), "hit") - lookups(before, "hit")
    after = parse(scrape(server).text)
    assert hits >= 4, f"{hits} statement cache hits in {requests_made} list requests"
    # Every lookup counts, as a hit or as a miss: at least one per request.
    assert (lookups(after, "hit") + lookups(after, "miss")) - \
        (lookups(before, "hit") + lookups(before, "miss")) >= requests_made


def test_the_process_metrics_describe_the_server_process(server):
    samples = parse(scrape(server).text)
    with open(f"/proc/{server.proc.pid}/status") as status:
        rss_kib = int(re.search(r"VmRSS:\s+(\d+) kB", status.read()).group(1))
    rss = value(samples, "process_resident_memory_bytes")
    assert 0.5 * rss_kib * 1024 < rss < 2 * rss_kib * 1024
    started = value(samples, "process_start_time_seconds")
    assert time.time() - 3600 < started <= time.time() + 1
    assert value(samples, "process_open_fds") > 0
    assert value(samples, "process_cpu_seconds_total") > 0


def test_connections_and_requests_in_flight_are_gauges(server):
    with requests.Session() as kept:
        kept.get(server.url + "/healthz")  # one connection stays open
        samples = parse(kept.get(server.url + "/metrics").text)
    # The scrape itself is in flight, on an open connection.
    assert value(samples, "contactd_http_requests_in_flight") >= 1
    assert value(samples, "contactd_http_connections_open") >= 1


@pytest.fixture
def limited(tmp_path):
    port = free_port()
    proc = start_server(tmp_path / "limited.db", port,
                        args=["--auth-failure-limit", "2/min", "--rate-limit", "3/min",
                              "--metrics-token", "scrape-secret-0123456789"])

    class Limited:
        url = f"http://127.0.0.1:{port}"
        api = url + "/api/external/v2"
        db = tmp_path / "limited.db"
    yield Limited
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)


def test_a_metrics_token_is_required_when_one_is_set(limited):
    assert requests.get(limited.url + "/metrics").status_code == 401
    wrong = requests.get(limited.url + "/metrics", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    right = requests.get(limited.url + "/metrics",
                         headers={"Authorization": "Bearer scrape-secret-0123456789"})
    assert right.status_code == 200
    assert "contactd_http_requests_total" in right.text


def test_rate_limit_rejections_are_counted_by_reason(limited):
    auth = {"Authorization": "Bearer scrape-secret-0123456789"}
    account = subprocess.run([BIN, "accounts", "create", "--name", "Limited", "--db",
                              str(limited.db)], capture_output=True, text=True, check=True)
    account_id = re.search(r'"id":\s*(\d+)', account.stdout).group(1)
    token = subprocess.run([BIN, "tokens", "create", "--account", account_id, "--role", "admin",
                            "--db", str(limited.db)], capture_output=True, text=True,
                           check=True).stdout.strip()
    statuses = [requests.get(limited.api + "/tags",
                             headers={"Authorization": f"Bearer {token}"}).status_code
                for _ in range(5)]
    assert 1 <= statuses.count(429) < 5, statuses
    # Then failed authentications until the address is refused.
    failed = [requests.get(limited.api + "/contacts",
                           headers={"Authorization": "Bearer wrong"}).status_code
              for _ in range(4)]
    assert failed.count(429) >= 1, failed
    samples = parse(requests.get(limited.url + "/metrics", headers=auth).text)
    assert value(samples, "contactd_rate_limit_rejections_total", reason="account_limit") == \
        statuses.count(429)
    assert value(samples, "contactd_rate_limit_rejections_total", reason="auth_failures") == \
        failed.count(429)


def test_webhook_attempts_failures_and_backlog_are_counted_by_endpoint(tmp_path):
    db, port = tmp_path / "hooks.db", free_port()
    env = dict(os.environ, CONTACTD_WEBHOOK_RETRY_SCALE="0.001")
    proc = subprocess.Popen([BIN, "serve", "--db", str(db), "--listen", f"127.0.0.1:{port}",
                             "--threads", "2", "--webhook-allow-private"], env=env,
                            stdout=subprocess.DEVNULL, stderr=stderr_sink(subprocess.DEVNULL))
    receiver = Receiver()
    try:
        wait_healthy(port, proc)
        account = subprocess.run([BIN, "accounts", "create", "--name", "Hooks", "--db", str(db)],
                                 capture_output=True, text=True, check=True).stdout
        account_id = re.search(r'"id":\s*(\d+)', account).group(1)
        token = subprocess.run([BIN, "tokens", "create", "--account", account_id, "--role",
                                "admin", "--db", str(db)],
                               capture_output=True, text=True, check=True).stdout.strip()

        class S:
            api = f"http://127.0.0.1:{port}/api/external/v2"
        admin = Client(S, token)
        receiver.status = 500
        hook = admin.post("/webhooks", {"url": receiver.url, "events": ["*"]}).json()["data"]
        company = admin.company(name="Hooked")
        admin.contact(company["id"], first_name="Hooked")
        url = f"http://127.0.0.1:{port}/metrics"
        labels = dict(webhook_id=str(hook["id"]))
        deadline = time.time() + 20
        while True:
            samples = parse(requests.get(url).text)
            failures = value(samples, "contactd_webhook_delivery_failures_total", **labels)
            if failures >= 2 or time.time() > deadline:
                break
            time.sleep(0.1)
        assert failures >= 2
        assert value(samples, "contactd_webhook_delivery_attempts_total", **labels) >= failures
        # Failing deliveries wait for their retry in the outbox.
        assert value(samples, "contactd_webhook_outbox_backlog") >= 1
        receiver.status = 200
        deadline = time.time() + 20
        while value(parse(requests.get(url).text), "contactd_webhook_outbox_backlog") > 0:
            assert time.time() < deadline, "the outbox did not drain"
            time.sleep(0.1)
        samples = parse(requests.get(url).text)
        assert value(samples, "contactd_webhook_delivery_attempts_total", **labels) > \
            value(samples, "contactd_webhook_delivery_failures_total", **labels)
    finally:
        receiver.close()
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
