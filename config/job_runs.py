"""Starting a job's run and recording its failure: the same steps for every job
(tiering, dynamic adjustment, policy matching)."""

from contextlib import contextmanager

from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.services import record_event
from config.dispatch import send_on_commit
from config.errors import ConflictError
from config.jobs import RunStatus


def queue_run(model, *, task, busy: str, actor, action: str, obj=None, after=None, **fields):
    """Create a run of `model`, audit it and send the task named `task` after commit.

    A second run while one is active breaks the model's one-active-run constraint and is
    refused with `busy`. `obj` is what the audit event is about (default: the run).
    """
    try:
        with transaction.atomic():
            run = model.objects.create(started_by=actor, **fields)
            record_event(actor=actor, action=action, obj=obj or run, after=after)
            send_on_commit(task, run_id=run.pk)
    except IntegrityError as exc:
        raise ConflictError(busy) from exc
    return run


@contextmanager
def failure_recorded(model, run_id):
    """Any error inside marks the run failed, with the error for its page, and goes on."""
    try:
        yield
    except Exception as exc:
        model.objects.filter(pk=run_id).update(
            status=RunStatus.FAILED, finished_at=timezone.now(), error=str(exc)[:2000]
        )
        raise


def run_recorded(model, run, body):
    """The job body `body()` with its run record: running, then done with the summary it
    returns, or failed with the error (re-raised). Returns the refreshed run."""
    model.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)
    with failure_recorded(model, run.pk):
        summary = body()
    model.objects.filter(pk=run.pk).update(
        status=RunStatus.DONE, finished_at=timezone.now(), summary=summary
    )
    run.refresh_from_db()
    return run
