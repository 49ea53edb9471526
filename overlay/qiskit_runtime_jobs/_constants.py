"""Every default and fixed name of the client, in one place (times are seconds, as floats)."""

from __future__ import annotations

import httpx

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
"""Per request: 10 s to connect, 30 s for each read/write/pool wait."""

DEFAULT_MAX_RETRIES = 3
"""Retries after the first attempt, for idempotent requests (and duplicate-free creates)."""

INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
MAX_RETRY_AFTER = 60.0
"""A Retry-After longer than this is not waited for: the error is raised instead."""

DEFAULT_IAM_URL = "https://iam.cloud.ibm.com/identity/token"
IAM_REFRESH_FRACTION = 0.8
"""A token is refreshed once this fraction of its lifetime (IAM `expires_in`) has passed."""

CREATE_RATE_LIMIT = 5
CREATE_RATE_WINDOW = 60.0
"""The service allows 5 job creations per minute per user; the client keeps under that."""

IDEMPOTENCY_TAG_PREFIX = "qrj-idempotency-"
"""Prefix of the tag `create_job` attaches so an ambiguous failure can be checked."""

LOGGER_NAME = "qiskit_runtime_jobs"

ENV_TOKEN = "QISKIT_RUNTIME_TOKEN"
ENV_API_KEY = "QISKIT_RUNTIME_API_KEY"
ENV_CRN = "QISKIT_RUNTIME_CRN"
ENV_REGION = "QISKIT_RUNTIME_REGION"
ENV_BASE_URL = "QISKIT_RUNTIME_BASE_URL"
ENV_IAM_URL = "QISKIT_RUNTIME_IAM_URL"
ENV_API_VERSION = "QISKIT_RUNTIME_API_VERSION"
ENV_TIMEOUT = "QISKIT_RUNTIME_TIMEOUT"
ENV_MAX_RETRIES = "QISKIT_RUNTIME_MAX_RETRIES"
ENV_CACHE_DIR = "QISKIT_RUNTIME_CACHE_DIR"
