from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Usage")

# The properties this model names; any other key of its JSON object is an additional property.
_PROPERTY_NAMES = frozenset(
    {
        "circuits_execution_time_ns",
        "qpu_charge_time_seconds",
    }
)


@_attrs_define
class Usage:
    """usage metrics"""

    circuits_execution_time_ns: float | Unset = UNSET
    """ The amount of time, in nanoseconds, the job spent on the QPU. """
    qpu_charge_time_seconds: float | Unset = UNSET
    """ The amount of resource usage in seconds. This value is used to calculate capacity consumption. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        circuits_execution_time_ns = self.circuits_execution_time_ns

        qpu_charge_time_seconds = self.qpu_charge_time_seconds

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if circuits_execution_time_ns is not UNSET:
            field_dict["circuits_execution_time_ns"] = circuits_execution_time_ns
        if qpu_charge_time_seconds is not UNSET:
            field_dict["qpu_charge_time_seconds"] = qpu_charge_time_seconds

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = src_dict
        circuits_execution_time_ns = d.get("circuits_execution_time_ns", UNSET)

        qpu_charge_time_seconds = d.get("qpu_charge_time_seconds", UNSET)

        usage = cls(
            circuits_execution_time_ns,
            qpu_charge_time_seconds,
        )

        if not _PROPERTY_NAMES.issuperset(d):
            usage.additional_properties = {
                name: value for name, value in d.items() if name not in _PROPERTY_NAMES
            }
        return usage

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
