from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.job_state_status import JobStateStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="JobState")

# The properties this model names; any other key of its JSON object is an additional property.
_PROPERTY_NAMES = frozenset(
    {
        "status",
        "reason",
        "reason_code",
        "reason_solution",
    }
)


@_attrs_define
class JobState:
    """Current state of the job"""

    status: JobStateStatus | str
    reason: str | Unset = UNSET
    """ Reason for the current status """
    reason_code: int | Unset = UNSET
    """ Reason code for the current status """
    reason_solution: str | Unset = UNSET
    """ Next steps user can take in case of failure """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status: str
        if isinstance(self.status, JobStateStatus):
            status = self.status.value
        else:
            status = self.status

        reason = self.reason

        reason_code = self.reason_code

        reason_solution = self.reason_solution

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
            }
        )
        if reason is not UNSET:
            field_dict["reason"] = reason
        if reason_code is not UNSET:
            field_dict["reason_code"] = reason_code
        if reason_solution is not UNSET:
            field_dict["reason_solution"] = reason_solution

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = src_dict
        status = d["status"]
        if isinstance(status, str):
            status = JobStateStatus._value2member_map_.get(status, status)

        reason = d.get("reason", UNSET)

        reason_code = d.get("reason_code", UNSET)

        reason_solution = d.get("reason_solution", UNSET)

        job_state = cls(
            status,
            reason,
            reason_code,
            reason_solution,
        )

        if not _PROPERTY_NAMES.issuperset(d):
            job_state.additional_properties = {
                name: value for name, value in d.items() if name not in _PROPERTY_NAMES
            }
        return job_state

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
