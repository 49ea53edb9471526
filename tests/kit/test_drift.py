"""Spec drift (`qiskit_runtime_jobs_kit.contract.drift`) against the real curated spec.

Bodies start from the spec's own examples (which validate) and are mutated one way per case,
so every expected drift is caused by the mutation and nothing else.
"""

from __future__ import annotations

import copy
import importlib.util
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = ROOT / "openapi" / "qiskit-runtime-jobs.yaml"
DRIFT_PATH = ROOT / "kit" / "qiskit_runtime_jobs_kit" / "contract" / "drift.py"


def _load_drift() -> ModuleType:
    """The module from the package when the kit is importable, else straight from its file
    (the module is stdlib + jsonschema only, so it does not need the rest of the kit)."""
    try:
        from qiskit_runtime_jobs_kit.contract import drift
    except ImportError:
        name = "qiskit_runtime_jobs_kit_drift_under_test"
        module_spec = importlib.util.spec_from_file_location(name, DRIFT_PATH)
        assert module_spec is not None
        assert module_spec.loader is not None
        drift = importlib.util.module_from_spec(module_spec)
        sys.modules[name] = drift  # dataclasses look their module up while decorating
        module_spec.loader.exec_module(drift)
    return drift


drift = _load_drift()
Drift = drift.Drift
SPEC: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))

GET_JOB = ("GET", "/jobs/{id}")
LIST_JOBS = ("GET", "/jobs")
RESULTS = ("GET", "/jobs/{id}/results")
CREATE_JOB = ("POST", "/jobs")


@pytest.fixture(scope="module")
def index() -> Any:
    return drift.SpecIndex(SPEC)


def _example(method: str, path: str, status: str = "200", name: str = "reference") -> Any:
    content = SPEC["paths"][path][method.lower()]["responses"][status]["content"]
    return copy.deepcopy(content["application/json"]["examples"][name]["value"])


def _component_example(schema: str) -> Any:
    return copy.deepcopy(SPEC["components"]["schemas"][schema]["examples"][0])


def _error_body() -> Any:
    examples = SPEC["components"]["responses"]["BadRequest"]["content"]["application/json"]
    return copy.deepcopy(examples["examples"]["invalid_field"]["value"])


def _json_examples() -> Iterator[tuple[str, str, int, str, Any]]:
    """Every application/json response example in the spec: (method, path, status, name, body)."""
    for path, item in SPEC["paths"].items():
        for method, operation in item.items():
            for status, response in operation["responses"].items():
                if "$ref" in response:
                    response = SPEC["components"]["responses"][response["$ref"].split("/")[-1]]
                media = response.get("content", {}).get("application/json", {})
                for name, example in media.get("examples", {}).items():
                    yield method.upper(), path, int(status), name, example["value"]


def _drift(op: tuple[str, str], kind: str, where: str, value: str, open_enum: bool = False) -> Any:
    return Drift(f"{op[0]} {op[1]}", kind, where, value, open_enum)


# ---------------------------------------------------------------------- no drift


@pytest.mark.parametrize(
    ("method", "path", "status", "body"),
    [pytest.param(m, p, s, b, id=f"{m} {p} {s} {n}") for m, p, s, n, b in _json_examples()]
    + [
        pytest.param(*RESULTS, 200, _component_example(name), id=f"results {name}")
        for name in (
            "ExecutorV02QuantumProgramResultModel",
            "NoiseLearnerV3V01ResultsModel",
            "NoiseLearnerV3V02ResultsModel",
        )
    ],
)
def test_unchanged_examples_have_no_drift(
    index: Any, method: str, path: str, status: int, body: Any
) -> None:
    headers = {"Content-Type": "application/json", "X-Request-ID": "req-1"}
    assert index.find_drift(method, path, status, headers, body) == []
    # A body that validates is not "excused": there is nothing to excuse.
    assert index.excused_by_open_enum(method, path, status, body) is False


def test_spec_has_the_examples_these_tests_rely_on() -> None:
    # Guards the parametrisation above against silently testing nothing.
    found = {(m, p, n) for m, p, _, n, _ in _json_examples()}
    assert {(*GET_JOB, "reference"), (*LIST_JOBS, "reference"), (*RESULTS, "reference")} <= found


