from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ItemMetadataModelV1")

# The properties this model names; any other key of its JSON object is an additional property.
_PROPERTY_NAMES = frozenset(
    {
        "scheduler_timing",
        "stretch_values",
    }
)


@_attrs_define
class ItemMetadataModelV1:
    """Per-item metadata for quantum program results."""

    scheduler_timing: None | SchedulerTimingModel | Unset = UNSET
    """ Scheduled circuit timing information, if it is available. """
    stretch_values: list[StretchValueModel] | None | Unset = UNSET
    """ Stretch value resolution, if it is available. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        scheduler_timing: dict[str, Any] | None | Unset
        if isinstance(self.scheduler_timing, Unset):
            scheduler_timing = UNSET
        elif isinstance(self.scheduler_timing, SchedulerTimingModel):
            scheduler_timing = self.scheduler_timing.to_dict()
        else:
            scheduler_timing = self.scheduler_timing

        stretch_values: list[dict[str, Any]] | None | Unset
        if isinstance(self.stretch_values, Unset):
            stretch_values = UNSET
        elif isinstance(self.stretch_values, list):
            stretch_values = []
            for stretch_values_type_0_item_data in self.stretch_values:
                stretch_values_type_0_item = stretch_values_type_0_item_data.to_dict()
                stretch_values.append(stretch_values_type_0_item)

        else:
            stretch_values = self.stretch_values

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if scheduler_timing is not UNSET:
            field_dict["scheduler_timing"] = scheduler_timing
        if stretch_values is not UNSET:
            field_dict["stretch_values"] = stretch_values

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = src_dict

        def _parse_scheduler_timing(
            data: object,
        ) -> None | SchedulerTimingModel | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                scheduler_timing_type_0 = SchedulerTimingModel.from_dict(data)

                return scheduler_timing_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SchedulerTimingModel | Unset, data)

        scheduler_timing = _parse_scheduler_timing(d.get("scheduler_timing", UNSET))

        def _parse_stretch_values(
            data: object,
        ) -> list[StretchValueModel] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                stretch_values_type_0 = []
                _stretch_values_type_0 = data
                for stretch_values_type_0_item_data in _stretch_values_type_0:
                    stretch_values_type_0_item = StretchValueModel.from_dict(
                        stretch_values_type_0_item_data
                    )

                    stretch_values_type_0.append(stretch_values_type_0_item)

                return stretch_values_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[StretchValueModel] | None | Unset, data)

        stretch_values = _parse_stretch_values(d.get("stretch_values", UNSET))

        item_metadata_model_v1 = cls(
            scheduler_timing,
            stretch_values,
        )

        if not _PROPERTY_NAMES.issuperset(d):
            item_metadata_model_v1.additional_properties = {
                name: value for name, value in d.items() if name not in _PROPERTY_NAMES
            }
        return item_metadata_model_v1

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
from ..models.scheduler_timing_model import SchedulerTimingModel  # noqa: E402
from ..models.stretch_value_model import StretchValueModel  # noqa: E402
