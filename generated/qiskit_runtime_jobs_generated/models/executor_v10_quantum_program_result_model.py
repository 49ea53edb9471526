from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.executor_v10_quantum_program_result_model_schema_version import (
    ExecutorV10QuantumProgramResultModelSchemaVersion,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="ExecutorV10QuantumProgramResultModel")

# The properties this model names; any other key of its JSON object is an additional property.
_PROPERTY_NAMES = frozenset(
    {
        "data",
        "metadata",
        "schema_version",
        "passthrough_data",
        "semantic_role",
    }
)


@_attrs_define
class ExecutorV10QuantumProgramResultModel:
    """Result from executing a quantum program."""

    data: list[QuantumProgramResultItemModelV1]
    """ Resulting data for each quantum program item. """
    metadata: MetadataModelV1
    """ Execution metadata pertaining to the job as a whole. """
    schema_version: ExecutorV10QuantumProgramResultModelSchemaVersion | Unset = (
        ExecutorV10QuantumProgramResultModelSchemaVersion.V1_0
    )
    """ Schema version of the result type. """
    passthrough_data: (
        bool
        | float
        | int
        | list[Any]
        | None
        | PassthroughDataObject
        | str
        | TensorModel
        | Unset
    ) = UNSET
    """ Arbitrary JSON data passed through from the quantum program; tensors appear as
    TensorModel objects at any depth. """
    semantic_role: None | str | Unset = UNSET
    """ Semantic role indicating how execution results may be post-processed by runtime clients.

    Reserved system values include 'sampler-v2' and 'estimator-v2', and are subject to change
    without notice. Third party clients should not set or depend on this value. """
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

        passthrough_data: (
            bool | dict[str, Any] | float | int | list[Any] | None | str | Unset
        )
        if isinstance(self.passthrough_data, Unset):
            passthrough_data = UNSET
        elif isinstance(self.passthrough_data, list):
            passthrough_data = self.passthrough_data

        elif isinstance(self.passthrough_data, TensorModel):
            passthrough_data = self.passthrough_data.to_dict()
        elif isinstance(self.passthrough_data, PassthroughDataObject):
            passthrough_data = self.passthrough_data.to_dict()
        else:
            passthrough_data = self.passthrough_data

        semantic_role: None | str | Unset
        if isinstance(self.semantic_role, Unset):
            semantic_role = UNSET
        else:
            semantic_role = self.semantic_role

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
        if passthrough_data is not UNSET:
            field_dict["passthrough_data"] = passthrough_data
        if semantic_role is not UNSET:
            field_dict["semantic_role"] = semantic_role

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = src_dict
        data = []
        _data = d["data"]
        for data_item_data in _data:
            data_item = QuantumProgramResultItemModelV1.from_dict(data_item_data)

            data.append(data_item)

        metadata = MetadataModelV1.from_dict(d["metadata"])

        _schema_version = d.get("schema_version", UNSET)
        schema_version: ExecutorV10QuantumProgramResultModelSchemaVersion | Unset
        if isinstance(_schema_version, Unset):
            schema_version = UNSET
        else:
            schema_version = (
                ExecutorV10QuantumProgramResultModelSchemaVersion._value2member_map_.get(
                    _schema_version
                )
                or ExecutorV10QuantumProgramResultModelSchemaVersion(_schema_version)
            )

        def _parse_passthrough_data(
            data: object,
        ) -> (
            bool
            | float
            | int
            | list[Any]
            | None
            | PassthroughDataObject
            | str
            | TensorModel
            | Unset
        ):
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                componentsschemas_passthrough_data_type_0 = cast(list[Any], data)

                return componentsschemas_passthrough_data_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_passthrough_data_type_1 = TensorModel.from_dict(data)

                return componentsschemas_passthrough_data_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_passthrough_data_type_2 = (
                    PassthroughDataObject.from_dict(data)
                )

                return componentsschemas_passthrough_data_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(
                bool
                | float
                | int
                | list[Any]
                | None
                | PassthroughDataObject
                | str
                | TensorModel
                | Unset,
                data,
            )

        passthrough_data = _parse_passthrough_data(d.get("passthrough_data", UNSET))

        def _parse_semantic_role(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        semantic_role = _parse_semantic_role(d.get("semantic_role", UNSET))

        executor_v10_quantum_program_result_model = cls(
            data,
            metadata,
            schema_version,
            passthrough_data,
            semantic_role,
        )

        if not _PROPERTY_NAMES.issuperset(d):
            executor_v10_quantum_program_result_model.additional_properties = {
                name: value for name, value in d.items() if name not in _PROPERTY_NAMES
            }
        return executor_v10_quantum_program_result_model

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
from ..models.metadata_model_v1 import MetadataModelV1  # noqa: E402
from ..models.passthrough_data_object import PassthroughDataObject  # noqa: E402
from ..models.quantum_program_result_item_model_v1 import (
    QuantumProgramResultItemModelV1,  # noqa: E402
)
from ..models.tensor_model import TensorModel  # noqa: E402
