"""The voucher programme statement PDF: the budget, reserved and spent, the ledger check,
per provider and per enterprise; for staff who see the programme only."""

import pytest
from django.urls import reverse

from tests.factories import BureauUserFactory, UserFactory, region
from tests.reports.helpers import pdf_text, response_bytes
from tests.vouchers.factories import file_claim, issue, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    w = world("330100", enterprise_region="330100")
    file_claim(w, issue(w, amount="100000"), "5000")
    return w


def url(w):
    return reverse("reports:program-statement-pdf", args=[w.program.pk])


def test_statement_holds_budget_parties_and_the_ledger_check(client, w):
    client.force_login(w.staff)

    response = client.get(url(w))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response_bytes(response)).replace(" ", "")
    assert "券种计划结算报告" in text
    assert w.program.name.replace(" ", "") in text
    assert w.provider.organisation.name in text
    assert w.enterprise.name in text
    assert "20,000.00" in text  # the voucher granted (the programme's contract cap)
    assert "一致" in text and "不一致" not in text


def test_staff_above_may_read_it(client, w):
    client.force_login(BureauUserFactory(region=region("330000")))
    assert client.get(url(w)).status_code == 200


@pytest.mark.parametrize("code", ["330200", "310000"])
def test_staff_of_another_city_or_province_get_404(client, w, code):
    client.force_login(BureauUserFactory(region=region(code)))
    assert client.get(url(w)).status_code == 404


def test_the_parties_and_other_roles_get_403(client, w):
    for user in (w.member, w.provider_user, UserFactory(role="institution")):
        client.force_login(user)
        assert client.get(url(w)).status_code == 403
