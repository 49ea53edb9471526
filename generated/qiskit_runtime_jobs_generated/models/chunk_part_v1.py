from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ChunkPartV1")

# The properties this model names; any other key of its JSON object is an additional property.
_PROPERTY_NAMES = frozenset(
    {
        "idx_item",
        "size",
        "permutation",
        "element_range",
    }
)


@_attrs_define
class ChunkPartV1:
    """A description of the contents of a single part of an execution chunk."""

    idx_item: int
    """ The index of an item in a quantum program. """
    size: int
    """ The number of elements from the quantum program item that were executed.

    For example, if a quantum program item has shape ``(10, 5)``, then it has a total of ``50``
    elements, so that if this ``size`` is ``10``, it constitutes 20% of the total work for the item.

    It holds that ``size == len(range(*element_range))``. """
    permutation: list[int]
    """ A permutation vector of the item shape before slicing elements with the ``element_range``.

    This list should hold contiguous integers starting at 0, in some order. The convention is
    that ``permuted_shape[i] = shape[permutation[i]]`` for every dimension index ``i``. """
    element_range: list[int]
    """ Which elements of the item were executed in this chunk part.

    This range has entries ``(start_idx, stop_idx, step)`` that slice the flattened shape of the
    corresponding quantum program item, after the ``permutation`` has been applied. That is,
    this part corresponds to the data elements ``flatten(permute(arr))[start_idx:stop_idx:step]``
    for some data array ``arr`` whose shape matches the corresponding item shape. The lower index
    is inclusive, the upper index is exclusive, and the step must be positive.

    IBM's model also requires ``start_idx <= stop_idx`` and ``step >= 1``. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        idx_item = self.idx_item

        size = self.size

        permutation = self.permutation

        element_range = self.element_range

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "idx_item": idx_item,
                "size": size,
                "permutation": permutation,
                "element_range": element_range,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = src_dict
        idx_item = d["idx_item"]

        size = d["size"]

        permutation = cast(list[int], d["permutation"])

        element_range = cast(list[int], d["element_range"])

        chunk_part_v1 = cls(
            idx_item,
            size,
            permutation,
            element_range,
        )

        if not _PROPERTY_NAMES.issuperset(d):
            chunk_part_v1.additional_properties = {
                name: value for name, value in d.items() if name not in _PROPERTY_NAMES
            }
        return chunk_part_v1

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
