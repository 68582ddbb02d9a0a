"""A real Celery worker process on Redis runs a task against the test database."""

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from config.celery import app
from notifications.models import Notification
from notifications.tasks import send_notification_email
from tests.factories import UserFactory

# Under pytest-xdist these share one test process: each starts a Celery worker on the same
# broker queue, so two at once would take each other's tasks (--dist loadgroup in CI).
pytestmark = pytest.mark.xdist_group("celery-worker")

REQUIRED = os.environ.get("REQUIRE_WORKER_TEST") == "1"


def _requirements_missing():
    if not os.environ.get("CELERY_BROKER_URL"):
        return "CELERY_BROKER_URL is not set"
    if connection.vendor != "postgresql":
        return "the worker needs a database it can share (PostgreSQL)"
    return None


def _database_url():
    s = connection.settings_dict
    auth = quote(s["USER"] or "")
    if s["PASSWORD"]:
        auth += ":" + quote(s["PASSWORD"])
    return f"postgres://{auth}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def worker():
    missing = _requirements_missing()
    if missing:
        if REQUIRED:
            pytest.fail(f"REQUIRE_WORKER_TEST=1 but {missing}")
        pytest.skip(missing)
    queue = f"test-{uuid.uuid4().hex[:8]}"
    # The worker's own default queue too: tasks it sends (adjustment chunks) come back to it.
    env = {**os.environ, "DATABASE_URL": _database_url(), "DEBUG": "1",
           "CELERY_TASK_DEFAULT_QUEUE": queue}  # fmt: skip
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "-Q",
            queue,
            "-l",
            "warning",
        ],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        start_new_session=True,
    )
    app.conf.task_always_eager = False
    default_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue  # tasks sent by services go to this worker
    try:
        yield queue
    finally:
        app.conf.task_always_eager = True
        app.conf.task_default_queue = default_queue
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_delivers_notification_email(worker):
    notification = Notification.objects.create(recipient=UserFactory(), title="入库结果已公布")

    result = send_notification_email.apply_async(
        kwargs={"notification_id": notification.pk}, queue=worker
    )

    assert result.get(timeout=60) is True
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    # Idempotent: running it again through the worker sends nothing more.
    again = send_notification_email.apply_async(
        kwargs={"notification_id": notification.pk}, queue=worker
    )
    assert again.get(timeout=60) is False


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_runs_the_tiering_job(worker):
    import time

    from selection.models import Application, TieringRun
    from selection.services.tiering import start_tiering
    from tests.selection.helpers import tiering_round

    selection_round, apps = tiering_round([[90] * 5, [30] * 5])

    run = start_tiering(selection_round, actor=selection_round.created_by)

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.status in ("done", "failed"):
            break
        time.sleep(0.5)
    assert run.status == "done", run.error
    assert run.processed == run.total == 2
    assert set(Application.objects.values_list("status", flat=True)) == {"proposed"}
    assert TieringRun.objects.get(pk=run.pk).summary[""] == 1


def _wait_for(run, seconds=90):
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.status in ("done", "failed"):
            return run
        time.sleep(0.5)
    return run


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_runs_the_adjustment_job_idempotently(worker):
    from adjustment.models import AdjustmentProposal
    from adjustment.services.job import start_adjustment
    from tests.adjustment.test_adjustment import in_registry
    from tests.factories import BureauUserFactory, region

    staff = BureauUserFactory(region=region("330000"))
    up = in_registry(revenue=20_000_000)
    silent = in_registry(reports=())

    first = _wait_for(start_adjustment(actor=staff, region=staff.region, year=2025))
    assert first.status == "done", first.error
    assert first.processed == first.total == 2
    again = _wait_for(start_adjustment(actor=staff, region=staff.region, year=2025))
    assert again.status == "done", again.error
    assert sorted(AdjustmentProposal.objects.values_list("entry_id", "kind", "status")) == sorted(
        [(up.pk, "upgrade", "pending"), (silent.pk, "exit", "pending")]
    )


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_runs_an_export_that_only_its_owner_downloads(worker, client, settings):
    from django.urls import reverse

    from reports.exports import services as export_services
    from reports.exports.spec import spec_named
    from tests.factories import BureauUserFactory, EnterpriseFactory, region

    city = BureauUserFactory(region=region("330100"))
    EnterpriseFactory(name="杭州甲", region=region("330100"))
    EnterpriseFactory(name="宁波乙", region=region("330200"))

    export = _wait_for(
        export_services.start_export(
            spec_named("enterprises"), actor=city, query="", columns=["name"], fmt="csv",
            background=True,
        )
    )  # fmt: skip

    assert export.status == "done", export.error
    assert (export.processed, export.total) == (1, 1)
    client.force_login(city)
    download = client.get(reverse("exports:download", args=[export.pk]))
    assert b"".join(download.streaming_content).decode("utf-8-sig").splitlines() == [
        "企业名称",
        "杭州甲",
    ]
    client.force_login(BureauUserFactory(region=region("330100")))
    assert client.get(reverse("exports:download", args=[export.pk])).status_code == 404