# ---------------------------------------------------------------------- field and enum drift


def _set(*path: Any, value: Any) -> Callable[[Any], None]:
    def mutate(body: Any) -> None:
        for step in path[:-1]:
            body = body[step]
        body[path[-1]] = value

    return mutate


def _remote_storage(extra_in_job_params: bool) -> Callable[[Any], None]:
    def mutate(body: Any) -> None:
        body["remote_storage"] = _component_example("RemoteStorage")
        if extra_in_job_params:
            body["remote_storage"]["job_params"]["endpoint"] = "s3.example"

    return mutate


def _both(*mutations: Callable[[Any], None]) -> Callable[[Any], None]:
    def mutate(body: Any) -> None:
        for m in mutations:
            m(body)

    return mutate


BODY_CASES = [
    pytest.param(
        GET_JOB,
        200,
        lambda: _example(*GET_JOB),
        _set("queue_position", value=3),
        [_drift(GET_JOB, "field", "/", "queue_position")],
        id="extra top-level field",
    ),
    pytest.param(
        GET_JOB,
        200,
        lambda: _example(*GET_JOB),
        _set("state", "queue_detail", value="behind 3 jobs"),
        [_drift(GET_JOB, "field", "/state", "queue_detail")],
        id="extra field inside state",
    ),
    pytest.param(
        GET_JOB,
        200,
        lambda: _example(*GET_JOB),
        _set("params", "shots", value=1024),
        [],
        id="params allows any key (additionalProperties: true)",
    ),
    pytest.param(
        GET_JOB,
        200,
        lambda: _example(*GET_JOB),
        _set("status", value="Paused"),
        [_drift(GET_JOB, "enum", "/status", "Paused", open_enum=True)],
        id="new value of open enum status",
    ),
    pytest.param(
        GET_JOB,
        200,
        lambda: _example(*GET_JOB, name="failed"),
        _both(
            _set("state", "status", value="Paused"),
            _set("usage", value={"qpu_charge_time_seconds": 2, "gpu_seconds": 1}),
        ),
        [
            _drift(GET_JOB, "enum", "/state/status", "Paused", open_enum=True),
            _drift(GET_JOB, "field", "/usage", "gpu_seconds"),
        ],
        id="nested open enum and a field under a $ref",
    ),
    pytest.param(
        LIST_JOBS,
        200,
        lambda: _example(*LIST_JOBS),
        _set("jobs", 1, "queue_position", value=7),
        [_drift(LIST_JOBS, "field", "/jobs/*", "queue_position")],
        id="extra field in the second listed job",
    ),
    pytest.param(
        LIST_JOBS,
        200,
        lambda: _example(*LIST_JOBS),
        _both(
            _set("jobs", 0, "queue_position", value=1),
            _set("jobs", 1, "queue_position", value=2),
            _set("jobs", 1, "status", value="Paused"),
            _set("next_cursor", value="abc"),
        ),
        [
            _drift(LIST_JOBS, "enum", "/jobs/*/status", "Paused", open_enum=True),
            _drift(LIST_JOBS, "field", "/", "next_cursor"),
            _drift(LIST_JOBS, "field", "/jobs/*", "queue_position"),
        ],
        id="same field in two jobs reported once",
    ),
    pytest.param(
        GET_JOB,
        200,
        lambda: _example(*GET_JOB),
        _remote_storage(extra_in_job_params=False),
        [],
        id="allOf with a discriminated oneOf merges all properties",
    ),
    pytest.param(
        GET_JOB,
        200,
        lambda: _example(*GET_JOB),
        _remote_storage(extra_in_job_params=True),
        [_drift(GET_JOB, "field", "/remote_storage/job_params", "endpoint")],
        id="extra field inside a discriminated oneOf",
    ),
    pytest.param(
        RESULTS,
        200,
        lambda: _component_example("ExecutorV02QuantumProgramResultModel"),
        _set("data", 0, "metadata", "scheduler_timing", "layers", value=3),
        [_drift(RESULTS, "field", "/data/*/metadata/scheduler_timing", "layers")],
        id="oneOf without discriminator picks the branch that validates",
    ),
    pytest.param(
        RESULTS,
        200,
        lambda: _example(*RESULTS),
        _set("data", 0, "metadata", value={"anything": True}),
        [],
        id="v0.1 item metadata is any JSON value",
    ),
    pytest.param(
        RESULTS,
        200,
        lambda: _component_example("ExecutorV02QuantumProgramResultModel"),
        _set("passthrough_data", "tensor", "units", value="rad"),
        [],
        id="anyOf with an open object branch: not drift",
    ),
    pytest.param(
        RESULTS,
        200,
        lambda: _component_example("ExecutorV02QuantumProgramResultModel"),
        _set("data", 0, "results", "evs", "dtype", value="f128"),
        [_drift(RESULTS, "enum", "/data/*/results/evs/dtype", "f128", open_enum=True)],
        id="open enum inside an additionalProperties map",
    ),
    pytest.param(
        RESULTS,
        200,
        lambda: _component_example("NoiseLearnerV3V02ResultsModel"),
        _set("data", 0, "metadata", "post_selection", "threshold", value=0.5),
        [_drift(RESULTS, "field", "/data/*/metadata/post_selection", "threshold")],
        id="discriminator picks the lindblad branch",
    ),
    pytest.param(
        GET_JOB,
        400,
        _error_body,
        _both(_set("errors", 0, "target", "type", value="cookie"), _set("code", value="x")),
        [
            _drift(GET_JOB, "enum", "/errors/*/target/type", "cookie", open_enum=False),
            _drift(GET_JOB, "field", "/", "code"),
        ],
        id="closed enum and extra field in an error body",
    ),
]


