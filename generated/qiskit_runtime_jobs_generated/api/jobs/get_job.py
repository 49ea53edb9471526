from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.job_response import JobResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: str,
    *,
    exclude_params: bool | Unset = False,
    service_crn: str,
    ibm_api_version: str = "2026-03-15",
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Service-CRN"] = service_crn

    headers["IBM-API-Version"] = ibm_api_version

    params: dict[str, Any] = {}

    params["exclude_params"] = exclude_params

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/jobs/{id}".format(
            id=quote(str(id), safe=""),
        ),
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | JobResponse | None:
    if response.status_code == 200:
        response_200 = JobResponse.from_dict(response.json())

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

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | JobResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    exclude_params: bool | Unset = False,
    service_crn: str,
    ibm_api_version: str = "2026-03-15",
) -> Response[ErrorResponse | JobResponse]:
    """List job details

     List the details about the specified quantum program job.

    Args:
        id (str): Identifier assigned to the job
        exclude_params (bool | Unset):  Default: False.
        service_crn (str):
        ibm_api_version (str):  Default: '2026-03-15'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | JobResponse]
    """

    kwargs = _get_kwargs(
        id=id,
        exclude_params=exclude_params,
        service_crn=service_crn,
        ibm_api_version=ibm_api_version,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    exclude_params: bool | Unset = False,
    service_crn: str,
    ibm_api_version: str = "2026-03-15",
) -> ErrorResponse | JobResponse | None:
    """List job details

     List the details about the specified quantum program job.

    Args:
        id (str): Identifier assigned to the job
        exclude_params (bool | Unset):  Default: False.
        service_crn (str):
        ibm_api_version (str):  Default: '2026-03-15'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | JobResponse
    """

    return sync_detailed(
        id=id,
        client=client,
        exclude_params=exclude_params,
        service_crn=service_crn,
        ibm_api_version=ibm_api_version,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    exclude_params: bool | Unset = False,
    service_crn: str,
    ibm_api_version: str = "2026-03-15",
) -> Response[ErrorResponse | JobResponse]:
    """List job details

     List the details about the specified quantum program job.

    Args:
        id (str): Identifier assigned to the job
        exclude_params (bool | Unset):  Default: False.
        service_crn (str):
        ibm_api_version (str):  Default: '2026-03-15'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | JobResponse]
    """

    kwargs = _get_kwargs(
        id=id,
        exclude_params=exclude_params,
        service_crn=service_crn,
        ibm_api_version=ibm_api_version,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    exclude_params: bool | Unset = False,
    service_crn: str,
    ibm_api_version: str = "2026-03-15",
) -> ErrorResponse | JobResponse | None:
    """List job details

     List the details about the specified quantum program job.

    Args:
        id (str): Identifier assigned to the job
        exclude_params (bool | Unset):  Default: False.
        service_crn (str):
        ibm_api_version (str):  Default: '2026-03-15'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | JobResponse
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            exclude_params=exclude_params,
            service_crn=service_crn,
            ibm_api_version=ibm_api_version,
        )
    ).parsed
