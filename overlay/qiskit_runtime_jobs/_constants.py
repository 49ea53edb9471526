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
IAM_FALLBACK_LIFETIME = 3600.0
"""The lifetime assumed for a token whose `expires_in` is missing or unusable."""

POLL_INTERVAL = 1.0
MAX_POLL_INTERVAL = 30.0
POLL_FACTOR = 1.5
"""`wait()`: the first gap between polls, its cap, and the factor each gap grows by."""

CREATE_RATE_LIMIT = 5
CREATE_RATE_WINDOW = 60.0
"""The service allows 5 job creations per minute per user; the client keeps under that."""

IDEMPOTENCY_TAG_PREFIX = "qrj-idempotency-"
"""Prefix of the tag `create_job` attaches so an ambiguous failure can be checked."""

LOGGER_NAME = "qiskit_runtime_jobs"
