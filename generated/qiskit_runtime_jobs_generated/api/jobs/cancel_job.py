from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...types import Response


def _get_kwargs(
    id: str,
    *,
    service_crn: str,
    ibm_api_version: str = "2026-03-15",
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Service-CRN"] = service_crn

    headers["IBM-API-Version"] = ibm_api_version

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/jobs/{id}/cancel".format(
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | ErrorResponse | None:
    if response.status_code == 204:
        response_204 = cast(Any, None)
        return response_204

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

    if response.status_code == 500:
        response_500 = ErrorResponse.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Any | ErrorResponse]:
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
    service_crn: str,
    ibm_api_version: str = "2026-03-15",
) -> Response[Any | ErrorResponse]:
    """Cancel a job

     Cancels the specified job.

    Args:
        id (str): Identifier assigned to the job
        service_crn (str):
        ibm_api_version (str):  Default: '2026-03-15'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorResponse]
    """

    kwargs = _get_kwargs(
        id=id,
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
    service_crn: str,
    ibm_api_version: str = "2026-03-15",
) -> Any | ErrorResponse | None:
    """Cancel a job

     Cancels the specified job.

    Args:
        id (str): Identifier assigned to the job
        service_crn (str):
        ibm_api_version (str):  Default: '2026-03-15'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorResponse
    """

    return sync_detailed(
        id=id,
        client=client,
        service_crn=service_crn,
        ibm_api_version=ibm_api_version,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    service_crn: str,
    ibm_api_version: str = "2026-03-15",
) -> Response[Any | ErrorResponse]:
    """Cancel a job

     Cancels the specified job.

    Args:
        id (str): Identifier assigned to the job
        service_crn (str):
        ibm_api_version (str):  Default: '2026-03-15'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorResponse]
    """

    kwargs = _get_kwargs(
        id=id,
        service_crn=service_crn,
        ibm_api_version=ibm_api_version,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    service_crn: str,
    ibm_api_version: str = "2026-03-15",
) -> Any | ErrorResponse | None:
    """Cancel a job

     Cancels the specified job.

    Args:
        id (str): Identifier assigned to the job
        service_crn (str):
        ibm_api_version (str):  Default: '2026-03-15'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorResponse
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            service_crn=service_crn,
            ibm_api_version=ibm_api_version,
        )
    ).parsed
