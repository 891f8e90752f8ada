"""The OpenAPI 3.1 document of the API, built from the routes themselves.

Each API view carries its operation (summary, parameters, responses) through
the `@operation` decorator; route modules register their component schemas
with `schema()`. The document walks `app.url_map`, so every path, method and
path parameter comes from the real routes and cannot drift from the code: a
route without an `@operation` is left out, which the tests catch.

    @bp.get("/policies/<int:policy_id>")
    @operation("One policy", responses={200: json_response("The policy", ref("Policy"))},
               errors=(404,))
    def policy(policy_id): ...
"""
import re

from flask import current_app, jsonify

from forum.api import bp
from forum.extensions import WRITE_METHODS

API_PREFIX = "/api/v1"
OPERATIONS_ATTR = "_api_operations"
TOKEN_REQUIRED_ATTR = "_api_token_required"
IGNORED_METHODS = {"HEAD", "OPTIONS"}

# status -> (component response name, description)
ERROR_RESPONSES = {
    400: ("BadRequest", "The request could not be understood (for example malformed JSON)."),
    401: ("NotAuthenticated", "No bearer token, or the token is invalid or revoked."),
    403: ("Forbidden", "The token's account may not do this."),
    404: ("NotFound", "Not found, or not visible to the caller."),
    409: ("Conflict", "Not possible in the current state (for example a closed consultation)."),
    413: ("TooLarge", "The request body is too large."),
    415: ("UnsupportedMediaType", "The body must be sent as application/json (or multipart/form-data where the "
                                  "operation takes files)."),
    422: ("ValidationError", "Some fields are invalid; `error.fields` names them."),
    429: ("RateLimited", "Too many requests; wait the seconds in `Retry-After` and try again. Every write counts "
                         "against one limit per account (per address without a valid token); the screen's posting "
                         "gap and daily cap answer it too, naming the text's field in `error.fields`."),
}

_STRING = {"type": "string"}
_NULLABLE_STRING = {"type": ["string", "null"]}

SCHEMAS = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": {"type": "string", "examples": ["validation_error"]},
                    "message": {"type": "string"},
                    "fields": {
                        "type": "object",
                        "description": "A message per invalid field, present only for field errors.",
                        "additionalProperties": {"type": "string"},
                    },
                },
            }
        },
    },
    "Page": {
        "type": "object",
        "required": ["items", "page", "per_page", "total"],
        "properties": {
            "items": {"type": "array"},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": 100},
            "total": {"type": "integer", "minimum": 0},
        },
    },
}


def schema(name, definition):
    """Register a component schema; a name is registered once."""
    if name in SCHEMAS and SCHEMAS[name] != definition:
        raise ValueError(f"OpenAPI schema {name!r} registered twice")
    SCHEMAS[name] = definition
    return ref(name)


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def page_of(name):
    """Schema of a list page whose items are component `name`."""
    return {"allOf": [ref("Page"), {"properties": {"items": {"type": "array", "items": ref(name)}}}]}


def json_response(description, body_schema=None):
    response = {"description": description}
    if body_schema is not None:
        response["content"] = {"application/json": {"schema": body_schema}}
    return response


def json_request(body_schema, description=None):
    body = {"required": True, "content": {"application/json": {"schema": body_schema}}}
    if description:
        body["description"] = description
    return body


def multipart_request(body_schema):
    """A `multipart/form-data` body: text fields and files (`{"type": "string", "contentMediaType": ...}`)."""
    return {"required": True, "content": {"multipart/form-data": {"schema": body_schema}}}


def either_request(*bodies):
    """One request body taking any of `bodies`' media types, e.g. JSON or a form with files."""
    return {"required": True, "content": {media: spec for body in bodies for media, spec in body["content"].items()}}


def query_param(name, param_schema, description, required=False):
    return {"name": name, "in": "query", "required": required, "description": description, "schema": param_schema}


def nullable(type_name):
    """A JSON Schema type that also allows null (OpenAPI 3.1 style)."""
    return {"type": [type_name, "null"]}


def operation(summary, *, responses, method=None, description=None, tags=(), parameters=(),
              request_body=None, errors=(), paginated=False):
    """Describe the view's operation for `method` (default: each method of its route).

    `errors` lists the error statuses the view itself may answer; 401 (a bad
    token), 422 (bad page arguments) and a default error are added as needed.
    """
    spec = {"summary": summary, "responses": dict(responses)}
    if description:
        spec["description"] = description
    if tags:
        spec["tags"] = list(tags)
    params = list(parameters)
    statuses = set(errors)
    if paginated:
        params += [{"$ref": "#/components/parameters/Page"}, {"$ref": "#/components/parameters/PerPage"}]
        statuses.add(422)
    if params:
        spec["parameters"] = params
    if request_body is not None:
        spec["requestBody"] = request_body
        statuses.update((400, 413, 415, 422))
    spec["_errors"] = statuses

    def attach(view):
        view.__dict__.setdefault(OPERATIONS_ATTR, {})[method] = spec
        return view

    return attach


