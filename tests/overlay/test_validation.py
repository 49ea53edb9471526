"""Validation before the network: the spec's rules, errors naming the field, nothing sent."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from qiskit_runtime_jobs import Client, CreateOptions, JobFilters, ValidationError
from qiskit_runtime_jobs._create import _CHECKS
from qiskit_runtime_jobs._spec_facts import LOG_LEVELS, MAX_COST, MAX_TAG_LENGTH, MAX_TAGS
from qiskit_runtime_jobs._validation import JOB_ID_RE, MAX_JOB_ID_LENGTH, RUNTIME_RE

from .conftest import CountingTransport

SPEC = Path(__file__).parents[2] / "openapi" / "qiskit-runtime-jobs.yaml"
CRN = "crn:v1:bluemix:public:quantum-computing:us-east:a/acct:inst::"


def _refuse(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"nothing may be sent, but {request.method} {request.url} was")


@pytest.fixture
def offline() -> Client:
    """A client whose transport fails the test if any request is made."""
    return Client(token="t", crn=CRN, transport=httpx.MockTransport(_refuse))


def test_rules_match_the_spec() -> None:
    """The client-side constants are the spec's (id pattern, tags, cost, log levels, runtime)."""
    schemas = yaml.safe_load(SPEC.read_text())["components"]["schemas"]
    assert schemas["JobId"]["pattern"] == "^" + JOB_ID_RE.pattern + "$"
    assert schemas["Tags"]["maxItems"] == MAX_TAGS
    assert schemas["Tags"]["items"]["maxLength"] == MAX_TAG_LENGTH
    assert schemas["CreateJobRequest"]["properties"]["cost"]["anyOf"][0]["maximum"] == MAX_COST
    assert tuple(schemas["LogLevel"]["enum"]) == LOG_LEVELS
    runtime = schemas["CreateJobRequest"]["properties"]["runtime"]["pattern"]
    assert runtime == "^" + RUNTIME_RE.pattern + "$"


BAD_IDS = ["../x", "..", "a/b", "a%2Fb", "a b", "", "abc\n", "é", "a?b=1", "a#b", "a.b"]


@pytest.mark.parametrize("job_id", BAD_IDS)
@pytest.mark.parametrize(
    "call",
    [
        lambda c, i: c.get_job(i),
        lambda c, i: c.cancel_job(i),
        lambda c, i: c.delete_job(i),
        lambda c, i: c.get_job_logs(i),
        lambda c, i: c.get_job_metrics(i),
        lambda c, i: c.replace_job_tags(i, ["x"]),
    ],
    ids=["get", "cancel", "delete", "logs", "metrics", "tags"],
)
def test_path_traversal_ids_are_rejected(
    offline: Client, call: Callable[[Client, str], Any], job_id: str
) -> None:
    """An id outside ^[A-Za-z0-9_-]+$ never reaches the URL path."""
    with pytest.raises(ValidationError) as info:
        call(offline, job_id)
    assert info.value.field == "job_id"
    assert "^[A-Za-z0-9_-]+$" in str(info.value)


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"tags": ["t"] * 9}, "tags"),
        ({"tags": ["x" * 87]}, "tags[0]"),
        ({"tags": ["ok", "two\nlines"]}, "tags[1]"),
        ({"tags": "not-a-list"}, "tags"),
        ({"cost": -1}, "cost"),
        ({"cost": 10801}, "cost"),
        ({"cost": 1.5}, "cost"),
        ({"cost": True}, "cost"),
        ({"log_level": "verbose"}, "log_level"),
        ({"runtime": "no-tag"}, "runtime"),
        ({"runtime": "a:b:"}, "runtime"),
        ({"idempotency_key": "../x"}, "idempotency_key"),
        ({"idempotency_key": "k" * 71}, "idempotency_key"),
        ({"tags": ["t"] * 8, "idempotency_key": "abc"}, "tags"),
        ({"colour": "blue"}, "colour"),
        ({"session_id": b"abc"}, "session_id"),
        ({"session_id": "\ud800"}, "session_id"),
        ({"backend": 3}, "backend"),
        ({"calibration_id": None}, "calibration_id"),
        ({"private": "yes"}, "private"),
        ({"params": {"x": float("nan")}}, "params"),
        ({"params": {"x": {1, 2}}}, "params"),
        ({"params": {"x": "\udfff"}}, "params"),
        ({"params": [1]}, "params"),
        ({"remote_storage": {"k": b"v"}}, "remote_storage"),
        ({"tags": ["\ud800"]}, "tags[0]"),
        ({"idempotency_key": b"k"}, "idempotency_key"),
    ],
)
def test_create_options_are_checked(offline: Client, options: dict[str, Any], field: str) -> None:
    """Each broken create_job rule is a ValidationError naming the field."""
    with pytest.raises(ValidationError) as info:
        offline.create_job("sampler", **options)
    assert info.value.field == field
    assert str(info.value).startswith(f"{field}: ")


