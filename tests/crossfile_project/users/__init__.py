"""Re-exports a job: every importer of the package counts as a user of it."""

from users.jobs import nightly_job

__all__ = ["nightly_job"]
