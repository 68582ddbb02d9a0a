"""Free text people type has a length limit everywhere: form, API, database (issue #8)."""

import pytest
from django.apps import apps
from django.core.validators import MaxLengthValidator
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from registry.models import AnnualReport, Enterprise, ReportReturn
from tests.factories import (
    AnnualReportFactory,
    BureauUserFactory,
    EnterpriseFactory,
    PolicyFactory,
    enterprise_user,
    region,
)

MILLION = "x" * 1_000_000
# Text the system writes itself, never typed by a person: no limit needed.
SYSTEM_WRITTEN = {("notifications.Notification", "body")}
PROJECT_APPS = {
    "accounts", "audit", "notifications", "registry", "selection", "adjustment",
    "policies", "resources", "vouchers", "scenarios", "finance", "workdays",
}  # fmt: skip


def _text_fields():
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.TextField) and field.editable and not field.auto_created:
                yield model, field


def test_every_user_editable_text_field_has_a_limit_in_form_api_and_database():
    checked = []
    for model, field in _text_fields():
        key = (model._meta.label, field.name)
        if key in SYSTEM_WRITTEN or field.name == "error":  # job errors: written by the job
            continue
        checked.append(key)
        assert field.max_length, f"{key} has no max_length"
        assert any(
            isinstance(v, MaxLengthValidator) and v.limit_value == field.max_length
            for v in field.validators
        ), f"{key} has no MaxLengthValidator"
        checks = [c for c in model._meta.constraints if c.name.endswith(f"{field.name}_length")]
        assert len(checks) == 1, f"{key} has no length check in the database"
    assert ("registry.Enterprise", "description") in checked
    assert ("selection.Application", "growth_plan") in checked
    assert len(checked) >= 19


@pytest.mark.django_db
def test_a_million_characters_on_the_profile_page_is_a_form_error_and_nothing_saved(client):
    enterprise = EnterpriseFactory(description="原简介")
    member = enterprise_user(enterprise)
    client.force_login(member)
    url = reverse("registry:enterprise-edit", args=[enterprise.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(description=MILLION, name="改了名字的公司")
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["description"] == [
        "确保该变量包含不超过 2000 字符 (目前字符数 1000000)。"
    ]
    enterprise.refresh_from_db()
    assert (enterprise.description, enterprise.name) == ("原简介", enterprise.name)
    assert enterprise.name != "改了名字的公司"


@pytest.mark.django_db
def test_a_million_characters_through_the_api_is_a_400_and_nothing_saved():
    staff = BureauUserFactory(region=region("330000"))
    policy = PolicyFactory(created_by=staff)
    api = APIClient()
    api.force_authenticate(staff)
    response = api.patch(
        f"/api/v1/policies/{policy.pk}/", {"benefit": MILLION, "title": "新标题"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"]["benefit"] == ["请确保这个字段不能超过 2000 个字符。"]
    policy.refresh_from_db()
    assert policy.benefit == "按研发费用的 10% 给予奖补，最高 50 万元。"
    assert policy.title != "新标题"


@pytest.mark.django_db
def test_a_limit_is_accepted_at_the_limit_and_refused_one_past_it_in_the_database():
    enterprise = EnterpriseFactory()
    Enterprise.objects.filter(pk=enterprise.pk).update(description="简" * 2000)
    with pytest.raises(IntegrityError), transaction.atomic():
        Enterprise.objects.filter(pk=enterprise.pk).update(description="简" * 2001)
    enterprise.refresh_from_db()
    assert len(enterprise.description) == 2000


@pytest.mark.django_db
def test_an_over_long_reason_posted_straight_to_a_service_is_refused_whole(client):
    """Returning a report takes its reason straight from the POST: the database check
    refuses it, the page says why, and the report is not half-returned."""
    report = AnnualReportFactory(enterprise=EnterpriseFactory(region=region("110000")))
    staff = BureauUserFactory()
    client.force_login(staff)
    response = client.post(
        reverse("registry:report-return", args=[report.pk]), {"reason": "理" * 1001}, follow=True
    )
    assert response.status_code == 200
    assert "退回原因不能超过 1000 个字。" in response.content.decode()
    report.refresh_from_db()
    assert report.status == "submitted"
    assert ReportReturn.objects.count() == 0
    assert AnnualReport.objects.get().status == "submitted"
    client.post(reverse("registry:report-return", args=[report.pk]), {"reason": "理" * 1000})
    report.refresh_from_db()
    assert (report.status, ReportReturn.objects.count()) == ("returned", 1)