@pytest.mark.parametrize(("op", "status", "make_body", "mutate", "expected"), BODY_CASES)
def test_body_drift(
    index: Any,
    op: tuple[str, str],
    status: int,
    make_body: Callable[[], Any],
    mutate: Callable[[Any], None],
    expected: list[Any],
) -> None:
    body = make_body()
    assert index.find_drift(*op, status, {}, body) == []  # the unmutated body is clean
    mutate(body)
    assert index.find_drift(*op, status, {}, body) == sorted(expected)


# Shapes the curated spec has no observable instance of (its discriminated branches share
# property names, and it has no object inside prefixItems): a small synthetic spec.
_PET = {
    "cat": {"type": "object", "properties": {"kind": {"type": "string"}, "meow": {}}},
    "dog": {"type": "object", "properties": {"kind": {"type": "string"}, "bark": {}}},
}
SHAPES_SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "paths": {
        f"/{name}": {
            "get": {
                "responses": {
                    "200": {"content": {"application/json": {"schema": schema}}},
                }
            }
        }
        for name, schema in {
            "tagged": {
                "oneOf": [
                    {"$ref": "#/components/schemas/Cat"},
                    {"$ref": "#/components/schemas/Dog"},
                ],
                "discriminator": {
                    "propertyName": "kind",
                    "mapping": {
                        "cat": "#/components/schemas/Cat",
                        "dog": "#/components/schemas/Dog",
                    },
                },
            },
            "untagged": {
                "oneOf": [
                    {"$ref": "#/components/schemas/Cat"},
                    {"$ref": "#/components/schemas/Dog"},
                ]
            },
            "nearest": {
                "oneOf": [
                    {
                        "type": "object",
                        "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}},
                        "required": ["a", "b"],
                    },
                    {
                        "type": "object",
                        "properties": {"c": {"type": "integer"}, "d": {"type": "integer"}},
                        "required": ["c", "d"],
                    },
                ]
            },
            "tuple": {
                "type": "array",
                "prefixItems": [{"type": "object", "properties": {"p": {}}}],
                "items": {"type": "object", "properties": {"q": {}}},
            },
            "nullable": {
                "type": "object",
                "properties": {
                    "maybe": {"type": ["object", "null"], "properties": {"m": {}}},
                    "legacy": {"type": "object", "nullable": True, "properties": {"l": {}}},
                },
            },
            "patterned": {
                "type": "object",
                "properties": {"fixed": {}},
                "patternProperties": {"^x_": {"type": "object", "properties": {"v": {}}}},
            },
        }.items()
    },
    "components": {"schemas": {"Cat": _PET["cat"], "Dog": _PET["dog"]}},
}


