"""Before anything else: does the target take the run's credentials, and is it the Jobs API?

Without this, a run with an expired token fuzzes for minutes, every answer a 401 that the
checks accept as documented, and passes. One `GET /jobs?limit=1` tells: its refusal names
what was refused (the token, the API key at IAM, the instance), and the run stops there.
"""

from __future__ import annotations

from typing import Any

import httpx

from .session import CredentialsRefusedError, Session, json_or_none


def error_message(payload: Any) -> str:
    """The first error message of an error body (the spec's `errors[].message`), if any."""
    if not isinstance(payload, dict):
        return ""
    errors = payload.get("errors")
    first = errors[0] if isinstance(errors, list) and errors else payload
    message = first.get("message", "") if isinstance(first, dict) else ""
    return " ".join(str(message).split())[:200]


def answer_text(status: int | None, payload: Any) -> str:
    """An answer in a few words: its status, and the target's own message if it gave one."""
    if status is None:
        return "no answer"
    message = error_message(payload)
    return f"HTTP {status}" + (f" ({message})" if message else "")


def preflight(session: Session) -> str | None:
    """None if the target answers a well-formed `GET /jobs` as the Jobs API does; else one
    line that says what is wrong (never a secret's value)."""
    context = session.context
    credentials = context.credentials
    try:
        response = session.request("GET", "/jobs", params={"limit": 1})
    except CredentialsRefusedError as refused:
        return f"credentials refused: {refused}"
    except httpx.HTTPError as error:
        return f"could not reach the target {context.url}: {type(error).__name__}: {error}"
    body = json_or_none(response.content)
    said = answer_text(response.status_code, body)
    if response.status_code == 401:
        what = (
            f"the token ({credentials.secret_name})"
            if credentials.token
            else f"the token IAM issued for the API key ({credentials.secret_name})"
        )
        return f"credentials refused: the target refused {what}: GET /jobs answered {said}"
    if response.status_code == 403:
        return (
            f"credentials refused: the target refused the instance {credentials.crn} "
            f"(QISKIT_RUNTIME_CRN) for these credentials: GET /jobs answered {said}"
        )
    if response.status_code != 200:
        return f"the target is not answering as the Jobs API: GET /jobs answered {said}"
    if not (isinstance(body, dict) and isinstance(body.get("jobs"), list)):
        kind = response.headers.get("content-type", "no content type")
        return (
            "the target is not answering as the Jobs API: GET /jobs answered 200 with "
            f"{kind}, not a job list"
        )
    return None
