"""Version bumps from real shapes: each case is one kind of change IBM has made, on our spec.

Each case edits the curated spec (`openapi/`) into the two versions it compares, after the
shapes IBM has published: the older Jobs API description (IBM-API-Version 2025-05-01, five
security schemes, a `text/plain` result, Sampler/Estimator create bodies with typed
`params`, error bodies with fewer required fields), the versions of ibm-quantum-schemas that
the result union grew by, and the reference page. `EXPECTED` is our verdict for each, as
(kind, location, breaks old clients, breaks new clients on the old service); the tests hold
the differ to it, and `tests/api_diff/side_by_side.py` puts Specmatic's verdict beside it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tools.api_diff.spec_diff import REPO_ROOT, REVISION_KEY, SPEC_PATH, load_spec

Spec = dict[str, Any]
Row = tuple[str, str, bool, bool]  # kind, location, forward, reverse

BEARER = {"type": "http", "scheme": "bearer"}
OLD_SCHEMES = {
    "IBMCloudAuth": BEARER,
    "IBMCloudAPIKey": {"type": "apiKey", "in": "header", "name": "Authorization"},
    "BackendAuthentication": {"type": "apiKey", "in": "header", "name": "Backend-Authentication"},
    "ExternalServiceToken": {"type": "apiKey", "in": "header", "name": "external-service-token"},
    "ServiceCRNOnly": {"type": "apiKey", "in": "header", "name": "Service-CRN"},
}


@dataclass(frozen=True)
class Case:
    """A pair of specs that differ by one real-world change."""

    name: str
    what: str  # the change, in a sentence
    old: Callable[[Spec], None]  # edits the curated spec into the old version
    new: Callable[[Spec], None] = lambda spec: None  # and into the new one
    expected: frozenset[Row] = frozenset()

    def specs(self) -> tuple[Spec, Spec]:
        current = load_spec(str(REPO_ROOT / SPEC_PATH))
        old, new = copy.deepcopy(current), copy.deepcopy(current)
        self.old(old)
        self.new(new)
        return old, new

    def write(self, folder: Path) -> tuple[Path, Path]:
        """Both versions as files (for tools that read files)."""
        folder.mkdir(parents=True, exist_ok=True)
        paths = (folder / "old.yaml", folder / "new.yaml")
        for path, spec in zip(paths, self.specs(), strict=True):
            path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
        return paths


def schemas(spec: Spec) -> dict[str, Any]:
    result: dict[str, Any] = spec["components"]["schemas"]
    return result


def _five_schemes(spec: Spec) -> None:
    spec["components"]["securitySchemes"] = copy.deepcopy(OLD_SCHEMES)
    spec["security"] = [{name: []} for name in OLD_SCHEMES]


def _bearer_named_ibmcloudauth(spec: Spec) -> None:
    spec["components"]["securitySchemes"] = {"IBMCloudAuth": dict(BEARER)}
    spec["security"] = [{"IBMCloudAuth": []}]


def _fewer_error_fields(spec: Spec) -> None:
    error = schemas(spec)["ErrorResponse"]
    del error["properties"]["status_code"]
    error["required"] = ["trace"]


def _program_id_optional(spec: Spec) -> None:
    schemas(spec)["CreateJobRequest"]["required"] = []


def _no_doc_beside_refs(spec: Spec) -> None:
    for member in schemas(spec)["RemoteStorage"]["allOf"][1]["properties"].values():
        for key in [k for k in member if k != "$ref"]:
            del member[key]


def _more_doc_beside_refs(spec: Spec) -> None:
    props = schemas(spec)["RemoteStorage"]["allOf"][1]["properties"]
    props["job_params"].update(title="JobParamsStorage", examples=[{"type": "ibmcloud_cos"}])
    props["logs"]["x-reference-page-note"] = "Optional on the page."


def _v2_primitive_params(program: str, pubs: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "pubs": {"type": "array", "items": pubs},
            "version": {"type": "integer", "enum": [2]},
            "shots" if program == "sampler" else "precision": {
                "type": "integer" if program == "sampler" else "number",
                "minimum": 1 if program == "sampler" else 0,
            },
            "options": {"type": "object"},
        },
        "required": ["pubs", "version"],
        "additionalProperties": False,
    }


def _typed_params(spec: Spec) -> None:
    """The create body's `params` as Sampler V2 input (ibm-quantum-schemas): closed, typed."""
    circuits = {"type": "array", "items": {}, "minItems": 1}
    schemas(spec)["SamplerV2Params"] = _v2_primitive_params("sampler", circuits)
    params = {"$ref": "#/components/schemas/SamplerV2Params"}
    schemas(spec)["CreateJobRequest"]["properties"]["params"] = params


def _sampler_and_estimator_bodies(spec: Spec) -> None:
    """The 2025 create body: a `oneOf` of one input per primitive, each with typed params."""
    all_schemas = schemas(spec)
    base = all_schemas["CreateJobRequest"]
    for program, name in (("sampler", "SamplerV2Input"), ("estimator", "EstimatorV2Input")):
        variant = copy.deepcopy(base)
        variant["title"] = name
        variant["properties"]["program_id"] = {"type": "string", "enum": [program]}
        params = _v2_primitive_params(program, {"type": "array", "items": {}, "minItems": 1})
        all_schemas[f"{name}Params"] = params
        variant["properties"]["params"] = {"$ref": f"#/components/schemas/{name}Params"}
        all_schemas[name] = variant
    body = spec["paths"]["/jobs"]["post"]["requestBody"]["content"]["application/json"]
    body["schema"] = {
        "oneOf": [
            {"$ref": "#/components/schemas/SamplerV2Input"},
            {"$ref": "#/components/schemas/EstimatorV2Input"},
        ]
    }


