"""Lazy pagination over `GET /jobs`: the stop rule, shared by the sync and async iterators.

Pages are requested with `limit`/`offset` one at a time, only as the caller iterates. The
iteration ends at the first of: an empty page, a short page (fewer jobs than the page size),
`offset >= count` when the service reports a count, or a page that repeats the previous
page's first job (a service ignoring `offset`). So a wrong `count` cannot loop forever.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from qiskit_runtime_jobs_generated.models import JobResponse, JobsResponse
from qiskit_runtime_jobs_generated.types import Unset


@dataclass
class PageCursor:
    """Where the next page starts, and whether there is one."""

    page_size: int
    offset: int = 0
    done: bool = False
    _previous_first: str | None = field(default=None, repr=False)

    def take(self, page: JobsResponse) -> list[JobResponse]:
        """The jobs of `page` to yield; advances the cursor and decides whether to stop."""
        jobs = page.jobs
        first = jobs[0].id if jobs else None
        if not jobs or first == self._previous_first:
            self.done = True
            return []
        self._previous_first = first
        self.offset += len(jobs)
        expected = min(self.page_size, page.limit) if page.limit > 0 else self.page_size
        count = None if isinstance(page.count, Unset) else page.count
        if len(jobs) < expected or (count is not None and self.offset >= count):
            self.done = True
        return jobs
