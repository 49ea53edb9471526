from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CompressedTensorResults")

# The properties this model names; any other key of its JSON object is an additional property.
_PROPERTY_NAMES: frozenset[str] = frozenset()


@_attrs_define
class CompressedTensorResults:
    """A map from results to their compressed tensor values."""

    additional_properties: dict[str, CompressedTensorModel] = _attrs_field(
        init=False, factory=dict
    )

    def to_dict(self) -> dict[str, Any]:

        field_dict: dict[str, Any] = {}
        for prop_name, prop in self.additional_properties.items():
            field_dict[prop_name] = prop.to_dict()

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = src_dict
        compressed_tensor_results = cls()

        if not _PROPERTY_NAMES.issuperset(d):
            additional_properties = {}
            for prop_name, prop_dict in d.items():
                if prop_name in _PROPERTY_NAMES:
                    continue
                additional_property = CompressedTensorModel.from_dict(prop_dict)

                additional_properties[prop_name] = additional_property

            compressed_tensor_results.additional_properties = additional_properties
        return compressed_tensor_results

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> CompressedTensorModel:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: CompressedTensorModel) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties


# Imported after the class (once, not on every call): the models refer to one another.
from ..models.compressed_tensor_model import CompressedTensorModel  # noqa: E402
