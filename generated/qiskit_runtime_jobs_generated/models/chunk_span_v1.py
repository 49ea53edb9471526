from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ChunkSpanV1")

# The properties this model names; any other key of its JSON object is an additional property.
_PROPERTY_NAMES = frozenset(
    {
        "start",
        "stop",
        "parts",
    }
)


@_attrs_define
class ChunkSpanV1:
    """Timing information about a single chunk of execution.

    .. note::

       This span may include some amount of non-circuit time.

    """

    start: datetime.datetime
    """ The start time of the execution chunk in UTC. """
    stop: datetime.datetime
    """ The stop time of the execution chunk in UTC. """
    parts: list[ChunkPartV1]
    """ A description of which parts of a quantum program are contained in this chunk. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        start = self.start.isoformat()

        stop = self.stop.isoformat()

        parts = []
        for parts_item_data in self.parts:
            parts_item = parts_item_data.to_dict()
            parts.append(parts_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "start": start,
                "stop": stop,
                "parts": parts,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = src_dict
        start = datetime.datetime.fromisoformat(d["start"])

        stop = datetime.datetime.fromisoformat(d["stop"])

        parts = []
        _parts = d["parts"]
        for parts_item_data in _parts:
            parts_item = ChunkPartV1.from_dict(parts_item_data)

            parts.append(parts_item)

        chunk_span_v1 = cls(
            start,
            stop,
            parts,
        )

        if not _PROPERTY_NAMES.issuperset(d):
            chunk_span_v1.additional_properties = {
                name: value for name, value in d.items() if name not in _PROPERTY_NAMES
            }
        return chunk_span_v1

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
from ..models.chunk_part_v1 import ChunkPartV1  # noqa: E402
