"""A round's result list (遴选结果名单) and panel minutes (专家评审纪要) rendered as jobs:
the page asks, shows the progress, and the requester's notification links to the file."""

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from config.errors import DomainError
from config.job_runs import failure_recorded, queue_run
from config.jobs import RunStatus
from notifications.messages import Message
from notifications.services import notify
from reports.models import RoundDocumentKind, RoundDocumentRun
from reports.pdf import render_pdf_document
from reports.permissions import can_read_round_documents
from reports.services import documents

STEPS = 2  # gather and lay out; write the file
HTML = {
    RoundDocumentKind.RESULTS: lambda r: documents.round_results_html(r, public=False),
    RoundDocumentKind.MINUTES: documents.minutes_html,
}


def start_round_document(selection_round, kind: str, *, actor) -> RoundDocumentRun:
    """Queue the document's job, or return the run already under way for it.

    Side effects: a RoundDocumentRun; audit `round_document.requested`; the task after
    commit."""
    if not can_read_round_documents(actor, selection_round):
        raise DomainError(_("只有本轮次所在辖区的数据管理部门可以生成该文书。"))
    if kind not in RoundDocumentKind.values:
        raise DomainError(_("文书只能是遴选结果名单或专家评审纪要。"), field="kind")
    running = RoundDocumentRun.objects.filter(
        round=selection_round, kind=kind, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
    ).first()
    if running is not None:
        return running
    return queue_run(
        RoundDocumentRun,
        task="reports.round_document",
        busy=_("该轮次的这份文书正在生成，请等待完成。"),
        actor=actor,
        action="round_document.requested",
        obj=selection_round,
        after={"kind": kind},
        round=selection_round,
        kind=kind,
        total=STEPS,
    )


def run_round_document(run: RoundDocumentRun) -> RoundDocumentRun:
    """The job body. Idempotent: a finished run is returned as it is."""
    if run.status == RunStatus.DONE:
        return run
    RoundDocumentRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, processed=0)
    with failure_recorded(RoundDocumentRun, run.pk):
        document = render_pdf_document(HTML[run.kind](run.round))
        RoundDocumentRun.objects.filter(pk=run.pk).update(processed=1)
        pdf = document.write_pdf()
        run.file.save(f"round-{run.round_id}-{run.kind}-{run.pk}.pdf", ContentFile(pdf),
                      save=False)  # fmt: skip
        RoundDocumentRun.objects.filter(pk=run.pk).update(
            file=run.file.name,
            pages=len(document.pages),
            processed=STEPS,
            status=RunStatus.DONE,
            finished_at=timezone.now(),
            summary={"pages": len(document.pages), "bytes": len(pdf)},
        )
    run.refresh_from_db()
    if run.started_by is not None:
        notify(
            [run.started_by],
            title=Message(
                N_("%(round)s %(document)s已生成"),
                round=run.round.title,
                document=RoundDocumentKind(run.kind).label,
            ),
            url=reverse("reports:round-document-download", kwargs={"pk": run.pk}),
        )
    return run
