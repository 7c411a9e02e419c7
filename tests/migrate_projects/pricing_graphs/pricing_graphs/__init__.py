"""Op jobs: a @graph inside a job, a multi-output op, a job-level run config."""
