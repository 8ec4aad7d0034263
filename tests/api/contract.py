"""The contract test: every response contactd sends to the API tests is checked against the
OpenAPI document of its surface (docs/openapi/<surface>.yaml), so that spec and server cannot
drift apart. conftest.py records the responses of each test and fails it on any violation.

A response is described when its operation (path template + method) declares its status code,
the headers it marks required are present, and its body has a declared media type and, for JSON,
is valid against the schema (JSON Schema 2020-12, formats checked). A path no template matches
is described by the spec's `components.responses.Error404`, a method its path lacks by `Error405`
(or a 400, for a path that does not decode).

Run as a script: `contract.py check SURFACE` checks the document itself (schemas valid, every
$ref resolves), `contract.py dump SURFACE` prints it as JSON.
"""
import json
import re
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import requests.adapters
import yaml

ROOT = Path(__file__).resolve().parents[2]
SPECS = ROOT / "docs" / "openapi"
SURFACES = ("native", "v1", "liondesk", "leadconnector")
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# Statuses whose responses never carry a body.
BODILESS = (204, 304)


def load(surface):
    """The surface's document, or None when it has none."""
    path = SPECS / f"{surface}.yaml"
    if not path.exists():
        return None
    return yaml.safe_load(path.read_text())


def resolve(doc, node):
    """`node` with its local $ref (if any) followed."""
    seen = 0
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if not ref.startswith("#/"):
            raise ValueError(f"only local $ref are supported: {ref}")
        node = doc
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        seen += 1
        if seen > 32:
            raise ValueError(f"$ref loop at {ref}")
    return node


class Spec:
    def __init__(self, surface, doc):
        self.surface = surface
        self.doc = doc
        self.server = doc["servers"][0]["url"].rstrip("/")
        self.resolver = jsonschema.RefResolver.from_schema(doc, id_of=lambda _: "")
        self.format_checker = jsonschema.FormatChecker()
        self.templates = []  # (literal segment count, regex, path item)
        for key, item in doc.get("paths", {}).items():
            item = resolve(doc, item)
            base = item["servers"][0]["url"].rstrip("/") if "servers" in item else self.server
            full = (base + key).rstrip("/") or "/"
            pattern = "".join(
                "/[^/]+" if re.fullmatch(r"\{[^/{}]+\}", segment) else "/" + re.escape(segment)
                for segment in full.split("/")[1:])
            literal = sum(1 for s in full.split("/") if s and not s.startswith("{"))
            self.templates.append((literal, re.compile((pattern or "/") + "$"), item))
        self.templates.sort(key=lambda t: -t[0])

    def path_item(self, path):
        path = path.rstrip("/") or "/"
        for _, regex, item in self.templates:
            if regex.match(path):
                return item
        return None

    def validate_json(self, schema, value):
        validator = jsonschema.Draft202012Validator(
            schema, resolver=self.resolver, format_checker=self.format_checker)
        return [f"{'/'.join(map(str, e.absolute_path)) or '(body)'}: {e.message}"
                for e in validator.iter_errors(value)]


_specs = {}
_specs_lock = threading.Lock()


def specs():
    with _specs_lock:
        if not _specs:
            for surface in SURFACES:
                doc = load(surface)
                if doc is not None:
                    _specs[surface] = Spec(surface, doc)
        return _specs


def spec_for(path):
    """The spec one of whose templates matches `path`, with that path item; else the spec whose
    server is the longest prefix of `path`, with None; else (None, None)."""
    best = None
    for spec in specs().values():
        item = spec.path_item(path)
        if item is not None:
            return spec, item
        if path == spec.server or path.startswith(spec.server + "/"):
            if best is None or len(spec.server) > len(best.server):
                best = spec
    return best, None


def is_json(media):
    return media == "application/json" or media.endswith("+json")


