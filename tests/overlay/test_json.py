"""The answers' JSON reader: msgspec's speed, the standard library's values and errors."""

from __future__ import annotations

import json
import math
from typing import Any

import httpx
import pytest
from hypothesis import given, strategies as st

from qiskit_runtime_jobs import APIError, Client, _json
from qiskit_runtime_jobs_generated.models import JobResponse

JOB = {
    "id": "job-1",
    "state": {"status": "Completed"},
    "status": "Completed",
    "program": {"id": "sampler"},
    "created": "2026-03-20T12:00:00Z",
    "cost": 0,
}

# Texts where a fast parser could differ from `json.loads`: each must give what it gives.
TEXTS = [
    b'{"big": 123456789012345678901234567890, "neg": -9223372036854775809}',
    b"[NaN, Infinity, -Infinity]",
    b'{"tiny": 1e-400, "huge": 1e400, "zero": -0.0}',
    b'"\\ud800 lone surrogate"',
    b'{"a": 1, "a": 2}',
    b'\xef\xbb\xbf{"bom": true}',
    '{"utf16": "é"}'.encode("utf-16"),
    b'  {"spaced" :\t[ 1 , 2 ]}\n',
    '{"text": "é"}',
]
BROKEN = [b"", b"[1,]", b'{"a": 1} trailing', b"\xff", b'{"a": NaNa}']


def _outcome(parse: Any, text: bytes | str) -> tuple[str, Any]:
    try:
        value = parse(text)
    except ValueError as error:
        return "error", (type(error), str(error))
    return "value", json.dumps(value, sort_keys=True)  # NaN-safe equality, types included


@pytest.mark.parametrize("text", TEXTS)
def test_values_are_the_standard_librarys(text: bytes | str) -> None:
    assert _outcome(_json.loads, text) == _outcome(json.loads, text)
    assert type(_json.loads(text)) is type(json.loads(text))


def test_big_integers_stay_exact() -> None:
    value = _json.loads(TEXTS[0])
    assert value["big"] == 123456789012345678901234567890
    assert isinstance(value["big"], int)


@pytest.mark.parametrize("text", BROKEN)
def test_broken_text_raises_the_standard_librarys_error(text: bytes) -> None:
    outcome = _outcome(_json.loads, text)
    assert outcome[0] == "error"
    assert outcome == _outcome(json.loads, text)


def test_without_msgspec_it_is_json_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_json, "_fast", None)
    assert all(_outcome(_json.loads, t) == _outcome(json.loads, t) for t in TEXTS)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    max_leaves=20,
)


@given(json_values)
def test_any_json_document_reads_back_the_same(value: Any) -> None:
    text = json.dumps(value).encode()
    assert _json.loads(text) == json.loads(text)


def _client_answering(body: bytes) -> Client:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"Content-Type": "application/json"})

    return Client(
        token="t",
        crn="crn:v1:bluemix:public:quantum-computing:us-east:a/x:y::",
        base_url="https://example.test/api/v1",
        transport=httpx.MockTransport(answer),
    )


def test_a_job_answer_keeps_unknown_fields_exactly() -> None:
    """A later API's extra fields reach `additional_properties` as the service sent them."""
    body = json.dumps({**JOB, "quota": 2**70, "ratio": math.inf}).encode()
    job = _client_answering(body).get_job("job-1")
    assert isinstance(job, JobResponse)
    assert job.additional_properties == {"quota": 2**70, "ratio": math.inf}
    assert isinstance(job["quota"], int)


def test_an_answer_that_is_not_json_is_an_api_error() -> None:
    with pytest.raises(APIError):
        _client_answering(b"<html>busy</html>").get_job("job-1")