@pytest.mark.parametrize(
    ("path", "body", "expected"),
    [
        pytest.param("/tagged", {"kind": "dog", "meow": 1}, [("/", "meow")], id="discriminator"),
        pytest.param("/tagged", {"kind": "cat", "meow": 1}, [], id="discriminator, no drift"),
        # Both branches validate: a key is drift only if no matching branch documents it.
        pytest.param("/untagged", {"kind": "dog", "meow": 1}, [], id="ambiguous: intersection"),
        pytest.param(
            "/untagged", {"kind": "dog", "purr": 1}, [("/", "purr")], id="ambiguous: in neither"
        ),
        # No branch validates: the one with fewer errors (1 vs 2 missing required) is used.
        pytest.param("/nearest", {"a": 1, "x": 1}, [("/", "x")], id="fewest errors"),
        pytest.param(
            "/tuple", [{"p": 1, "q": 1}, {"p": 1, "q": 1}], [("/*", "p"), ("/*", "q")], id="tuple"
        ),
        pytest.param("/nullable", {"maybe": None, "legacy": None}, [], id="null values"),
        pytest.param(
            "/nullable",
            {"maybe": {"m": 1, "n": 2}, "legacy": {"l": 1, "k": 2}},
            [("/legacy", "k"), ("/maybe", "n")],
            id="nullable objects",
        ),
        pytest.param(
            "/patterned",
            {"fixed": 1, "x_a": {"v": 1, "w": 2}, "other": 3},
            [("/x_a", "w")],
            id="patternProperties opens the object, its schema still applies",
        ),
    ],
)
def test_schema_shapes(path: str, body: Any, expected: list[tuple[str, str]]) -> None:
    found = drift.SpecIndex(SHAPES_SPEC).find_drift("GET", path, 200, {}, body)
    assert found == [Drift(f"GET {path}", "field", w, v) for w, v in expected]


def test_describe_lines() -> None:
    op = "GET /jobs/{id}"
    cases = {
        Drift(op, "field", "/", "queue_position"): (
            "GET /jobs/{id}: undocumented field 'queue_position' at /"
        ),
        Drift(op, "enum", "/status", "Paused", True): (
            "GET /jobs/{id}: unknown enum value 'Paused' at /status (open enum)"
        ),
        Drift(op, "enum", "/errors/*/target/type", "cookie"): (
            "GET /jobs/{id}: unknown enum value 'cookie' at /errors/*/target/type (closed enum)"
        ),
        Drift(op, "status", "status", "418"): "GET /jobs/{id}: undocumented status 418",
        Drift(op, "header", "x-queue-depth", "x-queue-depth"): (
            "GET /jobs/{id}: undocumented header 'x-queue-depth'"
        ),
    }
    assert {d: d.describe() for d in cases} == cases


# ---------------------------------------------------------------------- excused_by_open_enum


EXCUSE_CASES = [
    pytest.param(_set("status", value="Paused"), True, id="new open-enum value only"),
    pytest.param(
        _both(_set("status", value="Paused"), _set("state", "status", value="Suspended")),
        True,
        id="two new open-enum values",
    ),
    pytest.param(
        _both(_set("status", value="Paused"), _set("queue_position", value=3)),
        True,
        id="new value plus an extra field (extra fields validate)",
    ),
    pytest.param(
        _both(_set("status", value="Paused"), lambda b: b.pop("created")),
        False,
        id="new value plus a missing required field",
    ),
    pytest.param(
        _both(_set("status", value="Paused"), _set("cost", value=-1)),
        False,
        id="new value plus an out-of-range number",
    ),
    pytest.param(_set("status", value=7), False, id="wrong type at an open-enum position"),
    pytest.param(lambda b: b.pop("created"), False, id="no enum violation at all"),
]


@pytest.mark.parametrize(("mutate", "expected"), EXCUSE_CASES)
def test_excused_by_open_enum(index: Any, mutate: Callable[[Any], None], expected: bool) -> None:
    body = _example(*GET_JOB)
    mutate(body)
    assert index.excused_by_open_enum(*GET_JOB, 200, body) is expected


