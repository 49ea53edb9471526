from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.executor_v01_quantum_program_result_model import (
    ExecutorV01QuantumProgramResultModel,
)
from ...models.executor_v02_quantum_program_result_model import (
    ExecutorV02QuantumProgramResultModel,
)
from ...models.executor_v10_quantum_program_result_model import (
    ExecutorV10QuantumProgramResultModel,
)
from ...models.executor_v11_quantum_program_result_model import (
    ExecutorV11QuantumProgramResultModel,
)
from ...models.executor_v20_quantum_program_result_model import (
    ExecutorV20QuantumProgramResultModel,
)
from ...models.noise_learner_v3v01_results_model import NoiseLearnerV3V01ResultsModel
from ...models.noise_learner_v3v02_results_model import NoiseLearnerV3V02ResultsModel
from ...models.noise_learner_v3v03_results_model import NoiseLearnerV3V03ResultsModel
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
        "method": "get",
        "url": "/jobs/{id}/results".format(
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    Any
    | ErrorResponse
    | ExecutorV01QuantumProgramResultModel
    | ExecutorV02QuantumProgramResultModel
    | ExecutorV10QuantumProgramResultModel
    | ExecutorV11QuantumProgramResultModel
    | ExecutorV20QuantumProgramResultModel
    | NoiseLearnerV3V01ResultsModel
    | NoiseLearnerV3V02ResultsModel
    | NoiseLearnerV3V03ResultsModel
    | str
    | None
):
    if response.status_code == 200:

        def _parse_response_200(
            data: object,
        ) -> (
            ExecutorV01QuantumProgramResultModel
            | ExecutorV02QuantumProgramResultModel
            | ExecutorV10QuantumProgramResultModel
            | ExecutorV11QuantumProgramResultModel
            | ExecutorV20QuantumProgramResultModel
            | NoiseLearnerV3V01ResultsModel
            | NoiseLearnerV3V02ResultsModel
            | NoiseLearnerV3V03ResultsModel
            | str
        ):
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_job_results_type_0 = (
                    ExecutorV01QuantumProgramResultModel.from_dict(data)
                )

                return componentsschemas_job_results_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_job_results_type_1 = (
                    ExecutorV02QuantumProgramResultModel.from_dict(data)
                )

                return componentsschemas_job_results_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_job_results_type_2 = (
                    NoiseLearnerV3V01ResultsModel.from_dict(data)
                )

                return componentsschemas_job_results_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_job_results_type_3 = (
                    NoiseLearnerV3V02ResultsModel.from_dict(data)
                )

                return componentsschemas_job_results_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_job_results_type_4 = (
                    ExecutorV10QuantumProgramResultModel.from_dict(data)
                )

                return componentsschemas_job_results_type_4
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_job_results_type_5 = (
                    ExecutorV11QuantumProgramResultModel.from_dict(data)
                )

                return componentsschemas_job_results_type_5
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_job_results_type_6 = (
                    ExecutorV20QuantumProgramResultModel.from_dict(data)
                )

                return componentsschemas_job_results_type_6
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_job_results_type_7 = (
                    NoiseLearnerV3V03ResultsModel.from_dict(data)
                )

                return componentsschemas_job_results_type_7
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(
                ExecutorV01QuantumProgramResultModel
                | ExecutorV02QuantumProgramResultModel
                | ExecutorV10QuantumProgramResultModel
                | ExecutorV11QuantumProgramResultModel
                | ExecutorV20QuantumProgramResultModel
                | NoiseLearnerV3V01ResultsModel
                | NoiseLearnerV3V02ResultsModel
                | NoiseLearnerV3V03ResultsModel
                | str,
                data,
            )

        response_200 = _parse_response_200(response.json())

        return response_200

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

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[
    Any
    | ErrorResponse
    | ExecutorV01QuantumProgramResultModel
    | ExecutorV02QuantumProgramResultModel
    | ExecutorV10QuantumProgramResultModel
    | ExecutorV11QuantumProgramResultModel
    | ExecutorV20QuantumProgramResultModel
    | NoiseLearnerV3V01ResultsModel
    | NoiseLearnerV3V02ResultsModel
    | NoiseLearnerV3V03ResultsModel
    | str
]:
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
) -> Response[
    Any
    | ErrorResponse
    | ExecutorV01QuantumProgramResultModel
    | ExecutorV02QuantumProgramResultModel
    | ExecutorV10QuantumProgramResultModel
    | ExecutorV11QuantumProgramResultModel
    | ExecutorV20QuantumProgramResultModel
    | NoiseLearnerV3V01ResultsModel
    | NoiseLearnerV3V02ResultsModel
    | NoiseLearnerV3V03ResultsModel
    | str
]:
    """List job results

     Return the final result from this job.

    For a private job (`private: true`) the result can be read only once: after the
    first successful read it is deleted from the service.

    Args:
        id (str): Identifier assigned to the job
        service_crn (str):
        ibm_api_version (str):  Default: '2026-03-15'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorResponse | ExecutorV01QuantumProgramResultModel | ExecutorV02QuantumProgramResultModel | ExecutorV10QuantumProgramResultModel | ExecutorV11QuantumProgramResultModel | ExecutorV20QuantumProgramResultModel | NoiseLearnerV3V01ResultsModel | NoiseLearnerV3V02ResultsModel | NoiseLearnerV3V03ResultsModel | str]
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
) -> (
    Any
    | ErrorResponse
    | ExecutorV01QuantumProgramResultModel
    | ExecutorV02QuantumProgramResultModel
    | ExecutorV10QuantumProgramResultModel
    | ExecutorV11QuantumProgramResultModel
    | ExecutorV20QuantumProgramResultModel
    | NoiseLearnerV3V01ResultsModel
    | NoiseLearnerV3V02ResultsModel
    | NoiseLearnerV3V03ResultsModel
    | str
    | None
):
    """List job results

     Return the final result from this job.

    For a private job (`private: true`) the result can be read only once: after the
    first successful read it is deleted from the service.

    Args:
        id (str): Identifier assigned to the job
        service_crn (str):
        ibm_api_version (str):  Default: '2026-03-15'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorResponse | ExecutorV01QuantumProgramResultModel | ExecutorV02QuantumProgramResultModel | ExecutorV10QuantumProgramResultModel | ExecutorV11QuantumProgramResultModel | ExecutorV20QuantumProgramResultModel | NoiseLearnerV3V01ResultsModel | NoiseLearnerV3V02ResultsModel | NoiseLearnerV3V03ResultsModel | str
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
) -> Response[
    Any
    | ErrorResponse
    | ExecutorV01QuantumProgramResultModel
    | ExecutorV02QuantumProgramResultModel
    | ExecutorV10QuantumProgramResultModel
    | ExecutorV11QuantumProgramResultModel
    | ExecutorV20QuantumProgramResultModel
    | NoiseLearnerV3V01ResultsModel
    | NoiseLearnerV3V02ResultsModel
    | NoiseLearnerV3V03ResultsModel
    | str
]:
    """List job results

     Return the final result from this job.

    For a private job (`private: true`) the result can be read only once: after the
    first successful read it is deleted from the service.

    Args:
        id (str): Identifier assigned to the job
        service_crn (str):
        ibm_api_version (str):  Default: '2026-03-15'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorResponse | ExecutorV01QuantumProgramResultModel | ExecutorV02QuantumProgramResultModel | ExecutorV10QuantumProgramResultModel | ExecutorV11QuantumProgramResultModel | ExecutorV20QuantumProgramResultModel | NoiseLearnerV3V01ResultsModel | NoiseLearnerV3V02ResultsModel | NoiseLearnerV3V03ResultsModel | str]
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
) -> (
    Any
    | ErrorResponse
    | ExecutorV01QuantumProgramResultModel
    | ExecutorV02QuantumProgramResultModel
    | ExecutorV10QuantumProgramResultModel
    | ExecutorV11QuantumProgramResultModel
    | ExecutorV20QuantumProgramResultModel
    | NoiseLearnerV3V01ResultsModel
    | NoiseLearnerV3V02ResultsModel
    | NoiseLearnerV3V03ResultsModel
    | str
    | None
):
    """List job results

     Return the final result from this job.

    For a private job (`private: true`) the result can be read only once: after the
    first successful read it is deleted from the service.

    Args:
        id (str): Identifier assigned to the job
        service_crn (str):
        ibm_api_version (str):  Default: '2026-03-15'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorResponse | ExecutorV01QuantumProgramResultModel | ExecutorV02QuantumProgramResultModel | ExecutorV10QuantumProgramResultModel | ExecutorV11QuantumProgramResultModel | ExecutorV20QuantumProgramResultModel | NoiseLearnerV3V01ResultsModel | NoiseLearnerV3V02ResultsModel | NoiseLearnerV3V03ResultsModel | str
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            service_crn=service_crn,
            ibm_api_version=ibm_api_version,
        )
    ).parsed
