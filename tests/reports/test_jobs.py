import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import empty

from notifications.models import Notification
from reports.exports import services
from reports.models import Export, export_storage
from tests.factories import BureauUserFactory, EnterpriseFactory, enterprise_user, region

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def exports_root(settings, tmp_path):
    settings.EXPORTS_ROOT = tmp_path / "exports"
    export_storage._wrapped = empty  # the lazy storage reads the new root
    yield
    export_storage._wrapped = empty


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the job, eager without a broker) at once."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def city(client):
    user = BureauUserFactory(region=region("330100"))
    client.force_login(user)
    return user


def test_large_export_runs_as_a_job_and_only_its_owner_downloads(client, city, settings, committed):
    settings.EXPORT_DIRECT_MAX_ROWS = 2
    for name in ("杭州甲", "杭州乙", "杭州丙"):
        EnterpriseFactory(name=name, region=region("330100"))
    EnterpriseFactory(name="宁波丁", region=region("330200"))

    with committed():
        response = client.post(
            reverse("exports:start", args=["enterprises"]),
            {"query": "ordering=-name", "columns": ["name"], "format": "csv"},
        )

    export = Export.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("exports:detail", args=[export.pk])
    assert export.background is True
    assert (export.status, export.processed, export.total) == ("done", 3, 3)
    notification = Notification.objects.get(recipient=city)
    assert notification.url == reverse("exports:detail", args=[export.pk])
    download = client.get(reverse("exports:download", args=[export.pk]))
    assert download.status_code == 200
    text = b"".join(download.streaming_content).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text))) == [["企业名称"], ["杭州甲"], ["杭州乙"], ["杭州丙"]]

    client.force_login(BureauUserFactory(region=region("330100")))  # same city, not the owner
    assert client.get(reverse("exports:download", args=[export.pk])).status_code == 404
    assert client.get(reverse("exports:detail", args=[export.pk])).status_code == 404
    assert client.get(reverse("export-download", args=[export.pk])).status_code == 404


def test_job_page_shows_progress_and_the_download_link(client, city, settings, committed):
    settings.EXPORT_DIRECT_MAX_ROWS = 0
    EnterpriseFactory(region=region("330100"))
    with committed():
        export = services.start_export(
            services.spec_named("enterprises"), actor=city, query="", columns=(), fmt="xlsx"
        )

    page = client.get(reverse("exports:progress", args=[export.pk]))

    assert page.status_code == 200
    assert reverse("exports:download", args=[export.pk]) in page.content.decode()


def test_expired_exports_lose_file_and_row(client, city, committed):
    EnterpriseFactory(region=region("330100"))
    with committed():
        export = services.start_export(
            services.spec_named("enterprises"), actor=city, query="", columns=(), fmt="csv",
            background=True,
        )  # fmt: skip
    export.refresh_from_db()
    path = export.file.path
    kept = services.start_export(
        services.spec_named("enterprises"), actor=city, query="", columns=(), fmt="csv",
        background=True,
    )  # fmt: skip

    assert services.delete_expired_exports(now=timezone.now() + timedelta(days=6)) == 0
    Export.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert services.delete_expired_exports() == 1

    assert not Export.objects.filter(pk=export.pk).exists()
    assert Export.objects.filter(pk=kept.pk).exists()
    import os

    assert not os.path.exists(path)
    assert client.get(reverse("exports:download", args=[export.pk])).status_code == 404


def test_job_reads_rows_as_the_owner_sees_them(city, committed):
    EnterpriseFactory(name="杭州甲", region=region("330100"))
    EnterpriseFactory(name="宁波乙", region=region("330200"))

    with committed():
        export = services.start_export(
            services.spec_named("enterprises"), actor=city, query="", columns=["name"],
            fmt="csv", background=True,
        )  # fmt: skip

    export.refresh_from_db()
    with export.file.open("rb") as handle:
        assert handle.read().decode("utf-8-sig").splitlines() == ["企业名称", "杭州甲"]


def test_api_creates_follows_and_downloads_an_export(client, city, committed):
    EnterpriseFactory(name="杭州甲", region=region("330100"))

    with committed():
        response = client.post(
            reverse("export-list"),
            {"list": "enterprises", "filter": "q=杭州", "columns": ["name"], "format": "csv"},
            content_type="application/json",
        )

    assert response.status_code == 202, response.content
    created = response.json()
    assert (created["list"], created["status"], created["total"], created["query"]) == (
        "enterprises", "queued", 1, "q=%E6%9D%AD%E5%B7%9E",
    )  # fmt: skip
    body = client.get(reverse("export-detail", args=[created["id"]])).json()
    assert (body["status"], body["processed"]) == ("done", 1)
    assert body["download_url"] == reverse("export-download", args=[body["id"]])
    download = client.get(body["download_url"])
    assert b"".join(download.streaming_content).decode("utf-8-sig").splitlines() == [
        "企业名称",
        "杭州甲",
    ]


def test_api_refuses_a_list_the_role_does_not_have(client):
    member = enterprise_user(EnterpriseFactory(region=region("330100")))
    client.force_login(member)

    response = client.post(
        reverse("export-list"), {"list": "enterprises"}, content_type="application/json"
    )

    assert response.status_code == 403
    assert Export.objects.count() == 0


def test_api_round_outside_view_is_404(client, city):
    response = client.post(
        reverse("export-list"),
        {"list": "applications", "filter": "round=999999"},
        content_type="application/json",
    )

    assert response.status_code == 404
    assert Export.objects.count() == 0


@pytest.mark.parametrize("count", [1, 25])
def test_my_exports_page_query_count_does_not_grow(
    client, city, count, django_assert_max_num_queries
):
    Export.objects.bulk_create(
        Export(started_by=city, list_name="enterprises", title="企业名录", format="csv")
        for _ in range(count)
    )
    other = BureauUserFactory(region=region("330100"))
    Export.objects.create(started_by=other, list_name="audit", title="审计日志", format="csv")

    with django_assert_max_num_queries(10):  # session, user, notifications, page, count
        response = client.get(reverse("exports:list"))

    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(count, 20)
    assert all(e.started_by_id == city.pk for e in response.context["page"].object_list)
