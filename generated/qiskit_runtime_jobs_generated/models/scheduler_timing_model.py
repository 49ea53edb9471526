from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SchedulerTimingModel")

# The properties this model names; any other key of its JSON object is an additional property.
_PROPERTY_NAMES = frozenset(
    {
        "timing",
        "circuit_duration",
    }
)


@_attrs_define
class SchedulerTimingModel:
    """Describes the timing of a scheduled circuit.

    All timing information is expressed in terms of multiples of the quantity ``dt``, time step
    duration of the control electronics, which can be queried in backend and target properties.

    """

    timing: str
    """ A description of circuit timing in a comma-separated text format. """
    circuit_duration: int
    """ The duration of the circuit in ``dt`` steps. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        timing = self.timing

        circuit_duration = self.circuit_duration

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "timing": timing,
                "circuit_duration": circuit_duration,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = src_dict
        timing = d["timing"]

        circuit_duration = d["circuit_duration"]

        scheduler_timing_model = cls(
            timing,
            circuit_duration,
        )

        if not _PROPERTY_NAMES.issuperset(d):
            scheduler_timing_model.additional_properties = {
                name: value for name, value in d.items() if name not in _PROPERTY_NAMES
            }
        return scheduler_timing_model

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
