from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="JobsResponse")

# The properties this model names; any other key of its JSON object is an additional property.
_PROPERTY_NAMES = frozenset(
    {
        "jobs",
        "offset",
        "limit",
        "count",
    }
)


@_attrs_define
class JobsResponse:
    """Jobs collection response"""

    jobs: list[JobResponse]
    """ A list of jobs """
    offset: int
    """ Offset at which paginated results are returned """
    limit: int
    """ Maximum number of results returned in the paginated response """
    count: int | Unset = UNSET
    """ Total number of jobs for the user """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        jobs = []
        for jobs_item_data in self.jobs:
            jobs_item = jobs_item_data.to_dict()
            jobs.append(jobs_item)

        offset = self.offset

        limit = self.limit

        count = self.count

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "jobs": jobs,
                "offset": offset,
                "limit": limit,
            }
        )
        if count is not UNSET:
            field_dict["count"] = count

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = src_dict
        jobs = []
        _jobs = d["jobs"]
        for jobs_item_data in _jobs:
            jobs_item = JobResponse.from_dict(jobs_item_data)

            jobs.append(jobs_item)

        offset = d["offset"]

        limit = d["limit"]

        count = d.get("count", UNSET)

        jobs_response = cls(
            jobs,
            offset,
            limit,
            count,
        )

        if not _PROPERTY_NAMES.issuperset(d):
            jobs_response.additional_properties = {
                name: value for name, value in d.items() if name not in _PROPERTY_NAMES
            }
        return jobs_response

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
from ..models.job_response import JobResponse  # noqa: E402
