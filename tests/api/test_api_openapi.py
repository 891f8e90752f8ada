"""The OpenAPI document: valid 3.1, in step with the routes, and true to the answers."""
import re

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from forum.services import tokens

API_PREFIX = "/api/v1"
PLACEHOLDER = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


@pytest.fixture
def document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.get_json()


def test_document_is_valid_openapi_3_1(document):
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_every_api_route_is_documented_and_nothing_else(app, document):
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            path = PLACEHOLDER.sub(r"{\1}", rule.rule[len(API_PREFIX):])
            routes |= {(path, method.lower()) for method in rule.methods - {"HEAD", "OPTIONS"}}
    documented = {
        (path, method) for path, operations in document["paths"].items() for method in operations
    }
    assert routes == documented
    assert ("/districts", "get") in routes and ("/me", "get") in routes


def test_components_hold_the_shared_schemas(document):
    components = document["components"]
    assert {"Error", "Page", "District", "Category", "Agency"} <= set(components["schemas"])
    assert components["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "description": components["securitySchemes"]["bearerAuth"]["description"],
    }
    assert components["schemas"]["Error"]["properties"]["error"]["required"] == ["code", "message"]


def test_operation_ids_are_unique(document):
    ids = [operation["operationId"] for operations in document["paths"].values() for operation in operations.values()]
    assert len(ids) == len(set(ids))


def test_token_only_routes_require_bearer_auth(document):
    assert document["paths"]["/me"]["get"]["security"] == [{"bearerAuth": []}]
    assert {} in document["paths"]["/districts"]["get"]["security"]


def _validator(document, schema):
    # `#/components/...` references resolve against the root, so carry the components along.
    return Draft202012Validator({**schema, "components": document["components"]})


def _response_schema(document, path, status="200"):
    return document["paths"][path]["get"]["responses"][status]["content"]["application/json"]["schema"]


@pytest.mark.parametrize(
    "path, schema_name", [("/districts", "District"), ("/categories", "Category"), ("/agencies", "Agency")]
)
def test_reference_answers_match_their_documented_schema(client, document, path, schema_name):
    answer = client.get(API_PREFIX + path).get_json()
    _validator(document, _response_schema(document, path)).validate(answer)
    assert set(answer["items"][0]) == set(document["components"]["schemas"][schema_name]["properties"])


def test_me_and_error_answers_match_their_documented_schema(client, document, official):
    _row, raw = tokens.create_token(official, official, "schema")
    answer = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).get_json()
    _validator(document, _response_schema(document, "/me")).validate(answer)
    error = client.get("/api/v1/districts?per_page=0").get_json()
    _validator(document, {"$ref": "#/components/schemas/Error"}).validate(error)
    # The validator is strict enough to refuse a wrong shape.
    assert not _validator(document, {"$ref": "#/components/schemas/Error"}).is_valid({"error": "x"})


def test_every_write_may_answer_429_with_retry_after(document):
    """Every write counts against the app-wide write limit, and the screen's posting limits answer 429 too."""
    writes = [(path, method, operation) for path, operations in document["paths"].items()
              for method, operation in operations.items() if method in {"post", "put", "patch", "delete"}]
    assert len(writes) > 10
    for path, method, operation in writes:
        assert operation["responses"]["429"] == {"$ref": "#/components/responses/RateLimited"}, (method, path)
    assert "429" not in document["paths"]["/districts"]["get"]["responses"]
    headers = document["components"]["responses"]["RateLimited"]["headers"]
    assert headers["Retry-After"]["schema"] == {"type": "integer", "minimum": 1}