def _plain_text_results(spec: Spec) -> None:
    ok = spec["paths"]["/jobs/{id}/results"]["get"]["responses"]["200"]
    ok["content"] = {"text/plain": {"schema": {"type": "string"}}}


def _at_most_16_tags(spec: Spec) -> None:
    schemas(spec)["Tags"]["maxItems"] = 16


def _chunk_start_optional(spec: Spec) -> None:
    schemas(spec)["ChunkSpan"]["required"] = ["stop", "parts"]


def _job_state_reason_required(spec: Spec) -> None:
    schemas(spec)["JobState"]["required"] = ["status", "reason"]


ALL_OPERATIONS = 9
CREATE = "POST /jobs"
RESULTS = "GET /jobs/{id}/results"

CASES = (
    Case(
        "auth-ways-removed",
        "Four of five accepted ways to authenticate are removed, and the bearer scheme is "
        "renamed (IBMCloudAuth → IBMCloudBearer).",
        old=_five_schemes,
        expected=frozenset(
            {
                (
                    "authentication-removed",
                    "authentication: API key in header `Authorization`",
                    True,
                    False,
                ),
                (
                    "authentication-removed",
                    "authentication: API key in header `Backend-Authentication`",
                    True,
                    False,
                ),
                (
                    "authentication-removed",
                    "authentication: API key in header `Service-CRN`",
                    True,
                    False,
                ),
                (
                    "authentication-removed",
                    "authentication: API key in header `external-service-token`",
                    True,
                    False,
                ),
                ("security-scheme-renamed", "security scheme IBMCloudAuth", False, False),
            }
        ),
    ),
    Case(
        "auth-scheme-renamed",
        "The bearer scheme is renamed; clients send the same `Authorization: Bearer` header.",
        old=_bearer_named_ibmcloudauth,
        expected=frozenset(
            {("security-scheme-renamed", "security scheme IBMCloudAuth", False, False)}
        ),
    ),
    Case(
        "error-response-gains-fields",
        "The error body (a `$ref`'d response) gains the required `status_code`, and `errors` "
        "becomes required.",
        old=_fewer_error_fields,
        expected=frozenset(
            {
                ("property-added", "ErrorResponse.status_code", False, True),
                ("property-became-required", "ErrorResponse.errors", False, True),
            }
        ),
    ),
    Case(
        "request-field-becomes-required",
        "`program_id` of the create body (behind `$ref`) becomes required.",
        old=_program_id_optional,
        expected=frozenset(
            {("property-became-required", "CreateJobRequest.program_id", True, False)}
        ),
    ),
    Case(
        "documentation-beside-ref",
        "Descriptions, a title, examples and an `x-` note appear beside three `$ref`s.",
        old=_no_doc_beside_refs,
        new=_more_doc_beside_refs,
    ),
    Case(
        "union-folded-into-one-object",
        "The create body was a `oneOf` of SamplerV2Input and EstimatorV2Input; it is now one "
        "object that accepts both.",
        old=_sampler_and_estimator_bodies,
        expected=frozenset({("variants-changed", "CreateJobRequest", False, True)}),
    ),
    Case(
        "typed-params-become-free-form",
        "`params` was a closed, typed object; it is now any object.",
        old=_typed_params,
        expected=frozenset(
            {
                ("property-removed", "JobParams.pubs", False, True),
                ("property-removed", "JobParams.version", False, True),
                ("property-removed", "JobParams.shots", False, False),
                ("property-removed", "JobParams.options", False, False),
                ("additional-properties-changed", "JobParams", False, True),
            }
        ),
    ),
    Case(
        "results-become-json",
        "The final result was `text/plain`; it is now JSON, a union of result versions.",
        old=_plain_text_results,
        expected=frozenset(
            {
                (
                    "media-type-changed",
                    "GET /jobs/{id}/results → 200 media type",
                    True,
                    True,
                )
            }
        ),
    ),
    Case(
        "shared-schema-judged-for-both-sides",
        "`Tags` (sent in create and tags requests, read in job details) allows 16 tags, "
        "no longer 8.",
        new=_at_most_16_tags,
        old=lambda spec: None,
        expected=frozenset({("maxItems-changed", "Tags", True, True)}),
    ),
    Case(
        "deep-response-field-becomes-optional",
        "`ChunkSpan.start`, five levels down a result variant (`$ref` → `anyOf` → `$ref` → "
        "`allOf`), is no longer required.",
        old=lambda spec: None,
        new=_chunk_start_optional,
        expected=frozenset({("property-became-optional", "ChunkSpan.start", True, False)}),
    ),
    Case(
        "response-gains-required-field",
        "`JobState.reason` becomes required in job details (readers gain a field).",
        old=lambda spec: None,
        new=_job_state_reason_required,
        expected=frozenset({("property-became-required", "JobState.reason", False, True)}),
    ),
)


def ibm_2025_05_01(spec: Spec) -> None:
    """The older IBM description of the Jobs API, as the cases above rebuild it."""
    for edit in (
        _five_schemes,
        _fewer_error_fields,
        _program_id_optional,
        _no_doc_beside_refs,
        _sampler_and_estimator_bodies,
        _plain_text_results,
    ):
        edit(spec)
    spec["info"]["version"] = "2025-05-01"
    spec["info"].pop(REVISION_KEY, None)
    header = spec["components"]["parameters"]["IBMAPIVersion"]["schema"]
    header.update(default="2025-05-01", pattern="^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
    header.pop("format", None)


def main() -> None:
    """Print the rebuilt 2025-05-01 spec (YAML): the old side of the rehearsed bump."""
    spec = load_spec(str(REPO_ROOT / SPEC_PATH))
    ibm_2025_05_01(spec)
    print(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), end="")


if __name__ == "__main__":
    main()
