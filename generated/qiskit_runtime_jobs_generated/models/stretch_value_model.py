from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="StretchValueModel")

# The properties this model names; any other key of its JSON object is an additional property.
_PROPERTY_NAMES = frozenset(
    {
        "name",
        "value",
        "remainder",
        "expanded_values",
    }
)


@_attrs_define
class StretchValueModel:
    """Describes circuit stretch value resolutions.

    All timing information is expressed in terms of multiples of the quantity ``dt``, time step
    duration of the control electronics, which can be queried in backend and target properties.

    """

    name: str
    """ The name of the stretch. """
    value: int
    """ The resolved stretch value, up to the remainder, in units of ``dt``. """
    remainder: int
    """ The time left over if ``value`` were to be used each stretch, in units of ``dt``. """
    expanded_values: list[list[int]]
    """ A sequence of pairs ``(time [int], duration [int])`` indicating the time and duration of each delay.

    All units are ``dt``, where the ``time`` denotes the absolute time of a delay in the circuit
    schedule, and the ``duration`` denotes the total duration of the delay. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        value = self.value

        remainder = self.remainder

        expanded_values = []
        for expanded_values_item_data in self.expanded_values:
            expanded_values_item = expanded_values_item_data

            expanded_values.append(expanded_values_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "value": value,
                "remainder": remainder,
                "expanded_values": expanded_values,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = src_dict
        name = d["name"]

        value = d["value"]

        remainder = d["remainder"]

        expanded_values = []
        _expanded_values = d["expanded_values"]
        for expanded_values_item_data in _expanded_values:
            expanded_values_item = cast(list[int], expanded_values_item_data)

            expanded_values.append(expanded_values_item)

        stretch_value_model = cls(
            name,
            value,
            remainder,
            expanded_values,
        )

        if not _PROPERTY_NAMES.issuperset(d):
            stretch_value_model.additional_properties = {
                name: value for name, value in d.items() if name not in _PROPERTY_NAMES
            }
        return stretch_value_model

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