_PLACEHOLDER = re.compile(r"<(?:(?P<converter>\w+)(?:\([^)]*\))?:)?(?P<name>\w+)>")
_CONVERTER_TYPES = {"int": "integer", "float": "number"}


def _path_and_params(rule):
    params = []

    def placeholder(match):
        kind = _CONVERTER_TYPES.get(match["converter"], "string")
        param_schema = {"type": kind, "minimum": 0} if kind == "integer" else {"type": kind}
        params.append({"name": match["name"], "in": "path", "required": True, "schema": param_schema})
        return "{" + match["name"] + "}"

    return _PLACEHOLDER.sub(placeholder, rule.rule[len(API_PREFIX):]), params


def _finish(spec, operation_id, path_params, token_required, write):
    finished = {key: value for key, value in spec.items() if key != "_errors"}
    finished["operationId"] = operation_id
    if path_params:
        finished["parameters"] = path_params + finished.get("parameters", [])
    # Every request may carry a token; a bad one is refused even on public reads.
    finished["security"] = [{"bearerAuth": []}] if token_required else [{}, {"bearerAuth": []}]
    # Every write counts against the app-wide write limit (forum/extensions.py).
    statuses = spec["_errors"] | {401} | ({404} if path_params else set()) | ({429} if write else set())
    responses = dict(finished["responses"])
    for status in sorted(statuses):
        responses[str(status)] = {"$ref": f"#/components/responses/{ERROR_RESPONSES[status][0]}"}
    responses["default"] = {"$ref": "#/components/responses/Error"}
    finished["responses"] = {str(key): value for key, value in responses.items()}
    return finished


def _paths(app):
    paths = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda item: item.rule):
        if not rule.endpoint.startswith(bp.name + ".") or not rule.rule.startswith(API_PREFIX):
            continue
        view = app.view_functions[rule.endpoint]
        operations = getattr(view, OPERATIONS_ATTR, {})
        methods = sorted(rule.methods - IGNORED_METHODS)
        path, path_params = _path_and_params(rule)
        for method in methods:
            spec = operations.get(method) or operations.get(None)
            if spec is None:
                continue
            operation_id = rule.endpoint.partition(".")[2]
            if len(methods) > 1:
                operation_id += "_" + method.lower()
            paths.setdefault(path, {})[method.lower()] = _finish(
                spec, operation_id, path_params, getattr(view, TOKEN_REQUIRED_ATTR, False), method in WRITE_METHODS
            )
    return paths


def _components():
    responses = {
        name: json_response(description, ref("Error")) for name, description in ERROR_RESPONSES.values()
    }
    responses["Error"] = json_response("An error.", ref("Error"))
    responses[ERROR_RESPONSES[429][0]]["headers"] = {
        "Retry-After": {"description": "Seconds to wait before trying again.",
                        "schema": {"type": "integer", "minimum": 1}},
    }
    limit = {"type": "integer", "minimum": 1}
    return {
        "schemas": dict(SCHEMAS),
        "responses": responses,
        "parameters": {
            "Page": query_param("page", {**limit, "default": 1}, "Page number, from 1."),
            "PerPage": query_param(
                "per_page", {**limit, "maximum": 100}, "Items per page (at most 100; default 20, reference lists 100)."
            ),
        },
        "securitySchemes": {
            "bearerAuth": {
                "type": "http",
                "scheme": "bearer",
                "description": "A personal API token from `flask create-token` or the profile page.",
            }
        },
    }


def build_document(app):
    """The whole OpenAPI 3.1 document for `app` as a dict."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Musyawarah API",
            "version": "1.0.0",
            "summary": "Public participation forum of Kota Tangerang Selatan.",
            "description": (
                "Reads of public data need no account. Writes need `Authorization: Bearer TOKEN`; "
                "token requests carry no cookies and need no CSRF token. Lists take `page` and "
                "`per_page` (at most 100). Times are ISO 8601 with the Asia/Jakarta offset."
            ),
        },
        "servers": [{"url": API_PREFIX}],
        "paths": _paths(app),
        "components": _components(),
    }


@bp.get("/openapi.json")
@operation(
    "This OpenAPI document",
    tags=["meta"],
    responses={200: json_response("The OpenAPI 3.1 document.", {"type": "object"})},
)
def openapi_document():
    # Routes cannot change once the app serves requests, so one build per app is enough.
    document = current_app.extensions.get("musyawarah_openapi")
    if document is None:
        document = current_app.extensions["musyawarah_openapi"] = build_document(current_app)
    return jsonify(document)
