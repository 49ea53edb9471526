from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.noise_learner_v3v03_results_model_schema_version import (
    NoiseLearnerV3V03ResultsModelSchemaVersion,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="NoiseLearnerV3V03ResultsModel")

# The properties this model names; any other key of its JSON object is an additional property.
_PROPERTY_NAMES = frozenset(
    {
        "data",
        "schema_version",
    }
)


@_attrs_define
class NoiseLearnerV3V03ResultsModel:
    """Result from executing a noise learner v3 job."""

    data: list[NoiseLearnerV3V02ResultModel]
    """ Resulting data for each item. """
    schema_version: NoiseLearnerV3V03ResultsModelSchemaVersion | Unset = (
        NoiseLearnerV3V03ResultsModelSchemaVersion.V0_3
    )
    """ Schema version of the result type. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

        schema_version: str | Unset = UNSET
        if not isinstance(self.schema_version, Unset):
            schema_version = self.schema_version.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
            }
        )
        if schema_version is not UNSET:
            field_dict["schema_version"] = schema_version

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = src_dict
        data = []
        _data = d["data"]
        for data_item_data in _data:
            data_item = NoiseLearnerV3V02ResultModel.from_dict(data_item_data)

            data.append(data_item)

        _schema_version = d.get("schema_version", UNSET)
        schema_version: NoiseLearnerV3V03ResultsModelSchemaVersion | Unset
        if isinstance(_schema_version, Unset):
            schema_version = UNSET
        else:
            schema_version = (
                NoiseLearnerV3V03ResultsModelSchemaVersion._value2member_map_.get(
                    _schema_version
                )
                or NoiseLearnerV3V03ResultsModelSchemaVersion(_schema_version)
            )

        noise_learner_v3v03_results_model = cls(
            data,
            schema_version,
        )

        if not _PROPERTY_NAMES.issuperset(d):
            noise_learner_v3v03_results_model.additional_properties = {
                name: value for name, value in d.items() if name not in _PROPERTY_NAMES
            }
        return noise_learner_v3v03_results_model

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
from ..models.noise_learner_v3v02_result_model import NoiseLearnerV3V02ResultModel  # noqa: E402
