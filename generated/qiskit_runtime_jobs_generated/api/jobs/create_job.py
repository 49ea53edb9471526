from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.create_job_request import CreateJobRequest
from ...models.create_job_response import CreateJobResponse
from ...models.error_response import ErrorResponse
from ...types import Response


def _get_kwargs(
    *,
    body: CreateJobRequest,
    service_crn: str,
    ibm_api_version: str = "2026-03-15",
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Service-CRN"] = service_crn

    headers["IBM-API-Version"] = ibm_api_version

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/jobs",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CreateJobResponse | ErrorResponse | None:
    if response.status_code == 200:
        response_200 = CreateJobResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorResponse.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ErrorResponse.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = ErrorResponse.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = ErrorResponse.from_dict(response.json())

        return response_413

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[CreateJobResponse | ErrorResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CreateJobRequest,
    service_crn: str,
    ibm_api_version: str = "2026-03-15",
) -> Response[CreateJobResponse | ErrorResponse]:
    """Run a job

     Invoke a Qiskit Runtime primitive. Note the returned job ID. You will use it to
    check the job's status and review results. This request is rate limited to 5 jobs
    per minute per user.

    Args:
        service_crn (str):
        ibm_api_version (str):  Default: '2026-03-15'.
        body (CreateJobRequest): The job to run.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreateJobResponse | ErrorResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        service_crn=service_crn,
        ibm_api_version=ibm_api_version,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: CreateJobRequest,
    service_crn: str,
    ibm_api_version: str = "2026-03-15",
) -> CreateJobResponse | ErrorResponse | None:
    """Run a job

     Invoke a Qiskit Runtime primitive. Note the returned job ID. You will use it to
    check the job's status and review results. This request is rate limited to 5 jobs
    per minute per user.

    Args:
        service_crn (str):
        ibm_api_version (str):  Default: '2026-03-15'.
        body (CreateJobRequest): The job to run.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreateJobResponse | ErrorResponse
    """

    return sync_detailed(
        client=client,
        body=body,
        service_crn=service_crn,
        ibm_api_version=ibm_api_version,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CreateJobRequest,
    service_crn: str,
    ibm_api_version: str = "2026-03-15",
) -> Response[CreateJobResponse | ErrorResponse]:
    """Run a job

     Invoke a Qiskit Runtime primitive. Note the returned job ID. You will use it to
    check the job's status and review results. This request is rate limited to 5 jobs
    per minute per user.

    Args:
        service_crn (str):
        ibm_api_version (str):  Default: '2026-03-15'.
        body (CreateJobRequest): The job to run.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreateJobResponse | ErrorResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        service_crn=service_crn,
        ibm_api_version=ibm_api_version,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: CreateJobRequest,
    service_crn: str,
    ibm_api_version: str = "2026-03-15",
) -> CreateJobResponse | ErrorResponse | None:
    """Run a job

     Invoke a Qiskit Runtime primitive. Note the returned job ID. You will use it to
    check the job's status and review results. This request is rate limited to 5 jobs
    per minute per user.

    Args:
        service_crn (str):
        ibm_api_version (str):  Default: '2026-03-15'.
        body (CreateJobRequest): The job to run.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreateJobResponse | ErrorResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            service_crn=service_crn,
            ibm_api_version=ibm_api_version,
        )
    ).parsed