@pytest.mark.parametrize("program_id", ["", "a\nb", 3, "\ud800", b"sampler"])
def test_program_id_is_checked(offline: Client, program_id: Any) -> None:
    """program_id must be a non-empty single line."""
    with pytest.raises(ValidationError, match="program_id"):
        offline.create_job(program_id)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 201}, "limit"),
        ({"offset": -1}, "offset"),
        ({"sort": "UP"}, "sort"),
        ({"tags": ["x" * 87]}, "tags[0]"),
        ({"created_after": "yesterday"}, "created_after"),
        ({"colour": "blue"}, "colour"),
        ({"backend": "\ud800"}, "backend"),
        ({"program": 3}, "program"),
        ({"session_id": "s" * 8193}, "session_id"),
        ({"backend": "é" * 1400}, "backend"),  # 8,400 characters URL-encoded
        ({"pending": "yes"}, "pending"),
        ({"exclude_params": 1}, "exclude_params"),
        ({"tags": ["\ud800"]}, "tags[0]"),
    ],
)
def test_list_arguments_are_checked(offline: Client, kwargs: dict[str, Any], field: str) -> None:
    """list_jobs and iter_jobs check their arguments before any request."""
    with pytest.raises(ValidationError) as info:
        offline.list_jobs(**kwargs)
    assert info.value.field == field
    page_kwargs = {("page_size" if k == "limit" else k): v for k, v in kwargs.items()}
    if "offset" not in page_kwargs:
        with pytest.raises(ValidationError):
            offline.iter_jobs(**page_kwargs)


def test_replace_tags_checks_tags(offline: Client) -> None:
    """replace_job_tags enforces the 8-tag limit."""
    with pytest.raises(ValidationError, match="at most 8 tags"):
        offline.replace_job_tags("abc", ["t"] * 9)


def test_cost_at_the_bounds_is_accepted() -> None:
    """0 and 10800 are valid costs (the spec's documented range)."""
    sent: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.content)
        return httpx.Response(200, json={"id": f"j{len(sent)}", "backend": "b"})

    with Client(token="t", crn=CRN, transport=httpx.MockTransport(handler)) as client:
        client.create_job("sampler", cost=0)
        client.create_job("sampler", cost=10800, log_level="debug", runtime="img:1")
    body = json.loads(sent[1])
    assert (body["cost"], body["runtime"], body["log_level"]) == (10800, "img:1", "debug")


def test_every_create_option_has_a_check() -> None:
    """No create_job option reaches the body unchecked."""
    assert set(_CHECKS) == set(CreateOptions.__optional_keys__) - {"idempotency_key"}


UNSENDABLE: list[tuple[Callable[[Client], Any], str]] = [
    (lambda c: c.get_job("a" * 2_000_000), "job_id"),
    (lambda c: c.get_job("a" * (MAX_JOB_ID_LENGTH + 1)), "job_id"),
    (lambda c: c.results("a" * 70_000), "job_id"),
    (lambda c: c.wait("b" * 200), "job_id"),
    (lambda c: c.result_cache.get("c" * 300), "job_id"),
    (lambda c: c.list_jobs(backend="b" * 70_000), "backend"),
    (lambda c: c.list_jobs(program="\ud800"), "program"),
    (lambda c: list(c.iter_jobs(session_id="s" * 9_000)), "session_id"),
    (lambda c: c.create_job("sampler", session_id=b"abc"), "session_id"),
    (lambda c: c.create_job("sampler", params={"theta": float("inf")}), "params"),
    (lambda c: c.create_job("\ud800"), "program_id"),
    (lambda c: c.replace_job_tags("abc", ["\ud800"]), "tags[0]"),
]


@pytest.mark.parametrize(("call", "field"), UNSENDABLE)
def test_unsendable_input_is_refused_before_any_request(
    make_client: Callable[..., Client], call: Callable[[Client], Any], field: str
) -> None:
    """Too long or not encodable: a ValidationError naming the field, never an httpx error or
    "the service's answer does not match the spec", and nothing reaches the loopback mock."""
    counting = CountingTransport()
    with pytest.raises(ValidationError) as info:
        call(make_client(transport=counting))
    assert info.value.field == field
    assert counting.sent == []


@pytest.mark.parametrize("name", sorted(JobFilters.__optional_keys__))
def test_every_list_filter_is_checked(offline: Client, name: str) -> None:
    """No list_jobs filter reaches the query string unchecked."""
    with pytest.raises(ValidationError) as info:
        offline.list_jobs(**{name: object()})  # type: ignore[misc]
    assert info.value.field == name
