"""Configuration: arguments over environment, region routing from the CRN, clear errors."""

from __future__ import annotations

import httpx
import pytest

from qiskit_runtime_jobs import API_VERSION, Client, ConfigurationError
from qiskit_runtime_jobs._regions import region_from_crn, resolve_base_url
from qiskit_runtime_jobs._settings import resolve_settings

US = "https://quantum.cloud.ibm.com/api/v1"
EU = "https://eu-de.quantum.cloud.ibm.com/api/v1"
CRN_US = "crn:v1:bluemix:public:quantum-computing:us-east:a/acct:inst::"
CRN_EU = "crn:v1:bluemix:public:quantum-computing:eu-de:a/acct:inst::"
CRN_XX = "crn:v1:bluemix:public:quantum-computing:ap-south:a/acct:inst::"


@pytest.mark.parametrize(
    ("crn", "region", "base_url", "expected"),
    [
        (CRN_US, None, None, (US, "us-east")),
        (CRN_EU, None, None, (EU, "eu-de")),
        (CRN_US, "eu-de", None, (EU, "eu-de")),
        (CRN_XX, "us-east", None, (US, "us-east")),
        (CRN_XX, None, "http://127.0.0.1:9/api/v1/", ("http://127.0.0.1:9/api/v1", None)),
    ],
)
def test_routing(
    crn: str, region: str | None, base_url: str | None, expected: tuple[str, str | None]
) -> None:
    """The CRN's location picks the host; region= or base_url= override it."""
    assert resolve_base_url(crn=crn, region=region, base_url=base_url) == expected


def test_unknown_region_lists_known_ones() -> None:
    """A CRN in a region without a documented host is an error naming the known regions."""
    with pytest.raises(ConfigurationError, match="ap-south") as info:
        resolve_base_url(crn=CRN_XX, region=None, base_url=None)
    assert "us-east" in str(info.value)
    assert "eu-de" in str(info.value)


def test_unknown_explicit_region_is_an_error() -> None:
    """An explicit unknown region is refused with the known list."""
    with pytest.raises(ConfigurationError, match=r"region 'mars'.*us-east, eu-de"):
        resolve_base_url(crn=CRN_US, region="mars", base_url=None)


def test_region_and_base_url_are_exclusive() -> None:
    """region= and base_url= together are refused (openai data-residency rule)."""
    with pytest.raises(ConfigurationError, match="either region or base_url"):
        resolve_base_url(crn=CRN_US, region="us-east", base_url=US)


@pytest.mark.parametrize("crn", ["", "crn:v1", "not-a-crn:v1:b:p:q:us-east:a/x:y::", CRN_US[:-2]])
def test_malformed_crn(crn: str) -> None:
    """A malformed CRN is a configuration error that shows the expected shape."""
    with pytest.raises(ConfigurationError, match="crn:"):
        region_from_crn(crn)


def test_environment_configures_everything() -> None:
    """Every setting can come from QISKIT_RUNTIME_* variables, so CI needs no code."""
    env = {
        "QISKIT_RUNTIME_API_KEY": "k",
        "QISKIT_RUNTIME_CRN": CRN_EU,
        "QISKIT_RUNTIME_IAM_URL": "http://iam.test/identity/token",
        "QISKIT_RUNTIME_API_VERSION": "2026-04-01",
        "QISKIT_RUNTIME_TIMEOUT": "12.5",
        "QISKIT_RUNTIME_MAX_RETRIES": "1",
    }
    settings = resolve_settings(environ=env)
    assert settings.base_url == EU
    assert settings.api_key == "k"
    assert settings.token is None
    assert settings.iam_url == "http://iam.test/identity/token"
    assert settings.api_version == "2026-04-01"
    assert settings.timeout.read == 12.5
    assert settings.max_retries == 1


def test_environment_base_url_and_region() -> None:
    """QISKIT_RUNTIME_BASE_URL (e.g. the mock) and QISKIT_RUNTIME_REGION route too."""
    env = {"QISKIT_RUNTIME_TOKEN": "t", "QISKIT_RUNTIME_CRN": CRN_XX}
    with_url = resolve_settings(environ={**env, "QISKIT_RUNTIME_BASE_URL": "http://m/api/v1"})
    assert with_url.base_url == "http://m/api/v1"
    assert resolve_settings(environ={**env, "QISKIT_RUNTIME_REGION": "eu-de"}).base_url == EU


def test_arguments_win_over_environment() -> None:
    """Explicit credentials and routing replace the environment's, as groups."""
    env = {
        "QISKIT_RUNTIME_API_KEY": "env-key",
        "QISKIT_RUNTIME_CRN": CRN_US,
        "QISKIT_RUNTIME_BASE_URL": "http://env/api/v1",
    }
    settings = resolve_settings(token="arg-token", region="eu-de", environ=env)
    assert (settings.token, settings.api_key) == ("arg-token", None)
    assert settings.base_url == EU


