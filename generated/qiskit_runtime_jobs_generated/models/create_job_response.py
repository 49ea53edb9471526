from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CreateJobResponse")

# The properties this model names; any other key of its JSON object is an additional property.
_PROPERTY_NAMES = frozenset(
    {
        "id",
        "backend",
        "session_id",
        "private",
        "calibration_id",
    }
)


@_attrs_define
class CreateJobResponse:
    """Response when creating a job"""

    id: str
    """ Job ID """
    backend: str
    """ Backend selected to run job """
    session_id: str | Unset = UNSET
    """ Id of the session associated with the job """
    private: bool | Unset = UNSET
    """ When set to true, input parameters are not returned, and the results can only be
    read once. After the job is completed, input parameters are deleted from the
    service. After the results are read, they are deleted from the service. When set
    to false, the input parameters and results follow the standard retention behavior
    of the API. Only returned in the response if the value is true, otherwise it is
    omitted.
     """
    calibration_id: str | Unset = UNSET
    """ The ID of the calibration used for the job """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        backend = self.backend

        session_id = self.session_id

        private = self.private

        calibration_id = self.calibration_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "backend": backend,
            }
        )
        if session_id is not UNSET:
            field_dict["session_id"] = session_id
        if private is not UNSET:
            field_dict["private"] = private
        if calibration_id is not UNSET:
            field_dict["calibration_id"] = calibration_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = src_dict
        id = d["id"]

        backend = d["backend"]

        session_id = d.get("session_id", UNSET)

        private = d.get("private", UNSET)

        calibration_id = d.get("calibration_id", UNSET)

        create_job_response = cls(
            id,
            backend,
            session_id,
            private,
            calibration_id,
        )

        if not _PROPERTY_NAMES.issuperset(d):
            create_job_response.additional_properties = {
                name: value for name, value in d.items() if name not in _PROPERTY_NAMES
            }
        return create_job_response

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
