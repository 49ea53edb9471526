"""Contains all the data models used in inputs/outputs"""

from .chunk_part import ChunkPart
from .chunk_span import ChunkSpan
from .create_job_request import CreateJobRequest
from .create_job_response import CreateJobResponse
from .error_item import ErrorItem
from .error_response import ErrorResponse
from .error_target import ErrorTarget
from .error_target_type import ErrorTargetType
from .executor_v01_quantum_program_result_model import (
    ExecutorV01QuantumProgramResultModel,
)
from .executor_v01_quantum_program_result_model_schema_version import (
    ExecutorV01QuantumProgramResultModelSchemaVersion,
)
from .executor_v02_quantum_program_result_model import (
    ExecutorV02QuantumProgramResultModel,
)
from .executor_v02_quantum_program_result_model_schema_version import (
    ExecutorV02QuantumProgramResultModelSchemaVersion,
)
from .f64_tensor_model import F64TensorModel
from .f64_tensor_model_dtype import F64TensorModelDtype
from .ibm_cloud_cos_storage import IBMCloudCOSStorage
from .ibm_cloud_cos_storage_region_type import IBMCloudCOSStorageRegionType
from .ibm_cloud_cos_storage_type import IBMCloudCOSStorageType
from .item_metadata_model import ItemMetadataModel
from .job_metrics import JobMetrics
from .job_metrics_timestamps import JobMetricsTimestamps
from .job_params import JobParams
from .job_program import JobProgram
from .job_response import JobResponse
from .job_state import JobState
from .job_state_status import JobStateStatus
from .job_status import JobStatus
from .jobs_response import JobsResponse
from .log_level import LogLevel
from .metadata_model import MetadataModel
from .noise_learner_v3v01_linbdblad_result_metadata_model import (
    NoiseLearnerV3V01LinbdbladResultMetadataModel,
)
from .noise_learner_v3v01_linbdblad_result_metadata_model_learning_protocol import (
    NoiseLearnerV3V01LinbdbladResultMetadataModelLearningProtocol,
)
from .noise_learner_v3v01_linbdblad_result_post_selection_metadata_model import (
    NoiseLearnerV3V01LinbdbladResultPostSelectionMetadataModel,
)
from .noise_learner_v3v01_linbdblad_result_post_selection_metadata_model_fraction_kept import (
    NoiseLearnerV3V01LinbdbladResultPostSelectionMetadataModelFractionKept,
)
from .noise_learner_v3v01_result_model import NoiseLearnerV3V01ResultModel
from .noise_learner_v3v01_results_model import NoiseLearnerV3V01ResultsModel
from .noise_learner_v3v01_results_model_schema_version import (
    NoiseLearnerV3V01ResultsModelSchemaVersion,
)
from .noise_learner_v3v01trex_result_metadata_model import (
    NoiseLearnerV3V01TREXResultMetadataModel,
)
from .noise_learner_v3v01trex_result_metadata_model_learning_protocol import (
    NoiseLearnerV3V01TREXResultMetadataModelLearningProtocol,
)
from .noise_learner_v3v01trex_result_post_selection_metadata_model import (
    NoiseLearnerV3V01TREXResultPostSelectionMetadataModel,
)
from .noise_learner_v3v02_linbdblad_result_metadata_model import (
    NoiseLearnerV3V02LinbdbladResultMetadataModel,
)
from .noise_learner_v3v02_linbdblad_result_metadata_model_learning_protocol import (
    NoiseLearnerV3V02LinbdbladResultMetadataModelLearningProtocol,
)
from .noise_learner_v3v02_linbdblad_result_post_selection_metadata_model import (
    NoiseLearnerV3V02LinbdbladResultPostSelectionMetadataModel,
)
from .noise_learner_v3v02_linbdblad_result_post_selection_metadata_model_fraction_kept import (
    NoiseLearnerV3V02LinbdbladResultPostSelectionMetadataModelFractionKept,
)
from .noise_learner_v3v02_linbdblad_result_post_selection_metadata_model_success_rates import (
    NoiseLearnerV3V02LinbdbladResultPostSelectionMetadataModelSuccessRates,
)
from .noise_learner_v3v02_linbdblad_result_post_selection_metadata_model_success_rates_additional_property import (
    NoiseLearnerV3V02LinbdbladResultPostSelectionMetadataModelSuccessRatesAdditionalProperty,
)
from .noise_learner_v3v02_result_model import NoiseLearnerV3V02ResultModel
from .noise_learner_v3v02_results_model import NoiseLearnerV3V02ResultsModel
from .noise_learner_v3v02_results_model_schema_version import (
    NoiseLearnerV3V02ResultsModelSchemaVersion,
)
from .noise_learner_v3v02trex_result_metadata_model import (
    NoiseLearnerV3V02TREXResultMetadataModel,
)
from .noise_learner_v3v02trex_result_metadata_model_learning_protocol import (
    NoiseLearnerV3V02TREXResultMetadataModelLearningProtocol,
)
from .noise_learner_v3v02trex_result_post_selection_metadata_model import (
    NoiseLearnerV3V02TREXResultPostSelectionMetadataModel,
)
from .noise_learner_v3v02trex_result_post_selection_metadata_model_success_rates import (
    NoiseLearnerV3V02TREXResultPostSelectionMetadataModelSuccessRates,
)
from .passthrough_data_object import PassthroughDataObject
from .quantum_program_result_item_model_v01 import QuantumProgramResultItemModelV01
from .quantum_program_result_item_model_v02 import QuantumProgramResultItemModelV02
from .remote_storage import RemoteStorage
from .replace_job_tags_request import ReplaceJobTagsRequest
from .scheduler_timing_model import SchedulerTimingModel
from .sort_order import SortOrder
from .stretch_value_model import StretchValueModel
from .tensor_dtype import TensorDtype
from .tensor_model import TensorModel
from .tensor_results import TensorResults
from .usage import Usage