def test_excused_through_oneof_and_not_for_closed_enum(index: Any) -> None:
    results = _component_example("ExecutorV02QuantumProgramResultModel")
    results["data"][0]["results"]["evs"]["dtype"] = "f128"  # TensorDtype is open
    assert index.excused_by_open_enum(*RESULTS, 200, results) is True

    error = _error_body()
    error["errors"][0]["target"]["type"] = "cookie"  # ErrorTarget.type is closed
    assert index.excused_by_open_enum(*GET_JOB, 400, error) is False


def test_excused_does_not_modify_the_body(index: Any) -> None:
    body = _example(*GET_JOB)
    body["status"] = "Paused"
    assert index.excused_by_open_enum(*GET_JOB, 200, body) is True
    assert body["status"] == "Paused"


# ---------------------------------------------------------------------- status and headers


STATUS_CASES = [
    pytest.param(GET_JOB, 418, [_drift(GET_JOB, "status", "status", "418")], id="418 undocumented"),
    pytest.param(GET_JOB, 500, [_drift(GET_JOB, "status", "status", "500")], id="500 undocumented"),
    pytest.param(GET_JOB, 404, [], id="404 documented via $ref"),
    pytest.param(("DELETE", "/jobs/{id}"), 500, [], id="500 documented on delete"),
    pytest.param(CREATE_JOB, 429, [], id="429 documented on create"),
    pytest.param(LIST_JOBS, 429, [_drift(LIST_JOBS, "status", "status", "429")], id="429 on list"),
]


@pytest.mark.parametrize(("op", "status", "expected"), STATUS_CASES)
def test_status_drift(index: Any, op: tuple[str, str], status: int, expected: list[Any]) -> None:
    assert index.find_drift(*op, status, {}, None) == expected


MINI_SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "paths": {
        "/ranged": {
            "get": {
                "responses": {
                    200: {"description": "YAML may parse an unquoted code as an int"},
                    "5XX": {"description": "any server error"},
                }
            }
        },
        "/defaulted": {
            "get": {"responses": {"200": {"description": "OK"}, "default": {"description": "e"}}}
        },
    },
}


@pytest.mark.parametrize(
    ("path", "status", "undocumented"),
    [
        ("/ranged", 200, False),
        ("/ranged", 503, False),
        ("/ranged", 599, False),
        ("/ranged", 404, True),
        ("/ranged", 201, True),
        ("/defaulted", 418, False),
        ("/defaulted", 503, False),
    ],
)
def test_ranges_and_default_cover_statuses(path: str, status: int, undocumented: bool) -> None:
    found = drift.SpecIndex(MINI_SPEC).find_drift("GET", path, status, {}, None)
    assert (found == [Drift(f"GET {path}", "status", "status", str(status))]) is undocumented
    assert undocumented or found == []


def test_spec_documents_x_request_id_on_get_job() -> None:
    # The header case below relies on X-Request-ID being documented (not merely ignored).
    headers = SPEC["paths"]["/jobs/{id}"]["get"]["responses"]["200"]["headers"]
    assert "X-Request-ID" in headers
    assert "x-request-id" not in drift.IGNORED_HEADERS


HEADER_CASES = [
    pytest.param(
        GET_JOB,
        200,
        {
            "Content-Type": "application/json",
            "X-Request-ID": "req-1",
            "X-Queue-Depth": "4",
            "Date": "Fri, 06 Mar 2026 14:02:11 GMT",
            "Access-Control-Allow-Origin": "*",
            "Strict-Transport-Security": "max-age=31536000",
        },
        ["x-queue-depth"],
        id="only the undocumented header",
    ),
    pytest.param(GET_JOB, 200, {"x-request-id": "r", "CONTENT-LENGTH": "2"}, [], id="any case"),
    pytest.param(GET_JOB, 200, {"Retry-After": "5"}, ["retry-after"], id="retry-after on 200"),
    pytest.param(CREATE_JOB, 429, {"Retry-After": "5"}, [], id="retry-after documented on 429"),
    pytest.param(GET_JOB, 404, {"X-Mock-Fault": "f"}, ["x-mock-fault"], id="on a $ref response"),
]


