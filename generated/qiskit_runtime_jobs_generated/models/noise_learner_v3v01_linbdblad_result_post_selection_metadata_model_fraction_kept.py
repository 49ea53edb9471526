from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar(
    "T", bound="NoiseLearnerV3V01LinbdbladResultPostSelectionMetadataModelFractionKept"
)

# The properties this model names; any other key of its JSON object is an additional property.
_PROPERTY_NAMES: frozenset[str] = frozenset()


@_attrs_define
class NoiseLearnerV3V01LinbdbladResultPostSelectionMetadataModelFractionKept:
    """The fraction of shots kept for each layer pair depth."""

    additional_properties: dict[str, float] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = src_dict
        noise_learner_v3v01_linbdblad_result_post_selection_metadata_model_fraction_kept = cls()

        if not _PROPERTY_NAMES.issuperset(d):
            noise_learner_v3v01_linbdblad_result_post_selection_metadata_model_fraction_kept.additional_properties = {
                name: value for name, value in d.items() if name not in _PROPERTY_NAMES
            }
        return noise_learner_v3v01_linbdblad_result_post_selection_metadata_model_fraction_kept

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> float:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: float) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