__all__ = (
    "ChunkPart",
    "ChunkSpan",
    "CreateJobRequest",
    "CreateJobResponse",
    "ErrorItem",
    "ErrorResponse",
    "ErrorTarget",
    "ErrorTargetType",
    "ExecutorV01QuantumProgramResultModel",
    "ExecutorV01QuantumProgramResultModelSchemaVersion",
    "ExecutorV02QuantumProgramResultModel",
    "ExecutorV02QuantumProgramResultModelSchemaVersion",
    "F64TensorModel",
    "F64TensorModelDtype",
    "IBMCloudCOSStorage",
    "IBMCloudCOSStorageRegionType",
    "IBMCloudCOSStorageType",
    "ItemMetadataModel",
    "JobMetrics",
    "JobMetricsTimestamps",
    "JobParams",
    "JobProgram",
    "JobResponse",
    "JobsResponse",
    "JobState",
    "JobStateStatus",
    "JobStatus",
    "LogLevel",
    "MetadataModel",
    "NoiseLearnerV3V01LinbdbladResultMetadataModel",
    "NoiseLearnerV3V01LinbdbladResultMetadataModelLearningProtocol",
    "NoiseLearnerV3V01LinbdbladResultPostSelectionMetadataModel",
    "NoiseLearnerV3V01LinbdbladResultPostSelectionMetadataModelFractionKept",
    "NoiseLearnerV3V01ResultModel",
    "NoiseLearnerV3V01ResultsModel",
    "NoiseLearnerV3V01ResultsModelSchemaVersion",
    "NoiseLearnerV3V01TREXResultMetadataModel",
    "NoiseLearnerV3V01TREXResultMetadataModelLearningProtocol",
    "NoiseLearnerV3V01TREXResultPostSelectionMetadataModel",
    "NoiseLearnerV3V02LinbdbladResultMetadataModel",
    "NoiseLearnerV3V02LinbdbladResultMetadataModelLearningProtocol",
    "NoiseLearnerV3V02LinbdbladResultPostSelectionMetadataModel",
    "NoiseLearnerV3V02LinbdbladResultPostSelectionMetadataModelFractionKept",
    "NoiseLearnerV3V02LinbdbladResultPostSelectionMetadataModelSuccessRates",
    "NoiseLearnerV3V02LinbdbladResultPostSelectionMetadataModelSuccessRatesAdditionalProperty",
    "NoiseLearnerV3V02ResultModel",
    "NoiseLearnerV3V02ResultsModel",
    "NoiseLearnerV3V02ResultsModelSchemaVersion",
    "NoiseLearnerV3V02TREXResultMetadataModel",
    "NoiseLearnerV3V02TREXResultMetadataModelLearningProtocol",
    "NoiseLearnerV3V02TREXResultPostSelectionMetadataModel",
    "NoiseLearnerV3V02TREXResultPostSelectionMetadataModelSuccessRates",
    "PassthroughDataObject",
    "QuantumProgramResultItemModelV01",
    "QuantumProgramResultItemModelV02",
    "RemoteStorage",
    "ReplaceJobTagsRequest",
    "SchedulerTimingModel",
    "SortOrder",
    "StretchValueModel",
    "TensorDtype",
    "TensorModel",
    "TensorResults",
    "Usage",
)
