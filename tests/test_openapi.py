"""The OpenAPI 3.1 document: complete (every /api/v1 route), valid, and true of the live app (Schemathesis)."""

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from openapi_spec_validator import OpenAPIV31SpecValidator
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from portal.api import openapi
from tests.test_api_v1 import api_catalog  # noqa: F401  (fixture)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance]
METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}


def test_document_is_valid_openapi_3_1(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    doc = response.get_json()
    assert doc["openapi"].startswith("3.1")
    OpenAPIV31SpecValidator(doc).validate()
    assert doc["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "description": doc["components"]["securitySchemes"]["bearerAuth"][
            "description"]}


def test_every_api_v1_route_is_documented(app, client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    missing = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1"):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        for method in rule.methods & METHODS:
            operation = paths.get(path, {}).get(method.lower())
            if operation is None or not operation.get("summary") or not operation.get("responses"):
                missing.append(f"{method} {rule.rule}")
    assert not missing, f"routes missing from /api/v1/openapi.json (document them in the view's docstring): {missing}"


def test_an_undocumented_route_is_left_out(app):
    """The document lists only what the code documents: the completeness test above catches a new bare route."""
    app.add_url_rule("/api/v1/bare", "bare", lambda: "")
    with app.app_context():
        assert "/api/v1/bare" not in openapi.build(app)["paths"]


def test_document_shape(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    paths = doc["paths"]
    download = paths["/api/v1/datasets/{name}/resources/{resource}"]["get"]
    assert {"200", "206", "304", "401", "403", "404"} <= set(download["responses"])
    assert {"text/csv", "application/octet-stream"} <= set(download["responses"]["200"]["content"])
    assert {"ETag", "Content-Length"} <= set(download["responses"]["200"]["headers"])
    assert download["security"] == [{"bearerAuth": []}]
    assert paths["/api/v1/applications"]["post"]["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ApplicationRequest"}
    assert paths["/api/v1/applications"]["post"]["security"] == [{"bearerAuth": []}]
    search = {p["name"] for p in paths["/api/v1/datasets"]["get"]["parameters"] if "name" in p}
    assert {"q", "sort", "department", "open_access", "format", "keyword"} <= search
    # schemas derived from the service dataclasses
    resource = doc["components"]["schemas"]["Resource"]["properties"]
    assert {"name", "format", "bytes", "hash", "rows", "fields", "download_url"} <= set(resource)
    assert doc["components"]["schemas"]["ApplicationDetail"]["properties"]["timeline"]["items"] == {
        "$ref": "#/components/schemas/TimelineEntry"}


def test_dataclass_schema():
    from dataclasses import dataclass
    from datetime import date, datetime

    @dataclass
    class Thing:
        name: str
        at: datetime
        day: date | None
        tags: list[str]
        extra: dict | None = None
        count: int = 0

    schema = openapi.dataclass_schema(Thing, rename={"count": "n"})
    assert schema["required"] == ["name", "at", "day", "tags", "extra", "n"]
    assert schema["properties"]["at"] == {"type": "string", "format": "date-time"}
    assert schema["properties"]["day"] == {"anyOf": [{"type": "string", "format": "date"}, {"type": "null"}]}
    assert schema["properties"]["tags"] == {"type": "array", "items": {"type": "string"}}
    assert schema["properties"]["extra"] == {"type": ["object", "null"]}


def test_docs_page_is_rendered_from_the_document(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    doc = client.get("/api/v1/openapi.json").get_json()
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post"):
                assert path in page and operation["summary"] in page
    assert "接口文档" in page and "Authorization: Bearer" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page), "no assets from the network"


# -- Schemathesis against the live app ---------------------------------------------------------
def _run(operation, strategy, headers, failures, max_examples):
    @given(case=strategy)
    @settings(max_examples=max_examples, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    def run(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    try:
        run()
    except Unsatisfiable:  # negative mode: nothing to break in an operation with only a string path parameter
        pass
    except (Exception, BaseExceptionGroup) as exc:  # collect every operation's failure, report them together
        failures.append(f"{operation.method.upper()} {operation.path}: {exc}")


def test_schemathesis_conformance(app, api_catalog):  # noqa: F811
    """Generated requests for every operation: no 5xx; status, content type, headers and body as documented.

    Valid requests (positive), then schema-violating ones (negative: out-of-range pages, wrong enum
    values, wrong types), which must also be answered as documented (a 4xx in the envelope)."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers = {"Authorization": f"Bearer {api_catalog['staff']}"}
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        _run(operation, operation.as_strategy(), headers, failures, 25)
        _run(operation, operation.as_strategy(generation_mode=GenerationMode.NEGATIVE), headers, failures, 15)
        if "{name}" in operation.path:  # and again with a real dataset, to reach the 200s
            fixed = {"name": "api-pharmacies", "resource": "pharmacies"}
            params = {k: v for k, v in fixed.items() if f"{{{k}}}" in operation.path}
            _run(operation, operation.as_strategy(path_parameters=params), headers, failures, 10)
    assert not failures, "\n\n".join(failures)


def test_schemathesis_without_a_token(app, api_catalog):  # noqa: F811
    """Anonymous callers: personal routes answer 401 in the envelope, as documented."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        _run(operation, operation.as_strategy(), {}, failures, 5)
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("headers, status", [({}, 200), ({"Range": "bytes=0-9"}, 206)])
def test_download_responses_conform(app, api_catalog, headers, status):  # noqa: F811
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operation = schema["/api/v1/datasets/{name}/resources/{resource}"]["GET"]
    case = operation.Case(path_parameters={"name": "api-pharmacies", "resource": "pharmacies"},
                          headers={"Authorization": f"Bearer {api_catalog['person']}", **headers})
    response = case.call_and_validate(checks=CHECKS)
    assert response.status_code == status
    found = {k.lower(): v for k, v in response.headers.items()}
    etag = found["etag"][0] if isinstance(found["etag"], list) else found["etag"]
    assert int(found["content-length"][0] if isinstance(found["content-length"], list) else found["content-length"])
    again = operation.Case(path_parameters={"name": "api-pharmacies", "resource": "pharmacies"},
                           headers={"Authorization": f"Bearer {api_catalog['person']}", "If-None-Match": etag})
    assert again.call_and_validate(checks=CHECKS).status_code == 304
