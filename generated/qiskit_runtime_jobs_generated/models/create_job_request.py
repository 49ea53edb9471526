from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.log_level import LogLevel
from ..types import UNSET, Unset

T = TypeVar("T", bound="CreateJobRequest")

# The properties this model names; any other key of its JSON object is an additional property.
_PROPERTY_NAMES = frozenset(
    {
        "program_id",
        "backend",
        "runtime",
        "tags",
        "log_level",
        "cost",
        "session_id",
        "calibration_id",
        "params",
        "private",
        "remote_storage",
    }
)


@_attrs_define
class CreateJobRequest:
    """The job to run."""

    program_id: str
    """ ID of the program to be executed """
    backend: str | Unset = UNSET
    """ Name that identifies the backend on which to run the program. """
    runtime: str | Unset = UNSET
    """ Name and tag of the image to use when running a program (IBM Quantum channel
    users only). Should follow the pattern "name:tag".
     """
    tags: list[str] | Unset = UNSET
    """ List of job or program tags """
    log_level: LogLevel | Unset = UNSET
    """ Logging level of the program """
    cost: int | Unset = UNSET
    """ Cost of the job as the estimated time it should take to complete (in seconds).
    Should not exceed the cost of the program. If the provided value exceeds the
    maximum, it will be capped at that value.
     """
    session_id: str | Unset = UNSET
    """ Identifier of the session that the job is a part of """
    calibration_id: str | Unset = UNSET
    """ The ID of the calibration used for the job """
    params: JobParams | Unset = UNSET
    """ Parameters used to execute the job """
    private: bool | Unset = UNSET
    """ When set to true, input parameters are not returned, and the results can only be
    read once. After the job is completed, input parameters are deleted from the
    service. After the results are read, they are deleted from the service. When set
    to false, the input parameters and results follow the standard retention behavior
    of the API. Only returned in the response if the value is true, otherwise it is
    omitted.
     """
    remote_storage: RemoteStorage | Unset = UNSET
    """ (Only enabled for Qiskit Runtime instances with the Channel Partner plan) Metadata
    and connection information on where job params are stored remotely and/or where to
    store results, logs, transpiled circuits, etc. Omitted properties in field specific
    objects will be inherited from the default remote storage option.

    The top-level fields are the default remote storage option, for where input data is
    stored and where output data should be stored.
     """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        program_id = self.program_id

        backend = self.backend

        runtime = self.runtime

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags

        log_level: str | Unset = UNSET
        if not isinstance(self.log_level, Unset):
            log_level = self.log_level.value

        cost: int | Unset
        if isinstance(self.cost, Unset):
            cost = UNSET
        else:
            cost = self.cost

        session_id = self.session_id

        calibration_id = self.calibration_id

        params: dict[str, Any] | Unset = UNSET
        if not isinstance(self.params, Unset):
            params = self.params.to_dict()

        private = self.private

        remote_storage: dict[str, Any] | Unset = UNSET
        if not isinstance(self.remote_storage, Unset):
            remote_storage = self.remote_storage.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "program_id": program_id,
            }
        )
        if backend is not UNSET:
            field_dict["backend"] = backend
        if runtime is not UNSET:
            field_dict["runtime"] = runtime
        if tags is not UNSET:
            field_dict["tags"] = tags
        if log_level is not UNSET:
            field_dict["log_level"] = log_level
        if cost is not UNSET:
            field_dict["cost"] = cost
        if session_id is not UNSET:
            field_dict["session_id"] = session_id
        if calibration_id is not UNSET:
            field_dict["calibration_id"] = calibration_id
        if params is not UNSET:
            field_dict["params"] = params
        if private is not UNSET:
            field_dict["private"] = private
        if remote_storage is not UNSET:
            field_dict["remote_storage"] = remote_storage

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = src_dict
        program_id = d["program_id"]

        backend = d.get("backend", UNSET)

        runtime = d.get("runtime", UNSET)

        tags = cast(list[str], d.get("tags", UNSET))

        _log_level = d.get("log_level", UNSET)
        log_level: LogLevel | Unset
        if isinstance(_log_level, Unset):
            log_level = UNSET
        else:
            log_level = LogLevel._value2member_map_.get(_log_level) or LogLevel(
                _log_level
            )

        def _parse_cost(data: object) -> int | Unset:
            if isinstance(data, Unset):
                return data
            return cast(int | Unset, data)

        cost = _parse_cost(d.get("cost", UNSET))

        session_id = d.get("session_id", UNSET)

        calibration_id = d.get("calibration_id", UNSET)

        _params = d.get("params", UNSET)
        params: JobParams | Unset
        if isinstance(_params, Unset):
            params = UNSET
        else:
            params = JobParams.from_dict(_params)

        private = d.get("private", UNSET)

        _remote_storage = d.get("remote_storage", UNSET)
        remote_storage: RemoteStorage | Unset
        if isinstance(_remote_storage, Unset):
            remote_storage = UNSET
        else:
            remote_storage = RemoteStorage.from_dict(_remote_storage)

        create_job_request = cls(
            program_id,
            backend,
            runtime,
            tags,
            log_level,
            cost,
            session_id,
            calibration_id,
            params,
            private,
            remote_storage,
        )

        if not _PROPERTY_NAMES.issuperset(d):
            create_job_request.additional_properties = {
                name: value for name, value in d.items() if name not in _PROPERTY_NAMES
            }
        return create_job_request

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
from ..models.remote_storage import RemoteStorage  # noqa: E402