def test_lock_dir() -> None:
    """Keyed creates lock in `<cache_dir>/locks`, else in the per-user cache directory
    (`$XDG_CACHE_HOME`, else `~/.cache`)."""
    with_cache = resolve_settings(token="t", crn=CRN_US, cache_dir="/c", environ={})
    assert str(with_cache.lock_dir) == "/c/locks"
    xdg = resolve_settings(token="t", crn=CRN_US, environ={"XDG_CACHE_HOME": "/x"})
    assert str(xdg.lock_dir) == "/x/qiskit-runtime-jobs/locks"
    home = resolve_settings(token="t", crn=CRN_US, environ={})
    assert str(home.lock_dir).endswith("/.cache/qiskit-runtime-jobs/locks")


def test_defaults() -> None:
    """Timeouts are on, the API version is the spec's, the IAM URL is IBM's."""
    settings = resolve_settings(token="t", crn=CRN_US, environ={})
    assert settings.timeout == httpx.Timeout(30.0, connect=10.0)
    assert settings.api_version == API_VERSION
    assert settings.iam_url == "https://iam.cloud.ibm.com/identity/token"
    assert settings.user_agent.startswith("qiskit-runtime-jobs/")
    assert settings.create_rate_limit == 5


@pytest.mark.parametrize(
    ("kwargs", "env", "match"),
    [
        ({"crn": CRN_US}, {}, "no credentials"),
        ({"token": "t", "api_key": "k", "crn": CRN_US}, {}, "either token or api_key"),
        (
            {"crn": CRN_US},
            {"QISKIT_RUNTIME_TOKEN": "t", "QISKIT_RUNTIME_API_KEY": "k"},
            "QISKIT_RUNTIME_TOKEN or QISKIT_RUNTIME_API_KEY",
        ),
        ({"token": "t"}, {}, "QISKIT_RUNTIME_CRN"),
        ({"token": "t", "crn": CRN_US, "api_version": "2026-3-1"}, {}, "api_version"),
        ({"token": "t", "crn": CRN_US, "api_version": "2026-02-30"}, {}, "api_version"),
        ({"token": "t", "crn": CRN_US, "api_version": "2025-01-01"}, {}, "older than"),
        ({"token": "t", "crn": CRN_US, "timeout": 0}, {}, "timeout"),
        ({"token": "t", "crn": CRN_US, "max_retries": -1}, {}, "max_retries"),
        ({"token": "t", "crn": CRN_US, "create_rate_limit": 0}, {}, "create_rate_limit"),
        ({"token": "t", "crn": CRN_US}, {"QISKIT_RUNTIME_TIMEOUT": "x"}, "QISKIT_RUNTIME_TIMEOUT"),
        ({"token": "t", "crn": CRN_US}, {"QISKIT_RUNTIME_MAX_RETRIES": "x"}, "MAX_RETRIES"),
        ({"token": "t", "crn": CRN_US.replace("acct", "äcct")}, {}, "crn: must be printable"),
        ({"token": "tok\nen", "crn": CRN_US}, {}, "token: must be printable"),
        ({"token": "t", "crn": CRN_US, "base_url": "ftp://host/api"}, {}, "base_url"),
        ({"token": "t", "crn": CRN_US, "base_url": "http:///api"}, {}, "base_url"),
        ({"token": "t", "crn": CRN_US, "base_url": "http://h/" + "p" * 70_000}, {}, "too long"),
    ],
)
def test_configuration_errors(kwargs: dict[str, object], env: dict[str, str], match: str) -> None:
    """Missing or contradictory settings fail at construction with a message naming them."""
    with pytest.raises(ConfigurationError, match=match):
        resolve_settings(**kwargs, environ=env)  # type: ignore[arg-type]


def test_client_reads_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Client() with no arguments is configured from os.environ."""
    monkeypatch.setenv("QISKIT_RUNTIME_TOKEN", "t")
    monkeypatch.setenv("QISKIT_RUNTIME_CRN", CRN_EU)
    with Client() as client:
        assert client.base_url == EU
        assert client.settings.crn == CRN_EU


def test_api_version_header_is_overridable(monkeypatch: pytest.MonkeyPatch) -> None:
    """The IBM-API-Version sent is the spec's unless overridden, with CRN and User-Agent."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"jobs": [], "limit": 200, "offset": 0, "count": 0})

    transport = httpx.MockTransport(handler)
    with Client(token="t", crn=CRN_US, transport=transport) as client:
        client.list_jobs()
    with Client(token="t", crn=CRN_US, api_version="2026-06-01", transport=transport) as client:
        client.list_jobs()
    assert seen[0].headers["IBM-API-Version"] == API_VERSION
    assert seen[1].headers["IBM-API-Version"] == "2026-06-01"
    assert seen[0].headers["Service-CRN"] == CRN_US
    assert seen[0].headers["Authorization"] == "Bearer t"
    assert seen[0].headers["User-Agent"].startswith("qiskit-runtime-jobs/0.1.0")
    assert str(seen[0].url).startswith(US + "/jobs")
