from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.executor_v01_quantum_program_result_model_schema_version import (
    ExecutorV01QuantumProgramResultModelSchemaVersion,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="ExecutorV01QuantumProgramResultModel")

# The properties this model names; any other key of its JSON object is an additional property.
_PROPERTY_NAMES = frozenset(
    {
        "data",
        "metadata",
        "schema_version",
    }
)


@_attrs_define
class ExecutorV01QuantumProgramResultModel:
    """Result from executing a quantum program."""

    data: list[QuantumProgramResultItemModelV01]
    """ Resulting data for each quantum program item. """
    metadata: MetadataModel
    """ Execution metadata. """
    schema_version: ExecutorV01QuantumProgramResultModelSchemaVersion | Unset = (
        ExecutorV01QuantumProgramResultModelSchemaVersion.V0_1
    )
    """ Schema version of the result type. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

        metadata = self.metadata.to_dict()

        schema_version: str | Unset = UNSET
        if not isinstance(self.schema_version, Unset):
            schema_version = self.schema_version.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
                "metadata": metadata,
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
            data_item = QuantumProgramResultItemModelV01.from_dict(data_item_data)

            data.append(data_item)

        metadata = MetadataModel.from_dict(d["metadata"])

        _schema_version = d.get("schema_version", UNSET)
        schema_version: ExecutorV01QuantumProgramResultModelSchemaVersion | Unset
        if isinstance(_schema_version, Unset):
            schema_version = UNSET
        else:
            schema_version = (
                ExecutorV01QuantumProgramResultModelSchemaVersion._value2member_map_.get(
                    _schema_version
                )
                or ExecutorV01QuantumProgramResultModelSchemaVersion(_schema_version)
            )

        executor_v01_quantum_program_result_model = cls(
            data,
            metadata,
            schema_version,
        )

        if not _PROPERTY_NAMES.issuperset(d):
            executor_v01_quantum_program_result_model.additional_properties = {
                name: value for name, value in d.items() if name not in _PROPERTY_NAMES
            }
        return executor_v01_quantum_program_result_model

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
from ..models.metadata_model import MetadataModel  # noqa: E402
from ..models.quantum_program_result_item_model_v01 import (
    QuantumProgramResultItemModelV01,  # noqa: E402
)
