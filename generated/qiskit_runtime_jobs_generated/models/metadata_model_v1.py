from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="MetadataModelV1")

# The properties this model names; any other key of its JSON object is an additional property.
_PROPERTY_NAMES = frozenset(
    {
        "chunk_timing",
    }
)


@_attrs_define
class MetadataModelV1:
    """Execution metadata pertaining to the job as a whole."""

    chunk_timing: list[ChunkSpanV1]
    """ Timing information about all executed chunks of a quantum program. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        chunk_timing = []
        for chunk_timing_item_data in self.chunk_timing:
            chunk_timing_item = chunk_timing_item_data.to_dict()
            chunk_timing.append(chunk_timing_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "chunk_timing": chunk_timing,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = src_dict
        chunk_timing = []
        _chunk_timing = d["chunk_timing"]
        for chunk_timing_item_data in _chunk_timing:
            chunk_timing_item = ChunkSpanV1.from_dict(chunk_timing_item_data)

            chunk_timing.append(chunk_timing_item)

        metadata_model_v1 = cls(
            chunk_timing,
        )

        if not _PROPERTY_NAMES.issuperset(d):
            metadata_model_v1.additional_properties = {
                name: value for name, value in d.items() if name not in _PROPERTY_NAMES
            }
        return metadata_model_v1

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
from ..models.chunk_span_v1 import ChunkSpanV1  # noqa: E402
