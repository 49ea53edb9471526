from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.job_status import JobStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="JobResponse")

# The properties this model names; any other key of its JSON object is an additional property.
_PROPERTY_NAMES = frozenset(
    {
        "id",
        "state",
        "status",
        "program",
        "created",
        "cost",
        "backend",
        "params",
        "runtime",
        "tags",
        "remote_storage",
        "session_id",
        "user_id",
        "usage",
        "private",
        "estimated_running_time_seconds",
        "calibration_id",
    }
)


@_attrs_define
class JobResponse:
    """A job"""

    id: str
    """ Identifier assigned to the job """
    state: JobState
    """ Current state of the job """
    status: JobStatus | str
    program: JobProgram
    """ Program associated with the job """
    created: datetime.datetime
    """ UTC timestamp for when the job was created """
    cost: int
    """ Cost of the job as the estimated time it should take to complete (in seconds).
    Should not exceed the cost of the program. If the provided value exceeds the
    maximum, it will be capped at that value.
     """
    backend: str | Unset = UNSET
    """ **Warning:** While this parameter is not currently required for requests,
    specifying it is strongly encouraged. Running an ISA circuit on a backend that
    has a different instruction set will result in an error. The backend parameter
    will be required in a future release.

    The backend on which to run the program. If no backend is specified, the job is
    sent to the backend with the shortest queue that you have access to.
     """
    params: JobParams | Unset = UNSET
    """ Parameters used to execute the job """
    runtime: str | Unset = UNSET
    """ Name and tag of the image to use when running a program (IBM Quantum channel users only) """
    tags: list[str] | Unset = UNSET
    """ List of job or program tags """
    remote_storage: RemoteStorage | Unset = UNSET
    """ (Only enabled for Qiskit Runtime instances with the Channel Partner plan) Metadata
    and connection information on where job params are stored remotely and/or where to
    store results, logs, transpiled circuits, etc. Omitted properties in field specific
    objects will be inherited from the default remote storage option.

    The top-level fields are the default remote storage option, for where input data is
    stored and where output data should be stored.
     """
    session_id: str | Unset = UNSET
    """ Identifier of the session that the job is a part of """
    user_id: str | Unset = UNSET
    """ The id of the user submitted the job """
    usage: Usage | Unset = UNSET
    """ usage metrics """
    private: bool | Unset = UNSET
    """ When set to true, input parameters are not returned, and the results can only be
    read once. After the job is completed, input parameters are deleted from the
    service. After the results are read, they are deleted from the service. When set
    to false, the input parameters and results follow the standard retention behavior
    of the API. Only returned in the response if the value is true, otherwise it is
    omitted.
     """
    estimated_running_time_seconds: float | Unset = UNSET
    """ Estimated usage in seconds """
    calibration_id: str | Unset = UNSET
    """ The ID of the calibration used for the job """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        state = self.state.to_dict()

        status: str
        if isinstance(self.status, JobStatus):
            status = self.status.value
        else:
            status = self.status

        program = self.program.to_dict()

        created = self.created.isoformat()

        cost = self.cost

        backend = self.backend

        params: dict[str, Any] | Unset = UNSET
        if not isinstance(self.params, Unset):
            params = self.params.to_dict()

        runtime = self.runtime

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags

        remote_storage: dict[str, Any] | Unset = UNSET
        if not isinstance(self.remote_storage, Unset):
            remote_storage = self.remote_storage.to_dict()

        session_id = self.session_id

        user_id = self.user_id

        usage: dict[str, Any] | Unset = UNSET
        if not isinstance(self.usage, Unset):
            usage = self.usage.to_dict()

        private = self.private

        estimated_running_time_seconds = self.estimated_running_time_seconds

        calibration_id = self.calibration_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "state": state,
                "status": status,
                "program": program,
                "created": created,
                "cost": cost,
            }
        )
        if backend is not UNSET:
            field_dict["backend"] = backend
        if params is not UNSET:
            field_dict["params"] = params
        if runtime is not UNSET:
            field_dict["runtime"] = runtime
        if tags is not UNSET:
            field_dict["tags"] = tags
        if remote_storage is not UNSET:
            field_dict["remote_storage"] = remote_storage
        if session_id is not UNSET:
            field_dict["session_id"] = session_id
        if user_id is not UNSET:
            field_dict["user_id"] = user_id
        if usage is not UNSET:
            field_dict["usage"] = usage
        if private is not UNSET:
            field_dict["private"] = private
        if estimated_running_time_seconds is not UNSET:
            field_dict["estimated_running_time_seconds"] = (
                estimated_running_time_seconds
            )
        if calibration_id is not UNSET:
            field_dict["calibration_id"] = calibration_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = src_dict
        id = d["id"]

        state = JobState.from_dict(d["state"])

        status = d["status"]
        if isinstance(status, str):
            status = JobStatus._value2member_map_.get(status, status)

        program = JobProgram.from_dict(d["program"])

        created = datetime.datetime.fromisoformat(d["created"])

        cost = d["cost"]

        backend = d.get("backend", UNSET)

        _params = d.get("params", UNSET)
        params: JobParams | Unset
        if isinstance(_params, Unset):
            params = UNSET
        else:
            params = JobParams.from_dict(_params)

        runtime = d.get("runtime", UNSET)

        tags = cast(list[str], d.get("tags", UNSET))

        _remote_storage = d.get("remote_storage", UNSET)
        remote_storage: RemoteStorage | Unset
        if isinstance(_remote_storage, Unset):
            remote_storage = UNSET
        else:
            remote_storage = RemoteStorage.from_dict(_remote_storage)

        session_id = d.get("session_id", UNSET)

        user_id = d.get("user_id", UNSET)

        _usage = d.get("usage", UNSET)
        usage: Usage | Unset
        if isinstance(_usage, Unset):
            usage = UNSET
        else:
            usage = Usage.from_dict(_usage)

        private = d.get("private", UNSET)

        estimated_running_time_seconds = d.get("estimated_running_time_seconds", UNSET)

        calibration_id = d.get("calibration_id", UNSET)

        job_response = cls(
            id,
            state,
            status,
            program,
            created,
            cost,
            backend,
            params,
            runtime,
            tags,
            remote_storage,
            session_id,
            user_id,
            usage,
            private,
            estimated_running_time_seconds,
            calibration_id,
        )

        if not _PROPERTY_NAMES.issuperset(d):
            job_response.additional_properties = {
                name: value for name, value in d.items() if name not in _PROPERTY_NAMES
            }
        return job_response

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties


# Imported after the class (once, not on every call): the models refer to one another.
from ..models.job_params import JobParams  # noqa: E402
from ..models.job_program import JobProgram  # noqa: E402
from ..models.job_state import JobState  # noqa: E402
from ..models.remote_storage import RemoteStorage  # noqa: E402
from ..models.usage import Usage  # noqa: E402
