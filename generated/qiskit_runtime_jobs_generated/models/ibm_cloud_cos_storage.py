from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.ibm_cloud_cos_storage_region_type import IBMCloudCOSStorageRegionType
from ..models.ibm_cloud_cos_storage_type import IBMCloudCOSStorageType
from ..types import UNSET, Unset

T = TypeVar("T", bound="IBMCloudCOSStorage")

# The properties this model names; any other key of its JSON object is an additional property.
_PROPERTY_NAMES = frozenset(
    {
        "region",
        "region_type",
        "bucket_crn",
        "object_name",
        "type",
    }
)


@_attrs_define
class IBMCloudCOSStorage:
    """Remote storage metadata for where data is stored or to be stored in an IBM Cloud
    Object Storage bucket. Required fields may be omitted in field specific objected
    if allowed and defined in the default remote storage option.

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
    type_: IBMCloudCOSStorageType | Unset = IBMCloudCOSStorageType.IBMCLOUD_COS
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        region = self.region

        region_type = self.region_type.value

        bucket_crn = self.bucket_crn

        object_name = self.object_name

        type_: str | Unset = UNSET
        if not isinstance(self.type_, Unset):
            type_ = self.type_.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "region": region,
                "region_type": region_type,
                "bucket_crn": bucket_crn,
                "object_name": object_name,
            }
        )
        if type_ is not UNSET:
            field_dict["type"] = type_

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

        _type_ = d.get("type", UNSET)
        type_: IBMCloudCOSStorageType | Unset
        if isinstance(_type_, Unset):
            type_ = UNSET
        else:
            type_ = IBMCloudCOSStorageType._value2member_map_.get(
                _type_
            ) or IBMCloudCOSStorageType(_type_)

        ibm_cloud_cos_storage = cls(
            region,
            region_type,
            bucket_crn,
            object_name,
            type_,
        )

        if not _PROPERTY_NAMES.issuperset(d):
            ibm_cloud_cos_storage.additional_properties = {
                name: value for name, value in d.items() if name not in _PROPERTY_NAMES
            }
        return ibm_cloud_cos_storage

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
