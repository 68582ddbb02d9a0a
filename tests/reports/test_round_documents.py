"""A round's result list and panel minutes render as jobs: the results page starts one,
its page shows the progress, the requester's notification links to the file, which only
the requester and the round's staff download."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from notifications.models import Notification
from reports.models import RoundDocumentRun
from reports.services import round_documents
from tests.factories import BureauUserFactory, UserFactory, region
from tests.reports import test_lists
from tests.reports.helpers import pdf_text, response_bytes
from tests.test_celery_worker import _wait_for, worker  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored():
    """A blind round of 浙江省 with two applications, three experts each, all scored."""
    return test_lists.scored.__wrapped__()


def start(client, selection_round, kind):
    return client.post(reverse("reports:round-document-start", args=[selection_round.pk, kind]))


@pytest.mark.parametrize("kind,heading", [("results", "遴选结果"), ("minutes", "专家评审纪要")])
def test_staff_start_the_job_follow_it_and_download(
    client, scored, kind, heading, django_capture_on_commit_callbacks
):
    selection_round, apps, members = scored
    for member in members:  # names that cannot occur in the document by chance
        member.user.full_name = f"保密姓名{member.pk}"
        member.user.save(update_fields=["full_name"])
    staff = selection_round.created_by
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = start(client, selection_round, kind)

    run = RoundDocumentRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:round-document-detail", args=[run.pk])
    assert (run.kind, run.status, run.processed, run.total) == (kind, "done", 2, 2)
    page = client.get(response["Location"]).content.decode()
    assert reverse("reports:round-document-download", args=[run.pk]) in page
    progress = client.get(reverse("reports:round-document-progress", args=[run.pk]))
    assert "100%" in progress.content.decode()
    note = Notification.objects.filter(recipient=staff).order_by("-id").first()
    assert note.url == reverse("reports:round-document-download", args=[run.pk])
    pdf = response_bytes(client.get(note.url))
    assert heading in pdf_text(pdf).replace(" ", "")
    assert AuditEvent.objects.filter(action="round_document.requested").count() == 1
    if kind == "minutes":  # blind round: experts by number only
        text = pdf_text(pdf)
        assert all(m.user.full_name not in text for m in members)


def test_asking_again_while_it_runs_returns_the_same_run(scored):
    selection_round, _apps, _members = scored
    staff = selection_round.created_by
    first = round_documents.start_round_document(selection_round, "results", actor=staff)
    again = round_documents.start_round_document(selection_round, "results", actor=staff)
    assert first == again and RoundDocumentRun.objects.count() == 1


def test_refused_roles(client, scored):
    selection_round, _apps, members = scored
    run = round_documents.run_round_document(
        round_documents.start_round_document(
            selection_round, "minutes", actor=selection_round.created_by
        )
    )
    detail = reverse("reports:round-document-detail", args=[run.pk])
    download = reverse("reports:round-document-download", args=[run.pk])
    for user, starting, reading in [
        (members[0].user, 404, 404),  # a panelist never has the minutes
        (UserFactory(role="institution"), 404, 404),
        (BureauUserFactory(region=region("310000")), 404, 404),  # another province
    ]:
        client.force_login(user)
        assert start(client, selection_round, "minutes").status_code in (starting, 403)
        assert client.get(detail).status_code == reading
        assert client.get(download).status_code == reading
    assert RoundDocumentRun.objects.count() == 1


def test_an_unknown_document_is_refused(client, scored):
    selection_round, _apps, _members = scored
    client.force_login(selection_round.created_by)
    response = start(client, selection_round, "everything")
    assert response.status_code == 302 and RoundDocumentRun.objects.count() == 0


@pytest.mark.worker
@pytest.mark.xdist_group("celery-worker")
@pytest.mark.django_db(transaction=True)
def test_real_worker_renders_the_blind_minutes(worker):  # noqa: F811 (the fixture)
    selection_round, _apps, members = test_lists.scored.__wrapped__()
    staff = selection_round.created_by

    run = round_documents.start_round_document(selection_round, "minutes", actor=staff)
    run = _wait_for(run, seconds=120)

    assert run.status == "done", run.error
    assert (run.processed, run.total) == (2, 2) and run.file
    with run.file.open("rb") as f:
        text = pdf_text(f.read())
    assert "专家评审纪要" in text.replace(" ", "")
    assert all(m.user.full_name not in text for m in members)
    download = reverse("reports:round-document-download", args=[run.pk])
    assert Notification.objects.filter(recipient=staff, url=download).count() == 1
