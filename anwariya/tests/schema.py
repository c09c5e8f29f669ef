"""The API's OpenAPI schema in tests: what an operation documents, and whether an answer matches it."""

import functools

import jsonschema
from drf_spectacular.generators import SchemaGenerator


@functools.cache
def openapi():
    """The generated schema, as ``/api/schema/`` serves it."""
    return SchemaGenerator().get_schema(request=None, public=True)


def operation(path, method):
    return openapi()["paths"][path][method.lower()]


def documented_statuses(path, method):
    return set(operation(path, method)["responses"])


def parameter(path, method, name):
    return next(p for p in operation(path, method)["parameters"] if p["name"] == name)


def component(name):
    return openapi()["components"]["schemas"][name]


def assert_matches(response, path, method):
    """The answer's status is documented for the operation and its JSON body matches that schema."""
    responses = operation(path, method)["responses"]
    status = str(response.status_code)
    assert status in responses, f"{method} {path} answered {status}; documented: {sorted(responses)}"
    schema = responses[status]["content"]["application/json"]["schema"]
    validator = jsonschema.Draft7Validator({**_as_json_schema(schema), "components": _components()})
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(response.json())]
    assert not errors, errors


@functools.cache
def _components():
    return _as_json_schema(openapi()["components"])


def _as_json_schema(node):
    """OpenAPI 3.0 → JSON Schema: ``nullable: true`` becomes "or null"."""
    if isinstance(node, list):
        return [_as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _as_json_schema(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted
