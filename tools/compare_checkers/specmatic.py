"""Checker 3, Specmatic: `specmatic test`, the npm package's jar on the machine's Java 17.

The jar is run with `java -jar`, as Specmatic's docs run it, not through the package's node
wrapper (`npx specmatic`): the wrapper (2.55.1) runs the same jar but exits 0 whatever the
jar's exit status (it sets `process.exitCode = err.code` on an Error that has no `code`).
The verdict comes from the JUnit report either way.

It is given, in its own temporary directory:
- a byte-for-byte copy of the spec: Specmatic looks for a dictionary as
  `<spec name>_dictionary.yaml` beside the spec, and openapi/ is not the place for one;
- that dictionary (`PARAMETERS.HEADER.<name>`), with the values of the two required headers
  that are plain parameters of every operation (`Service-CRN`, `IBM-API-Version`): without it
  Specmatic sends generated strings (`Service-CRN: FLEAH`) and every request answers 403;
- a specmatic.yaml (config version 2) with the bearer token for the spec's security scheme
  (`security.OpenAPI.securitySchemes.<name>.token`: this is how Specmatic authenticates;
  an environment variable named after the scheme works too), a workflow that uses the id
  `POST /jobs` returned in every `/jobs/{id}` request (else every such test hits 404), its
  resiliency tests on (positive and negative generated requests, as schemathesis' phases), a
  bound on request combinations (else the create body's optional fields alone made more than
  19,000 create requests in 5 minutes, and the run did not finish), and telemetry off.

`--lenient` is needed: Specmatic 2.55 cannot convert the recursive `PassthroughData` schema
(an `anyOf` that refers to itself) and, without it, fails the whole suite before sending a
request; leniently, it reads that one schema as "any value" and tests everything else.
A failure is a failed test case of its JUnit report, keyed by the operation and status it
tested, where in the answer it failed and the rule; only keys the baseline runs did not
report count (on the correct mock it already fails some, e.g. a 400 for deleting a queued job).
"""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

import yaml

from tools.compare_checkers.model import ROOT, SPEC, Checker, Failure, Reading, Target

PACKAGE_DIR = ROOT / "tools" / "compare_checkers" / "node_modules" / "specmatic"
JAR = PACKAGE_DIR / "specmatic.jar"
MAX_TEST_REQUEST_COMBINATIONS = 1
RESILIENCY_TESTS = "all"
SPEC_NAME = "openapi.yaml"
DETAIL_CHARS = 90
# "Specification expected status 204 but response contained status 200" (a documented status)
# and "Expected 4xx status, but received 500" (a negative test)
_STATUS = re.compile(
    r"[Ee]xpected (?:status )?(\w+)(?: status)?,? but (?:response contained status|received) "
    r"(\d+)"
)


def command(target: Target, workdir: Path) -> list[str]:
    """The command line; the rest of its setup is in the files `prepare` writes."""
    return [
        "java",
        "-jar",
        str(JAR),
        "test",
        "--lenient",
        "--testBaseURL",
        target.base_url,
        "--junitReportDir",
        str(workdir / "junit"),
    ]


def prepare(target: Target, workdir: Path) -> None:
    """Write the spec copy, its dictionary and specmatic.yaml into `workdir` (see above)."""
    shutil.copyfile(SPEC, workdir / SPEC_NAME)
    headers = {k: v for k, v in target.headers.items() if k.lower() != "authorization"}
    dictionary = {"PARAMETERS": {"HEADER": headers}}
    _write_yaml(workdir / f"{Path(SPEC_NAME).stem}_dictionary.yaml", dictionary)
    _write_yaml(workdir / "specmatic.yaml", config(target))


def config(target: Target) -> dict[str, Any]:
    """specmatic.yaml: the spec, the token, the id workflow and the test generation bounds."""
    token = target.headers["Authorization"].removeprefix("Bearer ").strip()
    return {
        "version": 2,
        "contracts": [{"filesystem": {"directory": "."}, "provides": [SPEC_NAME]}],
        "security": {
            "OpenAPI": {
                "securitySchemes": {
                    name: {"type": "bearer", "token": token} for name in bearer_schemes()
                }
            }
        },
        "test": {
            "resiliencyTests": {"enable": RESILIENCY_TESTS},
            "maxTestRequestCombinations": MAX_TEST_REQUEST_COMBINATIONS,
        },
        "workflow": {
            "ids": {
                "POST /jobs -> 200": {"extract": "BODY.id"},
                "*": {"use": "PATH.id"},
            }
        },
        "disableTelemetry": True,
    }


def bearer_schemes() -> list[str]:
    """The spec's HTTP bearer security schemes (IBMCloudBearer)."""
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    schemes = spec.get("components", {}).get("securitySchemes", {})
    return [
        name
        for name, scheme in schemes.items()
        if scheme.get("type") == "http" and str(scheme.get("scheme", "")).lower() == "bearer"
    ]


def installed() -> bool:
    """Whether `npm ci --prefix tools/compare_checkers` has run and java is on PATH."""
    return JAR.is_file() and shutil.which("java") is not None


def read(workdir: Path) -> Reading:
    """The failed tests of the run's JUnit reports and its counts."""
    reports = sorted((workdir / "junit").glob("*.xml"))
    if not reports:
        return Reading((), "no report", "no JUnit report")
    found, counts = read_junit(reports)
    summary = f"{counts['tests']} tests, {counts['failed']} failed"
    if counts["tests"] <= 1 and any(f.key.startswith("Specmatic Test Suite") for f in found):
        return Reading(tuple(found), summary, "the suite did not start: " + found[0].detail)
    return Reading(tuple(found), summary)


def read_junit(paths: list[Path]) -> tuple[list[Failure], dict[str, int]]:
    """The failed test cases of Specmatic's JUnit reports, and the test counts."""
    found: list[Failure] = []
    counts = {"tests": 0, "failed": 0}
    for path in paths:
        root = ElementTree.parse(path).getroot()
        suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
        for suite in suites:
            counts["tests"] += int(suite.get("tests", "0"))
            for case in suite.iter("testcase"):
                problem = case.find("failure")
                if problem is None:
                    problem = case.find("error")
                if problem is None:
                    continue
                counts["failed"] += 1
                message = problem.get("message") or problem.text or ""
                found.append(failure(case.get("name", ""), message))
    return list(dict.fromkeys(found)), counts


def failure(name: str, message: str) -> Failure:
    """Key a failed test by what it tested and how it failed (not by generated values)."""
    api = re.search(r"API: (.+)", message)
    where = re.search(r">> (\S+)", message)
    rule = re.search(r"\b(R\d{4}): ([^\n]+)", message)
    status = _STATUS.search(message)
    tested = api.group(1).strip() if api else name.strip()[:80]
    parts = [tested, where.group(1) if where else "", rule.group(1) if rule else ""]
    detail = f"{tested}: {rule.group(2).strip() if rule else _first_line(message)}"
    if status:
        parts.append(f"{status.group(1)}->{status.group(2)}")
        detail = f"{tested}: got {status.group(2)}"
    elif where:
        detail += f" at {where.group(1)}"
    if len(detail) > DETAIL_CHARS:
        detail = detail[: DETAIL_CHARS - 1].rstrip() + "…"
    return Failure(" | ".join(p for p in parts if p), detail)


def _first_line(message: str) -> str:
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    return lines[0] if lines else "failed"


def _write_yaml(path: Path, data: Any) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


CHECKER = Checker(
    name="specmatic",
    title="Specmatic",
    time_limit=300.0,
    command=command,
    env_drop=("SPECMATIC_",),
    read=read,
    rule="new_failures",
    prepare=prepare,
    settings={
        "files": "openapi.yaml (a byte copy of the spec), openapi_dictionary.yaml "
        "(PARAMETERS.HEADER: Service-CRN, IBM-API-Version), specmatic.yaml (version 2: "
        "security.OpenAPI.securitySchemes.IBMCloudBearer {type: bearer, token: mock-token}; "
        "workflow.ids: `POST /jobs -> 200` extract BODY.id, `*` use PATH.id; "
        f"test.resiliencyTests.enable: {RESILIENCY_TESTS}; "
        f"test.maxTestRequestCombinations: {MAX_TEST_REQUEST_COMBINATIONS}; "
        "disableTelemetry: true)",
    },
    notes="`--lenient`: without it Specmatic stops before its first request, unable to "
    "convert the recursive `PassthroughData` schema; leniently it reads that schema as any "
    "value. Its workflow carries one job id (from a successful `POST /jobs`) through the "
    "run and it tests `DELETE /jobs/{id}` before the other `/jobs/{id}` operations, so once "
    "that delete succeeds they answer 404 on the correct mock too (see above). The exit "
    "status shown is the jar's; the verdict is read from its JUnit report.",
)
