"""Contains all the data models used in inputs/outputs"""

from .chunk_part import ChunkPart
from .chunk_part_v1 import ChunkPartV1
from .chunk_span import ChunkSpan
from .chunk_span_v1 import ChunkSpanV1
from .compressed_tensor_dtype import CompressedTensorDtype
from .compressed_tensor_model import CompressedTensorModel
from .compressed_tensor_results import CompressedTensorResults
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
from .executor_v10_quantum_program_result_model import (
    ExecutorV10QuantumProgramResultModel,
)
from .executor_v10_quantum_program_result_model_schema_version import (
    ExecutorV10QuantumProgramResultModelSchemaVersion,
)
from .executor_v11_quantum_program_result_model import (
    ExecutorV11QuantumProgramResultModel,
)
from .executor_v11_quantum_program_result_model_schema_version import (
    ExecutorV11QuantumProgramResultModelSchemaVersion,
)
from .executor_v20_quantum_program_result_model import (
    ExecutorV20QuantumProgramResultModel,
)
from .executor_v20_quantum_program_result_model_schema_version import (
    ExecutorV20QuantumProgramResultModelSchemaVersion,
)
from .f64_tensor_model import F64TensorModel
from .f64_tensor_model_dtype import F64TensorModelDtype
from .ibm_cloud_cos_storage import IBMCloudCOSStorage
from .ibm_cloud_cos_storage_region_type import IBMCloudCOSStorageRegionType
from .ibm_cloud_cos_storage_type import IBMCloudCOSStorageType
from .item_metadata_model import ItemMetadataModel
from .item_metadata_model_v1 import ItemMetadataModelV1
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
from .metadata_model_v1 import MetadataModelV1
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
from .noise_learner_v3v03_results_model import NoiseLearnerV3V03ResultsModel
from .noise_learner_v3v03_results_model_schema_version import (
    NoiseLearnerV3V03ResultsModelSchemaVersion,
)
from .passthrough_data_object import PassthroughDataObject
from .passthrough_data_v20_type_2 import PassthroughDataV20Type2
from .quantum_program_result_item_model_v01 import QuantumProgramResultItemModelV01
from .quantum_program_result_item_model_v02 import QuantumProgramResultItemModelV02
from .quantum_program_result_item_model_v1 import QuantumProgramResultItemModelV1
from .quantum_program_result_item_model_v20 import QuantumProgramResultItemModelV20
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
    "ChunkPartV1",
    "ChunkSpan",
    "ChunkSpanV1",
    "CompressedTensorDtype",
    "CompressedTensorModel",
    "CompressedTensorResults",
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
    "ExecutorV10QuantumProgramResultModel",
    "ExecutorV10QuantumProgramResultModelSchemaVersion",
    "ExecutorV11QuantumProgramResultModel",
    "ExecutorV11QuantumProgramResultModelSchemaVersion",
    "ExecutorV20QuantumProgramResultModel",
    "ExecutorV20QuantumProgramResultModelSchemaVersion",
    "F64TensorModel",
    "F64TensorModelDtype",
    "IBMCloudCOSStorage",
    "IBMCloudCOSStorageRegionType",
    "IBMCloudCOSStorageType",
    "ItemMetadataModel",
    "ItemMetadataModelV1",
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
    "MetadataModelV1",
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
    "NoiseLearnerV3V03ResultsModel",
    "NoiseLearnerV3V03ResultsModelSchemaVersion",
    "PassthroughDataObject",
    "PassthroughDataV20Type2",
    "QuantumProgramResultItemModelV01",
    "QuantumProgramResultItemModelV02",
    "QuantumProgramResultItemModelV1",
    "QuantumProgramResultItemModelV20",
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
