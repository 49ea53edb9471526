from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="NoiseLearnerV3V02TREXResultPostSelectionMetadataModel")

# The properties this model names; any other key of its JSON object is an additional property.
_PROPERTY_NAMES = frozenset(
    {
        "fraction_kept",
        "success_rates",
    }
)


@_attrs_define
class NoiseLearnerV3V02TREXResultPostSelectionMetadataModel:
    """The post selection metadata of a single TREX result of a noise learner v3 job."""

    fraction_kept: float
    """ The fraction of shots kept. """
    success_rates: NoiseLearnerV3V02TREXResultPostSelectionMetadataModelSuccessRates
    """ The fraction of shots in which post selection successfully flipped each qubit. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        fraction_kept = self.fraction_kept

        success_rates = self.success_rates.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "fraction_kept": fraction_kept,
                "success_rates": success_rates,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = src_dict
        fraction_kept = d["fraction_kept"]

        success_rates = (
            NoiseLearnerV3V02TREXResultPostSelectionMetadataModelSuccessRates.from_dict(
                d["success_rates"]
            )
        )

        noise_learner_v3v02trex_result_post_selection_metadata_model = cls(
            fraction_kept,
            success_rates,
        )

        if not _PROPERTY_NAMES.issuperset(d):
            noise_learner_v3v02trex_result_post_selection_metadata_model.additional_properties = {
                name: value for name, value in d.items() if name not in _PROPERTY_NAMES
            }
        return noise_learner_v3v02trex_result_post_selection_metadata_model

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
from ..models.noise_learner_v3v02trex_result_post_selection_metadata_model_success_rates import (
    NoiseLearnerV3V02TREXResultPostSelectionMetadataModelSuccessRates,  # noqa: E402
)
