from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.compressed_tensor_dtype import CompressedTensorDtype

T = TypeVar("T", bound="CompressedTensorModel")

# The properties this model names; any other key of its JSON object is an additional property.
_PROPERTY_NAMES = frozenset(
    {
        "data",
        "shape",
        "dtype",
    }
)


@_attrs_define
class CompressedTensorModel:
    """Model of compressed tensor data.

    `data` is the base-64 encoding of the zlib-compressed tensor bytes. Once
    decompressed, the bytes are as in `TensorModel`: little-endian, C order, bool
    arrays bit-packed (least significant bit first).

    """

    data: str
    """ Base-64-encoded, zlib-compressed data in little endian format. """
    shape: list[int]
    """ The shape of the tensor. """
    dtype: CompressedTensorDtype | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = self.data

        shape = self.shape

        dtype: str
        if isinstance(self.dtype, CompressedTensorDtype):
            dtype = self.dtype.value
        else:
            dtype = self.dtype

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
                "shape": shape,
                "dtype": dtype,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = src_dict
        data = d["data"]

        shape = cast(list[int], d["shape"])

        dtype = d["dtype"]
        if isinstance(dtype, str):
            dtype = CompressedTensorDtype._value2member_map_.get(dtype, dtype)

        compressed_tensor_model = cls(
            data,
            shape,
            dtype,
        )

        if not _PROPERTY_NAMES.issuperset(d):
            compressed_tensor_model.additional_properties = {
                name: value for name, value in d.items() if name not in _PROPERTY_NAMES
            }
        return compressed_tensor_model

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
