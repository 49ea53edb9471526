from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="JobMetricsTimestamps")

# The properties this model names; any other key of its JSON object is an additional property.
_PROPERTY_NAMES = frozenset(
    {
        "created",
        "finished",
        "running",
    }
)


@_attrs_define
class JobMetricsTimestamps:
    """A map of status transitions to timestamps"""

    created: datetime.datetime | Unset = UNSET
    """ Timestamp of when the job create request was received """
    finished: datetime.datetime | Unset = UNSET
    """ Timestamp of when the job finished """
    running: datetime.datetime | Unset = UNSET
    """ Timestamp of when the job started running """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created: str | Unset = UNSET
        if not isinstance(self.created, Unset):
            created = self.created.isoformat()

        finished: str | Unset = UNSET
        if not isinstance(self.finished, Unset):
            finished = self.finished.isoformat()

        running: str | Unset = UNSET
        if not isinstance(self.running, Unset):
            running = self.running.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if created is not UNSET:
            field_dict["created"] = created
        if finished is not UNSET:
            field_dict["finished"] = finished
        if running is not UNSET:
            field_dict["running"] = running

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = src_dict
        _created = d.get("created", UNSET)
        created: datetime.datetime | Unset
        if isinstance(_created, Unset):
            created = UNSET
        else:
            created = datetime.datetime.fromisoformat(_created)

        _finished = d.get("finished", UNSET)
        finished: datetime.datetime | Unset
        if isinstance(_finished, Unset):
            finished = UNSET
        else:
            finished = datetime.datetime.fromisoformat(_finished)

        _running = d.get("running", UNSET)
        running: datetime.datetime | Unset
        if isinstance(_running, Unset):
            running = UNSET
        else:
            running = datetime.datetime.fromisoformat(_running)

        job_metrics_timestamps = cls(
            created,
            finished,
            running,
        )

        if not _PROPERTY_NAMES.issuperset(d):
            job_metrics_timestamps.additional_properties = {
                name: value for name, value in d.items() if name not in _PROPERTY_NAMES
            }
        return job_metrics_timestamps

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
