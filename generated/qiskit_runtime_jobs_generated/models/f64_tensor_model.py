from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.f64_tensor_model_dtype import F64TensorModelDtype
from ..types import UNSET, Unset

T = TypeVar("T", bound="F64TensorModel")

# The properties this model names; any other key of its JSON object is an additional property.
_PROPERTY_NAMES = frozenset(
    {
        "data",
        "shape",
        "dtype",
    }
)


@_attrs_define
class F64TensorModel:
    """Model of tensor data specialized to f64."""

    data: str
    """ Base-64-encoded data in litte endian format.

    Bool arrays are bitpacked, other types are IEEE753. Everything is little-endian.
    Tensors are C-ordering. """
    shape: list[int]
    """ The shape of the tensor. """
    dtype: F64TensorModelDtype | Unset = F64TensorModelDtype.F64
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = self.data

        shape = self.shape

        dtype: str | Unset = UNSET
        if not isinstance(self.dtype, Unset):
            dtype = self.dtype.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
                "shape": shape,
            }
        )
        if dtype is not UNSET:
            field_dict["dtype"] = dtype

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = src_dict
        data = d["data"]

        shape = cast(list[int], d["shape"])

        _dtype = d.get("dtype", UNSET)
        dtype: F64TensorModelDtype | Unset
        if isinstance(_dtype, Unset):
            dtype = UNSET
        else:
            dtype = F64TensorModelDtype._value2member_map_.get(
                _dtype
            ) or F64TensorModelDtype(_dtype)

        f64_tensor_model = cls(
            data,
            shape,
            dtype,
        )

        if not _PROPERTY_NAMES.issuperset(d):
            f64_tensor_model.additional_properties = {
                name: value for name, value in d.items() if name not in _PROPERTY_NAMES
            }
        return f64_tensor_model

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
