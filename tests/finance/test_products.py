"""Product management by its institution: edit (audited, the eligibility written with the
shared condition builder, refusals as messages), take off sale and back on (confirmed on
the page), and the same through the API, scoped (another institution's product 404,
other roles 403)."""

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from audit.models import AuditEvent
from config.constraint_messages import message_for
from config.errors import DomainError
from finance.services.institutions import update_product
from tests.factories import UserFactory
from tests.finance.factories import institution_user, loan, world

pytestmark = pytest.mark.django_db

PATENTS = {"all": [{"field": "invention_patents", "op": "gte", "value": 1}]}


def form_data(product, **extra):
    data = {
        "name": product.name, "kind": product.kind, "min_amount": "1000000",
        "max_amount": "10000000", "min_rate": "3.20", "max_rate": "4.50",
        "min_term_months": "12", "max_term_months": "36", "description": "",
        "elig-g0-join": "all",
        "elig-rab12-group": "0", "elig-rab12-field": "invention_patents",
        "elig-rab12-op": "gte", "elig-rab12-value": "1",
    }  # fmt: skip
    return {**data, **extra}


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_update_is_audited_with_the_changed_fields_only():
    w = world()
    product = loan(w)
    updated = update_product(product, actor=w.banker, max_amount=Decimal("20000000"),
                             conditions=PATENTS)  # fmt: skip
    assert (updated.max_amount, updated.conditions) == (Decimal("20000000"), PATENTS)
    event = AuditEvent.objects.get(action="financial_product.updated")
    assert set(event.after) == {"max_amount", "conditions"}
    assert event.before["conditions"] is None


def test_update_refusals():
    w = world()
    product = loan(w)
    _other, other_user = institution_user()
    with pytest.raises(DomainError, match="只有该机构的账户"):
        update_product(product, actor=other_user, name="改名")
    with pytest.raises(DomainError) as refused:
        update_product(product, actor=w.banker, min_amount=Decimal("50000000"))
    assert refused.value.field == "min_amount"
    with pytest.raises(DomainError) as refused:
        update_product(product, actor=w.banker, name=loan(w).name)
    assert refused.value.field == "name"
    with pytest.raises(DomainError, match="is_active"):
        update_product(product, actor=w.banker, is_active=False)


def test_edit_page_writes_the_eligibility_with_the_builder(client):
    w = world()
    product = loan(w)
    client.force_login(w.banker)
    page = client.get(reverse("finance:product-edit", args=[product.pk]))
    assert 'data-testid="product-conditions"' in page.text
    response = client.post(reverse("finance:product-edit", args=[product.pk]), form_data(product))
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.conditions == {
        "all": [{"field": "invention_patents", "op": "gte", "value": "1"}]
    }
    # Shown again in the builder, not in the JSON box.
    page = client.get(reverse("finance:product-edit", args=[product.pk]))
    assert 'value="invention_patents" selected' in page.text


def test_edit_page_refusals_are_messages_beside_the_fields(client):
    w = world()
    product = loan(w)
    client.force_login(w.banker)
    url = reverse("finance:product-edit", args=[product.pk])
    bad_field = client.post(url, form_data(product, **{"elig-rab12-field": "nonsense"}))
    assert bad_field.status_code == 200 and "未知字段“nonsense”" in bad_field.text
    bad_range = client.post(url, form_data(product, min_amount="90000000"))
    assert bad_range.status_code == 200
    assert str(message_for("finance_product_amount_range")) in bad_range.text
    product.refresh_from_db()
    assert product.conditions is None and product.min_amount == Decimal("1000000")


def test_deactivate_and_reactivate_on_the_page_with_confirmation(client):
    w = world()
    product = loan(w)
    client.force_login(w.banker)
    listing = client.get(reverse("finance:product-list")).text
    assert reverse("finance:product-act", args=[product.pk, "deactivate"]) in listing
    assert "data-confirm=" in listing
    client.post(reverse("finance:product-act", args=[product.pk, "deactivate"]))
    product.refresh_from_db()
    assert not product.is_active
    assert "已下架" in client.get(reverse("finance:product-list")).text
    client.post(reverse("finance:product-act", args=[product.pk, "reactivate"]))
    product.refresh_from_db()
    assert product.is_active
    assert AuditEvent.objects.filter(action="financial_product.updated").count() == 2


def test_pages_refuse_everyone_but_the_institution(client):
    w = world()
    product = loan(w)
    _other, other_user = institution_user()
    for user, code in ((other_user, 404), (w.member, 403), (w.staff, 403),
                       (UserFactory(role="panelist"), 403)):  # fmt: skip
        client.force_login(user)
        assert client.get(reverse("finance:product-edit", args=[product.pk])).status_code == code
        act = client.post(reverse("finance:product-act", args=[product.pk, "deactivate"]))
        assert act.status_code == code
    product.refresh_from_db()
    assert product.is_active


def test_api_patch_and_deactivate_scoped():
    w = world()
    product = loan(w)
    _other, other_user = institution_user()
    url = f"/api/v1/financial-products/{product.pk}/"
    response = _api(w.banker).patch(url, {"conditions": PATENTS, "name": "新名称"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["conditions"] == PATENTS and response.json()["name"] == "新名称"
    bad = _api(w.banker).patch(url, {"conditions": {"all": [{"field": "x"}]}}, format="json")
    assert bad.status_code == 400
    assert _api(other_user).patch(url, {"name": "x"}, format="json").status_code == 404
    assert _api(w.member).patch(url, {"name": "x"}, format="json").status_code == 403
    assert _api(w.staff).post(f"{url}deactivate/").status_code == 403
    assert _api(other_user).post(f"{url}deactivate/").status_code == 404
    off = _api(w.banker).post(f"{url}deactivate/")
    assert off.status_code == 200 and off.json()["is_active"] is False
    assert _api(w.member).get(url).status_code == 404  # off sale: enterprises no longer see it
    assert _api(w.banker).post(f"{url}reactivate/").json()["is_active"] is True
    assert _api(w.banker).put(url, {}, format="json").status_code == 405
