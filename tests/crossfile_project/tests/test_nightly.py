from users.jobs import nightly_job


def test_nightly_job():
    result = nightly_job.execute_in_process()
    assert result.success
