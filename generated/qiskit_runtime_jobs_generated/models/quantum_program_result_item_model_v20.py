from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="QuantumProgramResultItemModelV20")

# The properties this model names; any other key of its JSON object is an additional property.
_PROPERTY_NAMES = frozenset(
    {
        "results",
        "metadata",
    }
)


@_attrs_define
class QuantumProgramResultItemModelV20:
    """Results for a single quantum program item."""

    results: CompressedTensorResults
    """ A map from results to their compressed tensor values. """
    metadata: ItemMetadataModelV1
    """ Per-item metadata for quantum program results. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        results = self.results.to_dict()

        metadata = self.metadata.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "results": results,
                "metadata": metadata,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = src_dict
        results = CompressedTensorResults.from_dict(d["results"])

        metadata = ItemMetadataModelV1.from_dict(d["metadata"])

        quantum_program_result_item_model_v20 = cls(
            results,
            metadata,
        )

        if not _PROPERTY_NAMES.issuperset(d):
            quantum_program_result_item_model_v20.additional_properties = {
                name: value for name, value in d.items() if name not in _PROPERTY_NAMES
            }
        return quantum_program_result_item_model_v20

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
from ..models.compressed_tensor_results import CompressedTensorResults  # noqa: E402
from ..models.item_metadata_model_v1 import ItemMetadataModelV1  # noqa: E402
