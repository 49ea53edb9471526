from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="NoiseLearnerV3V02ResultModel")

# The properties this model names; any other key of its JSON object is an additional property.
_PROPERTY_NAMES = frozenset(
    {
        "generators_sparse",
        "num_qubits",
        "rates",
        "rates_std",
        "metadata",
    }
)


@_attrs_define
class NoiseLearnerV3V02ResultModel:
    """Results for a single noise learner V3 item."""

    generators_sparse: list[list[list[list[int] | str]]]
    """ A representation of the generators in sparse format ``[string, array(int)]``. """
    num_qubits: int
    """ The number of qubits that the generators act on. """
    rates: F64TensorModel
    """ Model of tensor data specialized to f64. """
    rates_std: F64TensorModel
    """ Model of tensor data specialized to f64. """
    metadata: (
        NoiseLearnerV3V02LinbdbladResultMetadataModel
        | NoiseLearnerV3V02TREXResultMetadataModel
    )
    """ Execution metadata pertaining to a single result. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        generators_sparse = []
        for generators_sparse_item_data in self.generators_sparse:
            generators_sparse_item = []
            for generators_sparse_item_item_data in generators_sparse_item_data:
                generators_sparse_item_item = []
                for (
                    generators_sparse_item_item_item_data
                ) in generators_sparse_item_item_data:
                    generators_sparse_item_item_item: list[int] | str
                    if isinstance(generators_sparse_item_item_item_data, list):
                        generators_sparse_item_item_item = (
                            generators_sparse_item_item_item_data
                        )

                    else:
                        generators_sparse_item_item_item = (
                            generators_sparse_item_item_item_data
                        )
                    generators_sparse_item_item.append(generators_sparse_item_item_item)

                generators_sparse_item.append(generators_sparse_item_item)

            generators_sparse.append(generators_sparse_item)

        num_qubits = self.num_qubits

        rates = self.rates.to_dict()

        rates_std = self.rates_std.to_dict()

        metadata: dict[str, Any]
        if isinstance(self.metadata, NoiseLearnerV3V02TREXResultMetadataModel):
            metadata = self.metadata.to_dict()
        else:
            metadata = self.metadata.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "generators_sparse": generators_sparse,
                "num_qubits": num_qubits,
                "rates": rates,
                "rates_std": rates_std,
                "metadata": metadata,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = src_dict
        generators_sparse = []
        _generators_sparse = d["generators_sparse"]
        for generators_sparse_item_data in _generators_sparse:
            generators_sparse_item = []
            _generators_sparse_item = generators_sparse_item_data
            for generators_sparse_item_item_data in _generators_sparse_item:
                generators_sparse_item_item = []
                _generators_sparse_item_item = generators_sparse_item_item_data
                for (
                    generators_sparse_item_item_item_data
                ) in _generators_sparse_item_item:

                    def _parse_generators_sparse_item_item_item(
                        data: object,
                    ) -> list[int] | str:
                        try:
                            if not isinstance(data, list):
                                raise TypeError()
                            generators_sparse_item_item_item_type_1 = cast(
                                list[int], data
                            )

                            return generators_sparse_item_item_item_type_1
                        except (TypeError, ValueError, AttributeError, KeyError):
                            pass
                        return cast(list[int] | str, data)

                    generators_sparse_item_item_item = (
                        _parse_generators_sparse_item_item_item(
                            generators_sparse_item_item_item_data
                        )
                    )

                    generators_sparse_item_item.append(generators_sparse_item_item_item)

                generators_sparse_item.append(generators_sparse_item_item)

            generators_sparse.append(generators_sparse_item)

        num_qubits = d["num_qubits"]

        rates = F64TensorModel.from_dict(d["rates"])

        rates_std = F64TensorModel.from_dict(d["rates_std"])

        def _parse_metadata(
            data: object,
        ) -> (
            NoiseLearnerV3V02LinbdbladResultMetadataModel
            | NoiseLearnerV3V02TREXResultMetadataModel
        ):
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_noise_learner_v3v02_result_metadata_type_0 = (
                    NoiseLearnerV3V02TREXResultMetadataModel.from_dict(data)
                )

                return componentsschemas_noise_learner_v3v02_result_metadata_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_noise_learner_v3v02_result_metadata_type_1 = (
                NoiseLearnerV3V02LinbdbladResultMetadataModel.from_dict(data)
            )

            return componentsschemas_noise_learner_v3v02_result_metadata_type_1

        metadata = _parse_metadata(d["metadata"])

        noise_learner_v3v02_result_model = cls(
            generators_sparse,
            num_qubits,
            rates,
            rates_std,
            metadata,
        )

        if not _PROPERTY_NAMES.issuperset(d):
            noise_learner_v3v02_result_model.additional_properties = {
                name: value for name, value in d.items() if name not in _PROPERTY_NAMES
            }
        return noise_learner_v3v02_result_model

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
from ..models.f64_tensor_model import F64TensorModel  # noqa: E402
from ..models.noise_learner_v3v02_linbdblad_result_metadata_model import (
    NoiseLearnerV3V02LinbdbladResultMetadataModel,  # noqa: E402
)
from ..models.noise_learner_v3v02trex_result_metadata_model import (
    NoiseLearnerV3V02TREXResultMetadataModel,  # noqa: E402
)
