from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.ibm_cloud_cos_storage_region_type import IBMCloudCOSStorageRegionType
from ..models.ibm_cloud_cos_storage_type import IBMCloudCOSStorageType
from ..types import UNSET, Unset

T = TypeVar("T", bound="RemoteStorage")

# The properties this model names; any other key of its JSON object is an additional property.
_PROPERTY_NAMES = frozenset(
    {
        "region",
        "region_type",
        "bucket_crn",
        "object_name",
        "job_params",
        "results",
        "type",
        "logs",
    }
)


@_attrs_define
class RemoteStorage:
    """(Only enabled for Qiskit Runtime instances with the Channel Partner plan) Metadata
    and connection information on where job params are stored remotely and/or where to
    store results, logs, transpiled circuits, etc. Omitted properties in field specific
    objects will be inherited from the default remote storage option.

    The top-level fields are the default remote storage option, for where input data is
    stored and where output data should be stored.

    """

    region: str
    """ Region, Cross-Region, or Single Data Center as defined by IBM Cloud Object
    Storage (https://cloud.ibm.com/docs/cloud-object-storage?topic=cloud-object-storage-endpoints)
     """
    region_type: IBMCloudCOSStorageRegionType
    bucket_crn: str
    """ Fully specified <a href="https://cloud.ibm.com/docs/account?topic=account-crn">CRN</a> for the target Cloud
    Object Storage bucket """
    object_name: str
    """ Name/ID of the object in the IBM Cloud Object Storage bucket. May *not* be specified in the default remote
    storage option. """
    job_params: IBMCloudCOSStorage
    """ Remote storage metadata for where data is stored or to be stored in an IBM Cloud
    Object Storage bucket. Required fields may be omitted in field specific objected
    if allowed and defined in the default remote storage option.
     """
    results: IBMCloudCOSStorage
    """ Remote storage metadata for where data is stored or to be stored in an IBM Cloud
    Object Storage bucket. Required fields may be omitted in field specific objected
    if allowed and defined in the default remote storage option.
     """
    type_: IBMCloudCOSStorageType | Unset = IBMCloudCOSStorageType.IBMCLOUD_COS
    logs: IBMCloudCOSStorage | Unset = UNSET
    """ Remote storage metadata for where data is stored or to be stored in an IBM Cloud
    Object Storage bucket. Required fields may be omitted in field specific objected
    if allowed and defined in the default remote storage option.
     """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        region = self.region

        region_type = self.region_type.value

        bucket_crn = self.bucket_crn

        object_name = self.object_name

        job_params = self.job_params.to_dict()

        results = self.results.to_dict()

        type_: str | Unset = UNSET
        if not isinstance(self.type_, Unset):
            type_ = self.type_.value

        logs: dict[str, Any] | Unset = UNSET
        if not isinstance(self.logs, Unset):
            logs = self.logs.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "region": region,
                "region_type": region_type,
                "bucket_crn": bucket_crn,
                "object_name": object_name,
                "job_params": job_params,
                "results": results,
            }
        )
        if type_ is not UNSET:
            field_dict["type"] = type_
        if logs is not UNSET:
            field_dict["logs"] = logs

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = src_dict
        region = d["region"]

        region_type = IBMCloudCOSStorageRegionType._value2member_map_.get(
            d["region_type"]
        ) or IBMCloudCOSStorageRegionType(d["region_type"])

        bucket_crn = d["bucket_crn"]

        object_name = d["object_name"]

        job_params = IBMCloudCOSStorage.from_dict(d["job_params"])

        results = IBMCloudCOSStorage.from_dict(d["results"])

        _type_ = d.get("type", UNSET)
        type_: IBMCloudCOSStorageType | Unset
        if isinstance(_type_, Unset):
            type_ = UNSET
        else:
            type_ = IBMCloudCOSStorageType._value2member_map_.get(
                _type_
            ) or IBMCloudCOSStorageType(_type_)

        _logs = d.get("logs", UNSET)
        logs: IBMCloudCOSStorage | Unset
        if isinstance(_logs, Unset):
            logs = UNSET
        else:
            logs = IBMCloudCOSStorage.from_dict(_logs)

        remote_storage = cls(
            region,
            region_type,
            bucket_crn,
            object_name,
            job_params,
            results,
            type_,
            logs,
        )

        if not _PROPERTY_NAMES.issuperset(d):
            remote_storage.additional_properties = {
                name: value for name, value in d.items() if name not in _PROPERTY_NAMES
            }
        return remote_storage

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
from ..models.ibm_cloud_cos_storage import IBMCloudCOSStorage  # noqa: E402
