from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ErrorResponse")

# The properties this model names; any other key of its JSON object is an additional property.
_PROPERTY_NAMES = frozenset(
    {
        "errors",
        "trace",
        "status_code",
    }
)


@_attrs_define
class ErrorResponse:
    """An error answered by the service."""

    errors: list[ErrorItem]
    """ What went wrong; the first item is the main error. """
    trace: str
    """ Request identifier (same as the X-Request-ID response header). """
    status_code: int
    """ The HTTP status code of the response. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        errors = []
        for errors_item_data in self.errors:
            errors_item = errors_item_data.to_dict()
            errors.append(errors_item)

        trace = self.trace

        status_code = self.status_code

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "errors": errors,
                "trace": trace,
                "status_code": status_code,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = src_dict
        errors = []
        _errors = d["errors"]
        for errors_item_data in _errors:
            errors_item = ErrorItem.from_dict(errors_item_data)

            errors.append(errors_item)

        trace = d["trace"]

        status_code = d["status_code"]

        error_response = cls(
            errors,
            trace,
            status_code,
        )

        if not _PROPERTY_NAMES.issuperset(d):
            error_response.additional_properties = {
                name: value for name, value in d.items() if name not in _PROPERTY_NAMES
            }
        return error_response

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
from ..models.error_item import ErrorItem  # noqa: E402