@pytest.mark.parametrize(("op", "status", "headers", "expected"), HEADER_CASES)
def test_header_drift(
    index: Any, op: tuple[str, str], status: int, headers: dict[str, str], expected: list[str]
) -> None:
    found = index.find_drift(*op, status, headers, None)
    assert found == [_drift(op, "header", h, h) for h in expected]


def test_undocumented_status_is_reported_alone(index: Any) -> None:
    # Nothing else can be compared against a response the spec does not have.
    body = {"queue_position": 1}
    found = index.find_drift(*GET_JOB, 418, {"X-Queue-Depth": "1"}, body)
    assert found == [_drift(GET_JOB, "status", "status", "418")]


# ---------------------------------------------------------------------- odd input


ODD_CASES = [
    pytest.param("GET", "/jobs/{id}/nope", 200, {"X-Foo": "1"}, {"a": 1}, id="unknown path"),
    pytest.param("PATCH", "/jobs/{id}", 200, {}, {"a": 1}, id="unknown method"),
    pytest.param("BREW", "/jobs", 200, {}, None, id="not an HTTP method"),
    pytest.param("GET", "/jobs/{id}", 200, {}, None, id="no body"),
    pytest.param("GET", "/jobs/{id}", 200, {}, "not json", id="string body for an object"),
    pytest.param("GET", "/jobs/{id}", 200, {}, [1, 2], id="list body for an object"),
    pytest.param("GET", "/jobs/{id}", 200, {}, object(), id="not JSON at all"),
    pytest.param("GET", "/jobs/{id}", "abc", {}, None, id="status is not a number"),
    pytest.param("GET", "/jobs/{id}/logs", 200, {}, "2026 INFO Job started\n", id="text/plain"),
    pytest.param("DELETE", "/jobs/{id}", 204, {}, {"unexpected": 1}, id="body on a 204"),
]


@pytest.mark.parametrize(("method", "path", "status", "headers", "body"), ODD_CASES)
def test_odd_input_never_raises(
    index: Any, method: str, path: str, status: Any, headers: dict[str, str], body: Any
) -> None:
    assert index.find_drift(method, path, status, headers, body) == []
    assert index.excused_by_open_enum(method, path, status, body) is False


def test_odd_spec_never_raises() -> None:
    odd = drift.SpecIndex(
        {
            "paths": {
                "/x": {
                    "get": {
                        "responses": {
                            "200": {"$ref": "#/components/responses/Missing"},
                            "201": {
                                "content": {
                                    "application/json": {
                                        "schema": {"$ref": "https://example.com/remote.json"}
                                    }
                                }
                            },
                        }
                    }
                },
                "/y": "not a path item",
            }
        }
    )
    assert odd.find_drift("GET", "/x", 200, {}, {"a": 1}) == []
    assert odd.find_drift("GET", "/x", 201, {}, {"a": {"b": 1}}) == []
    assert odd.find_drift("GET", "/y", 200, {}, {"a": 1}) == []
    assert drift.SpecIndex({}).find_drift("GET", "/jobs", 200, {}, {}) == []
    assert odd.excused_by_open_enum("GET", "/x", 201, {"a": 1}) is False


def test_recursive_schema_and_deep_body_terminate(index: Any) -> None:
    results = _component_example("ExecutorV02QuantumProgramResultModel")
    deep: Any = {"leaf": 1}
    for _ in range(200):  # PassthroughData is recursive; the body is deeper than any limit
        deep = {"next": [deep]}
    results["passthrough_data"] = deep
    assert index.find_drift(*RESULTS, 200, {}, results) == []


def test_a_deep_body_keeps_every_branch_instead_of_failing() -> None:
    """Too deep to validate (`_MAX_DEPTH`): no `anyOf` branch is ruled out, so only what every
    reading leaves undescribed is drift; the walk below still runs, nothing raises."""
    index = drift.SpecIndex(SPEC)
    deep: Any = "leaf"
    for _ in range(200):
        deep = [deep]
    body = _example(*GET_JOB)
    body["params"] = {"deep": deep}
    body["state"]["queue_position"] = 1
    assert index.find_drift(*GET_JOB, 200, {}, body) == [
        _drift(GET_JOB, "field", "/state", "queue_position")
    ]
    results = _component_example("ExecutorV02QuantumProgramResultModel")
    results["passthrough_data"] = {"deep": deep}
    assert index.find_drift(*RESULTS, 200, {}, results) == []
    results["schema_version"] = 7  # breaks the spec, but no reading of so deep a body is told
    assert index.excused_by_open_enum(*RESULTS, 200, results) is False