def violations(method, url, status, headers, content_type, body):
    """What the spec does not describe about one response: a list of messages, empty if none.
    `headers` holds the lower-case header names; `body` is None when it was not kept."""
    path = urlsplit(url).path
    spec, item = spec_for(path)
    if spec is None:
        return []
    doc = spec.doc
    operation = None
    if item is not None:
        operation = item.get("get" if method == "HEAD" else method.lower())
    if operation is None:
        name = "Error405" if item is not None else "Error404"
        expected = 405 if item is not None else 404
        if status not in (expected, 400):
            return [f"{spec.surface}: {method} {path} has no operation: {expected} expected, "
                    f"got {status}"]
        response = doc.get("components", {}).get("responses", {}).get(name)
        if response is None:
            return [f"{spec.surface}: no operation, and no components.responses.{name}"]
        where = f"{spec.surface} components.responses.{name}"
    else:
        responses = operation.get("responses", {})
        response = responses.get(str(status))
        if response is None:
            return [f"{spec.surface}: status {status} is not declared"]
        where = f"{spec.surface} {method} {path} → {status}"
    response = resolve(doc, response)
    problems = []
    for name, header in (response.get("headers") or {}).items():
        header = resolve(doc, header)
        if header.get("required") and name.lower() not in headers:
            problems.append(f"{where}: required header {name} is missing")
    content = response.get("content") or {}
    if method == "HEAD" or status in BODILESS or body is None:
        return problems  # no body, or a streamed one the test read
    media = content_type.split(";")[0].strip().lower()
    if not body:
        # Empty is a valid body of some media types (an NDJSON export of nothing), never JSON's.
        if content and (media not in content or is_json(media)):
            problems.append(f"{where}: the body is empty, the spec declares {list(content)}")
        return problems
    if media not in content:
        problems.append(f"{where}: media type {media!r} is not declared ({list(content)})")
        return problems
    schema = content[media].get("schema")
    if schema is not None and is_json(media):
        try:
            value = json.loads(body)
        except ValueError as e:
            return problems + [f"{where}: the body is not JSON: {e}"]
        problems += [f"{where}: {m}" for m in spec.validate_json(schema, value)]
    return problems


# Every response of contactd that went through `requests`, in order; conftest.py takes them.
_recorded = []
_original_send = requests.adapters.HTTPAdapter.send


def _recording_send(self, request, **kwargs):
    response = _original_send(self, request, **kwargs)
    if response.headers.get("Server") == "contactd":
        _recorded.append(response)
    return response


def install():
    requests.adapters.HTTPAdapter.send = _recording_send


def take_problems():
    """The violations of the responses recorded since the last call."""
    taken = _recorded[:]
    del _recorded[:len(taken)]
    problems = []
    for response in taken:
        request = response.request
        if response.raw is not None and response._content is False and \
                response._content_consumed:
            body = None  # streamed and already read by the test: not kept
        else:
            body = response.content
        headers = {k.lower() for k in response.headers}
        for message in violations(request.method, request.url, response.status_code, headers,
                                  response.headers.get("Content-Type", ""), body):
            problems.append(f"{request.method} {urlsplit(request.url).path}: {message}")
    return problems


def _check(surface):
    doc = load(surface)
    if doc is None:
        sys.exit(f"no docs/openapi/{surface}.yaml")
    problems = []

    def walk(node, where):
        if isinstance(node, dict):
            if "$ref" in node:
                try:
                    resolve(doc, node)
                except (KeyError, ValueError, TypeError) as e:
                    problems.append(f"{where}: $ref {node['$ref']} does not resolve ({e})")
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{where}/{i}")

    walk(doc, "#")
    for name, schema in doc.get("components", {}).get("schemas", {}).items():
        try:
            jsonschema.Draft202012Validator.check_schema(schema)
        except jsonschema.SchemaError as e:
            problems.append(f"components.schemas.{name}: {e.message}")
    for name in ("Error404", "Error405"):
        if name not in doc.get("components", {}).get("responses", {}):
            problems.append(f"components.responses.{name} is missing")
    print("\n".join(problems) or f"{surface}: ok")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("check", "dump") or sys.argv[2] not in SURFACES:
        sys.exit(f"usage: {sys.argv[0]} check|dump {'|'.join(SURFACES)}")
    if sys.argv[1] == "check":
        _check(sys.argv[2])
    doc = load(sys.argv[2])
    if doc is None:
        sys.exit(f"no docs/openapi/{sys.argv[2]}.yaml")
    json.dump(doc, sys.stdout, indent=2, ensure_ascii=False)
    print()
