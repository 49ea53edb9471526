from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="JobMetrics")

# The properties this model names; any other key of its JSON object is an additional property.
_PROPERTY_NAMES = frozenset(
    {
        "caller",
        "timestamps",
        "usage",
        "qiskit_version",
    }
)


@_attrs_define
class JobMetrics:
    """Various metrics about the execution of a job"""

    caller: str | Unset = UNSET
    """ This value is derived from the 'x-qx-client-application' request header and
    follows the format `qiskit/<version>/<optional-client>` that represents the
    client specified when present.
     """
    timestamps: JobMetricsTimestamps | Unset = UNSET
    """ A map of status transitions to timestamps """
    usage: Usage | Unset = UNSET
    """ usage metrics """
    qiskit_version: str | Unset = UNSET
    """ Qiskit version used during execution of the job """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        caller = self.caller

        timestamps: dict[str, Any] | Unset = UNSET
        if not isinstance(self.timestamps, Unset):
            timestamps = self.timestamps.to_dict()

        usage: dict[str, Any] | Unset = UNSET
        if not isinstance(self.usage, Unset):
            usage = self.usage.to_dict()

        qiskit_version = self.qiskit_version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if caller is not UNSET:
            field_dict["caller"] = caller
        if timestamps is not UNSET:
            field_dict["timestamps"] = timestamps
        if usage is not UNSET:
            field_dict["usage"] = usage
        if qiskit_version is not UNSET:
            field_dict["qiskit_version"] = qiskit_version

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = src_dict
        caller = d.get("caller", UNSET)

        _timestamps = d.get("timestamps", UNSET)
        timestamps: JobMetricsTimestamps | Unset
        if isinstance(_timestamps, Unset):
            timestamps = UNSET
        else:
            timestamps = JobMetricsTimestamps.from_dict(_timestamps)

        _usage = d.get("usage", UNSET)
        usage: Usage | Unset
        if isinstance(_usage, Unset):
            usage = UNSET
        else:
            usage = Usage.from_dict(_usage)

        qiskit_version = d.get("qiskit_version", UNSET)

        job_metrics = cls(
            caller,
            timestamps,
            usage,
            qiskit_version,
        )

        if not _PROPERTY_NAMES.issuperset(d):
            job_metrics.additional_properties = {
                name: value for name, value in d.items() if name not in _PROPERTY_NAMES
            }
        return job_metrics

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
from ..models.job_metrics_timestamps import JobMetricsTimestamps  # noqa: E402
from ..models.usage import Usage  # noqa: E402
