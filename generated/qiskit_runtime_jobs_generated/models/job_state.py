from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.job_state_status import JobStateStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="JobState")


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
        d = dict(src_dict)

        def _parse_status(data: object) -> JobStateStatus | str:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                status_type_0 = JobStateStatus(data)

                return status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(JobStateStatus | str, data)

        status = _parse_status(d.pop("status"))

        reason = d.pop("reason", UNSET)

        reason_code = d.pop("reason_code", UNSET)

        reason_solution = d.pop("reason_solution", UNSET)

        job_state = cls(
            status=status,
            reason=reason,
            reason_code=reason_code,
            reason_solution=reason_solution,
        )

        job_state.additional_properties = d
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
