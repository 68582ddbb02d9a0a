"""An enterprise that is not yet verified fills its profile but cannot apply."""

import pytest
from django.urls import reverse

from config.errors import DomainError
from registry.models import Enterprise
from selection.models import Application
from selection.services import applications as app_services
from tests.factories import EnterpriseFactory, enterprise_user, region
from tests.selection.helpers import make_round, ready_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def selection_round():
    return make_round()


@pytest.mark.parametrize("status", ["unverified", "submitted", "returned", "resubmitted"])
def test_start_is_refused_until_verified(selection_round, status):
    enterprise = EnterpriseFactory(region=region("330100"), verification_status=status)
    with pytest.raises(DomainError, match="尚未通过企业认证"):
        app_services.start_application(
            actor=enterprise_user(enterprise), enterprise=enterprise,
            selection_round=selection_round,
        )  # fmt: skip
    assert not Application.objects.exists()


def test_submit_is_refused_when_verification_was_withdrawn(selection_round):
    application, member = ready_application(selection_round)
    Enterprise.objects.filter(pk=application.enterprise_id).update(verification_status="returned")
    with pytest.raises(DomainError, match="尚未通过企业认证"):
        app_services.submit_application(application, actor=member, declaration=True)
    application.refresh_from_db()
    assert application.status == "draft"


def test_verified_enterprise_still_applies_and_submits(selection_round):
    application, member = ready_application(selection_round)
    submitted = app_services.submit_application(application, actor=member, declaration=True)
    assert submitted.status == "submitted"


def test_page_says_why_and_offers_no_start_button(selection_round, client):
    enterprise = EnterpriseFactory(region=region("330100"), verification_status="unverified")
    client.force_login(enterprise_user(enterprise))
    body = client.get(reverse("selection:index")).content.decode()
    assert "认证通过前不能申报遴选" in body
    assert reverse("registry:verification", args=[enterprise.pk]) in body
    assert reverse("selection:application-start", args=[selection_round.pk]) not in body
    response = client.post(
        reverse("selection:application-start", args=[selection_round.pk]), follow=True
    )
    assert "尚未通过企业认证" in response.content.decode()
    assert not Application.objects.exists()


def test_page_of_a_verified_enterprise_offers_the_start_button(selection_round, client):
    client.force_login(enterprise_user(EnterpriseFactory(region=region("330100"))))
    body = client.get(reverse("selection:index")).content.decode()
    assert reverse("selection:application-start", args=[selection_round.pk]) in body
    assert "认证通过前不能申报遴选" not in body