# ---------------------------------------------------------------------- a bug is not "no drift"


class WalkerBug(Exception):
    """Stands in for a bug of the drift module."""


def _broken(*args: Any, **kwargs: Any) -> Any:
    raise WalkerBug("a bug of the walker")


def test_a_walker_bug_raises_instead_of_reading_as_no_drift(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    index = drift.SpecIndex(SPEC)
    body = _example(*GET_JOB)
    body["queue_position"] = 1
    assert index.find_drift(*GET_JOB, 200, {}, body) == [
        _drift(GET_JOB, "field", "/", "queue_position")
    ]
    monkeypatch.setattr(drift.SpecIndex, "_walk_reading", _broken)
    with pytest.raises(WalkerBug):
        index.find_drift(*GET_JOB, 200, {}, body)
    monkeypatch.setattr(drift.SpecIndex, "_walk", _broken)
    with pytest.raises(WalkerBug):
        index.find_drift(*GET_JOB, 200, {}, _example(*GET_JOB))  # a body without drift too


def test_an_open_enum_bug_raises_instead_of_reading_as_not_excused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    index = drift.SpecIndex(SPEC)
    body = _example(*GET_JOB)
    body["status"] = "Paused"
    assert index.excused_by_open_enum(*GET_JOB, 200, body) is True
    monkeypatch.setattr(drift, "_open_enum_fixes", _broken)
    with pytest.raises(WalkerBug):
        index.excused_by_open_enum(*GET_JOB, 200, body)


def test_the_drift_hook_lets_a_walker_bug_through(monkeypatch: pytest.MonkeyPatch) -> None:
    """The hook that reports drift does not swallow it either: schemathesis records it as an
    error of the case (the fuzzing phase fails), the lifecycle as a failed step."""
    import json
    from types import SimpleNamespace

    import schemathesis

    from qiskit_runtime_jobs_kit.contract import hooks
    from qiskit_runtime_jobs_kit.contract.context import Credentials, RunContext
    from qiskit_runtime_jobs_kit.contract.session import Session

    case = (
        schemathesis.openapi.from_dict(SPEC)
        .find_operation_by_id("get_job")
        .Case(path_parameters={"id": "c5dge2d3rn7breq27i9g"})
    )
    body = _example(*GET_JOB)
    body["queue_position"] = 1
    response = SimpleNamespace(status_code=200, headers={}, content=json.dumps(body).encode())
    context = RunContext(url="", credentials=Credentials(crn="crn", token="token"))
    monkeypatch.setattr(drift.SpecIndex, "_walk_reading", _broken)
    with hooks.bound(Session(context)), pytest.raises(WalkerBug):
        hooks.after_call(None, case, response)


# ---------------------------------------------------------------------- caching


def test_validators_are_built_once_per_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[Any] = []
    real = drift.Draft202012Validator

    class Counting:
        """Stands in for the validator class: counts constructions, builds the real one."""

        FORMAT_CHECKER = real.FORMAT_CHECKER

        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            built.append(args[0])
            return real(*args, **kwargs)

    monkeypatch.setattr(drift, "Draft202012Validator", Counting())
    index = drift.SpecIndex(SPEC)
    results = _component_example("ExecutorV02QuantumProgramResultModel")
    results["data"][0]["results"]["evs"]["dtype"] = "f128"
    body = _example(*GET_JOB)
    body["status"] = "Paused"

    def run() -> None:
        index.find_drift(*RESULTS, 200, {}, results)
        index.excused_by_open_enum(*RESULTS, 200, results)
        index.excused_by_open_enum(*GET_JOB, 200, body)

    run()
    first = len(built)
    assert first > 0
    for _ in range(5):
        run()
    assert len(built) == first
