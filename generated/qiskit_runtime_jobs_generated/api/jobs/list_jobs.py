import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.jobs_response import JobsResponse
from ...models.sort_order import SortOrder
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    limit: int | Unset = 200,
    offset: int | Unset = 0,
    pending: bool | Unset = UNSET,
    program: str | Unset = UNSET,
    backend: str | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    sort: SortOrder | Unset = UNSET,
    tags: list[str] | Unset = UNSET,
    session_id: str | Unset = UNSET,
    exclude_params: bool | Unset = True,
    service_crn: str,
    ibm_api_version: str = "2026-03-15",
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Service-CRN"] = service_crn

    headers["IBM-API-Version"] = ibm_api_version

    params: dict[str, Any] = {}

    json_limit: int | Unset
    if isinstance(limit, Unset):
        json_limit = UNSET
    else:
        json_limit = limit
    params["limit"] = json_limit

    json_offset: int | Unset
    if isinstance(offset, Unset):
        json_offset = UNSET
    else:
        json_offset = offset
    params["offset"] = json_offset

    params["pending"] = pending

    params["program"] = program

    params["backend"] = backend

    json_created_after: str | Unset = UNSET
    if not isinstance(created_after, Unset):
        json_created_after = created_after.isoformat()
    params["created_after"] = json_created_after

    json_created_before: str | Unset = UNSET
    if not isinstance(created_before, Unset):
        json_created_before = created_before.isoformat()
    params["created_before"] = json_created_before

    json_sort: str | Unset = UNSET
    if not isinstance(sort, Unset):
        json_sort = sort.value

    params["sort"] = json_sort

    json_tags: list[str] | Unset = UNSET
    if not isinstance(tags, Unset):
        json_tags = tags

    params["tags"] = json_tags

    params["session_id"] = session_id

    params["exclude_params"] = exclude_params

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/jobs",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | JobsResponse | None:
    if response.status_code == 200:
        response_200 = JobsResponse.from_dict(response.json())

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
) -> Response[ErrorResponse | JobsResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 200,
    offset: int | Unset = 0,
    pending: bool | Unset = UNSET,
    program: str | Unset = UNSET,
    backend: str | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    sort: SortOrder | Unset = UNSET,
    tags: list[str] | Unset = UNSET,
    session_id: str | Unset = UNSET,
    exclude_params: bool | Unset = True,
    service_crn: str,
    ibm_api_version: str = "2026-03-15",
) -> Response[ErrorResponse | JobsResponse]:
    """List jobs

     List the quantum program jobs you have run.

    Args:
        limit (int | Unset): Viable range 1..200; any other integer is accepted and replaced by
            the default (200). Default: 200.
        offset (int | Unset): Viable range 0..2147483647; any other integer is accepted and
            replaced by the default (0). Default: 0.
        pending (bool | Unset):
        program (str | Unset):
        backend (str | Unset):
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        sort (SortOrder | Unset): Sort jobs by created time ASC or DESC (default)
        tags (list[str] | Unset):
        session_id (str | Unset):
        exclude_params (bool | Unset):  Default: True.
        service_crn (str):
        ibm_api_version (str):  Default: '2026-03-15'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | JobsResponse]
    """

    kwargs = _get_kwargs(
        limit=limit,
        offset=offset,
        pending=pending,
        program=program,
        backend=backend,
        created_after=created_after,
        created_before=created_before,
        sort=sort,
        tags=tags,
        session_id=session_id,
        exclude_params=exclude_params,
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
    limit: int | Unset = 200,
    offset: int | Unset = 0,
    pending: bool | Unset = UNSET,
    program: str | Unset = UNSET,
    backend: str | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    sort: SortOrder | Unset = UNSET,
    tags: list[str] | Unset = UNSET,
    session_id: str | Unset = UNSET,
    exclude_params: bool | Unset = True,
    service_crn: str,
    ibm_api_version: str = "2026-03-15",
) -> ErrorResponse | JobsResponse | None:
    """List jobs

     List the quantum program jobs you have run.

    Args:
        limit (int | Unset): Viable range 1..200; any other integer is accepted and replaced by
            the default (200). Default: 200.
        offset (int | Unset): Viable range 0..2147483647; any other integer is accepted and
            replaced by the default (0). Default: 0.
        pending (bool | Unset):
        program (str | Unset):
        backend (str | Unset):
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        sort (SortOrder | Unset): Sort jobs by created time ASC or DESC (default)
        tags (list[str] | Unset):
        session_id (str | Unset):
        exclude_params (bool | Unset):  Default: True.
        service_crn (str):
        ibm_api_version (str):  Default: '2026-03-15'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | JobsResponse
    """

    return sync_detailed(
        client=client,
        limit=limit,
        offset=offset,
        pending=pending,
        program=program,
        backend=backend,
        created_after=created_after,
        created_before=created_before,
        sort=sort,
        tags=tags,
        session_id=session_id,
        exclude_params=exclude_params,
        service_crn=service_crn,
        ibm_api_version=ibm_api_version,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 200,
    offset: int | Unset = 0,
    pending: bool | Unset = UNSET,
    program: str | Unset = UNSET,
    backend: str | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    sort: SortOrder | Unset = UNSET,
    tags: list[str] | Unset = UNSET,
    session_id: str | Unset = UNSET,
    exclude_params: bool | Unset = True,
    service_crn: str,
    ibm_api_version: str = "2026-03-15",
) -> Response[ErrorResponse | JobsResponse]:
    """List jobs

     List the quantum program jobs you have run.

    Args:
        limit (int | Unset): Viable range 1..200; any other integer is accepted and replaced by
            the default (200). Default: 200.
        offset (int | Unset): Viable range 0..2147483647; any other integer is accepted and
            replaced by the default (0). Default: 0.
        pending (bool | Unset):
        program (str | Unset):
        backend (str | Unset):
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        sort (SortOrder | Unset): Sort jobs by created time ASC or DESC (default)
        tags (list[str] | Unset):
        session_id (str | Unset):
        exclude_params (bool | Unset):  Default: True.
        service_crn (str):
        ibm_api_version (str):  Default: '2026-03-15'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | JobsResponse]
    """

    kwargs = _get_kwargs(
        limit=limit,
        offset=offset,
        pending=pending,
        program=program,
        backend=backend,
        created_after=created_after,
        created_before=created_before,
        sort=sort,
        tags=tags,
        session_id=session_id,
        exclude_params=exclude_params,
        service_crn=service_crn,
        ibm_api_version=ibm_api_version,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 200,
    offset: int | Unset = 0,
    pending: bool | Unset = UNSET,
    program: str | Unset = UNSET,
    backend: str | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    sort: SortOrder | Unset = UNSET,
    tags: list[str] | Unset = UNSET,
    session_id: str | Unset = UNSET,
    exclude_params: bool | Unset = True,
    service_crn: str,
    ibm_api_version: str = "2026-03-15",
) -> ErrorResponse | JobsResponse | None:
    """List jobs

     List the quantum program jobs you have run.

    Args:
        limit (int | Unset): Viable range 1..200; any other integer is accepted and replaced by
            the default (200). Default: 200.
        offset (int | Unset): Viable range 0..2147483647; any other integer is accepted and
            replaced by the default (0). Default: 0.
        pending (bool | Unset):
        program (str | Unset):
        backend (str | Unset):
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        sort (SortOrder | Unset): Sort jobs by created time ASC or DESC (default)
        tags (list[str] | Unset):
        session_id (str | Unset):
        exclude_params (bool | Unset):  Default: True.
        service_crn (str):
        ibm_api_version (str):  Default: '2026-03-15'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | JobsResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            offset=offset,
            pending=pending,
            program=program,
            backend=backend,
            created_after=created_after,
            created_before=created_before,
            sort=sort,
            tags=tags,
            session_id=session_id,
            exclude_params=exclude_params,
            service_crn=service_crn,
            ibm_api_version=ibm_api_version,
        )
    ).parsed
