from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.noise_learner_v3v01trex_result_metadata_model_learning_protocol import (
    NoiseLearnerV3V01TREXResultMetadataModelLearningProtocol,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="NoiseLearnerV3V01TREXResultMetadataModel")

# The properties this model names; any other key of its JSON object is an additional property.
_PROPERTY_NAMES = frozenset(
    {
        "post_selection",
        "learning_protocol",
    }
)


@_attrs_define
class NoiseLearnerV3V01TREXResultMetadataModel:
    """The metadata of a single TREX result of a noise learner v3 job."""

    post_selection: NoiseLearnerV3V01TREXResultPostSelectionMetadataModel
    """ The post selection metadata of a single TREX result of a noise learner v3 job. """
    learning_protocol: (
        NoiseLearnerV3V01TREXResultMetadataModelLearningProtocol | Unset
    ) = NoiseLearnerV3V01TREXResultMetadataModelLearningProtocol.TREX
    """ The learning protocol used to obtain this result. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        post_selection = self.post_selection.to_dict()

        learning_protocol: str | Unset = UNSET
        if not isinstance(self.learning_protocol, Unset):
            learning_protocol = self.learning_protocol.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "post_selection": post_selection,
            }
        )
        if learning_protocol is not UNSET:
            field_dict["learning_protocol"] = learning_protocol

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = src_dict
        post_selection = (
            NoiseLearnerV3V01TREXResultPostSelectionMetadataModel.from_dict(
                d["post_selection"]
            )
        )

        _learning_protocol = d.get("learning_protocol", UNSET)
        learning_protocol: (
            NoiseLearnerV3V01TREXResultMetadataModelLearningProtocol | Unset
        )
        if isinstance(_learning_protocol, Unset):
            learning_protocol = UNSET
        else:
            learning_protocol = (
                NoiseLearnerV3V01TREXResultMetadataModelLearningProtocol._value2member_map_.get(
                    _learning_protocol
                )
                or NoiseLearnerV3V01TREXResultMetadataModelLearningProtocol(
                    _learning_protocol
                )
            )

        noise_learner_v3v01trex_result_metadata_model = cls(
            post_selection,
            learning_protocol,
        )

        if not _PROPERTY_NAMES.issuperset(d):
            noise_learner_v3v01trex_result_metadata_model.additional_properties = {
                name: value for name, value in d.items() if name not in _PROPERTY_NAMES
            }
        return noise_learner_v3v01trex_result_metadata_model

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
from ..models.noise_learner_v3v01trex_result_post_selection_metadata_model import (
    NoiseLearnerV3V01TREXResultPostSelectionMetadataModel,  # noqa: E402
)
