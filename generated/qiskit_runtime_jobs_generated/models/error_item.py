from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ErrorItem")

# The properties this model names; any other key of its JSON object is an additional property.
_PROPERTY_NAMES = frozenset(
    {
        "code",
        "message",
        "more_info",
        "target",
    }
)


@_attrs_define
class ErrorItem:
    """One error."""

    code: str
    """ Machine-readable error code (snake_case). """
    message: str
    """ Human-readable message naming the field and the rule. """
    more_info: str | Unset = UNSET
    """ Where to read more. """
    target: ErrorTarget | Unset = UNSET
    """ The request element the error is about. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        message = self.message

        more_info = self.more_info

        target: dict[str, Any] | Unset = UNSET
        if not isinstance(self.target, Unset):
            target = self.target.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "message": message,
            }
        )
        if more_info is not UNSET:
            field_dict["more_info"] = more_info
        if target is not UNSET:
            field_dict["target"] = target

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = src_dict
        code = d["code"]

        message = d["message"]

        more_info = d.get("more_info", UNSET)

        _target = d.get("target", UNSET)
        target: ErrorTarget | Unset
        if isinstance(_target, Unset):
            target = UNSET
        else:
            target = ErrorTarget.from_dict(_target)

        error_item = cls(
            code,
            message,
            more_info,
            target,
        )

        if not _PROPERTY_NAMES.issuperset(d):
            error_item.additional_properties = {
                name: value for name, value in d.items() if name not in _PROPERTY_NAMES
            }
        return error_item

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
from ..models.error_target import ErrorTarget  # noqa: E402
