from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.error_target_type import ErrorTargetType

T = TypeVar("T", bound="ErrorTarget")

# The properties this model names; any other key of its JSON object is an additional property.
_PROPERTY_NAMES = frozenset(
    {
        "type",
        "name",
    }
)


@_attrs_define
class ErrorTarget:
    """The request element the error is about."""

    type_: ErrorTargetType
    name: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        name = self.name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "name": name,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = src_dict
        type_ = ErrorTargetType._value2member_map_.get(d["type"]) or ErrorTargetType(
            d["type"]
        )

        name = d["name"]

        error_target = cls(
            type_,
            name,
        )

        if not _PROPERTY_NAMES.issuperset(d):
            error_target.additional_properties = {
                name: value for name, value in d.items() if name not in _PROPERTY_NAMES
            }
        return error_target

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
