"""Every database constraint has a sentence a person understands, in both languages, and
no raw constraint name reaches a page or an API answer."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.db import IntegrityError, transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from config.constraint_messages import CONSTRAINT_MESSAGES, describe_violation
from config.constraint_middleware import ConstraintViolationMiddleware
from policies.models import Policy
from registry.forms import ReportForm
from selection.choices import RoundStatus
from selection.forms import FiguresForm
from tests.factories import BureauUserFactory, PolicyFactory, region
from tests.selection.helpers import make_round


def _constraints():
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            yield model, constraint


def test_every_constraint_has_a_sentence_and_real_fields():
    names = set()
    for model, constraint in _constraints():
        names.add(constraint.name)
        assert constraint.name in CONSTRAINT_MESSAGES, f"no sentence for {constraint.name}"
        fields = {f.name for f in model._meta.get_fields()}
        entry = CONSTRAINT_MESSAGES[constraint.name]
        assert set(entry.fields) <= fields, f"{constraint.name}: {entry.fields} not on {model}"
    assert set(CONSTRAINT_MESSAGES) == names  # no sentence for a constraint that is gone


def test_every_constraint_carries_its_sentence_and_code():
    for _model, constraint in _constraints():
        assert constraint.violation_error_code == constraint.name
        assert constraint.violation_error_message == CONSTRAINT_MESSAGES[constraint.name].message


def test_every_sentence_is_translated_to_english():
    with translation.override("zh-hans"):
        chinese = {name: str(entry.message) for name, entry in CONSTRAINT_MESSAGES.items()}
    with translation.override("en"):
        untranslated = [n for n, e in CONSTRAINT_MESSAGES.items() if str(e.message) == chinese[n]]
    assert untranslated == []


@pytest.mark.django_db
def test_round_form_shows_the_weights_sentence_beside_the_field(client):
    selection_round = make_round(status=RoundStatus.DRAFT)
    client.force_login(selection_round.created_by)
    url = reverse("selection:round-edit", args=[selection_round.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items() if v is not False}
    data.update(indicator_weight="50", panel_weight="60")
    for name in ("application_opens_at", "application_closes_at"):
        data[name] = getattr(selection_round, name).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["panel_weight"] == ["指标得分权重与专家评分权重不能为负数，且二者之和应为 100。"]
    assert "round_weights_sum_to_100" not in response.content.decode()
    selection_round.refresh_from_db()
    assert (selection_round.indicator_weight, selection_round.panel_weight) == (40, 60)


def _figures(**overrides):
    values = {
        "revenue": "1000000",
        "main_business_revenue": "900000",
        "rd_expense": "100000",
        "rd_staff": 10,
        "employees": 50,
        "invention_patents": 1,
        "software_copyrights": 1,
        "debt_ratio": "30",
        "financing_raised": "0",
        "valuation": "",
    }
    return {**values, **overrides}


@pytest.mark.django_db
def test_figures_form_puts_the_non_negative_sentence_beside_each_negative_field():
    form = FiguresForm(_figures(rd_expense="-5", financing_raised="-1"), year=2025)
    assert not form.is_valid()
    assert form.errors["rd_expense"] == ["金额和资产负债率不能为负数。"]
    assert form.errors["financing_raised"] == ["金额和资产负债率不能为负数。"]
    assert "revenue" not in form.errors
    assert "figures_non_negative" not in str(form.errors)


@pytest.mark.django_db
def test_figures_form_in_english_says_it_in_english():
    with translation.override("en"):
        form = FiguresForm(_figures(main_business_revenue="2000000"), year=2025)
        assert not form.is_valid()
        message = form.errors["main_business_revenue"][0]
    assert "figures_main_business_within_revenue" not in message
    assert message != "主营业务收入不能超过营业收入。"


@pytest.mark.django_db
def test_report_form_puts_the_main_business_sentence_beside_the_field():
    data = {
        "revenue": "1000000",
        "main_business_revenue": "2000000",
        "rd_expense": "10",
        "employees": 10,
        "rd_staff": 2,
        "financing_this_year": "0",
        "cumulative_financing": "0",
        "overseas_revenue": "0",
    }
    form = ReportForm(data)
    form.is_valid()
    assert form.errors["main_business_revenue"] == ["主营业务收入不能超过营业收入。"]
    assert "report_main_business_within_revenue" not in str(form.errors)


@pytest.mark.django_db
def test_api_answers_a_constraint_violation_with_its_sentence_not_a_500():
    bureau = BureauUserFactory(region=region("330000"))
    api = APIClient(raise_request_exception=False)
    api.force_authenticate(bureau)
    body = {
        "title": "算力券",
        "department": "浙江省数据局",
        "kind": "subsidy",
        "mode": "auto",
        "benefit": "补贴",
        "benefit_amount": "-100.00",
        "jurisdiction": "330000",
        "valid_from": "2026-01-01",
        "valid_until": "2027-12-31",
        "beneficiary": "入库企业",
        "contact": "0571",
        "conditions": {"all": [{"field": "employees", "op": "gte", "value": 50}]},
    }
    response = api.post("/api/v1/policies/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "支持金额不能为负数。",
        "errors": {"benefit_amount": ["支持金额不能为负数。"]},
    }
    assert not Policy.objects.filter(title="算力券").exists()


def _violating_policy_error():
    policy = PolicyFactory(created_by=BureauUserFactory(region=region("330000")))
    try:
        with transaction.atomic():
            Policy.objects.filter(pk=policy.pk).update(
                valid_until=policy.valid_from - datetime.timedelta(days=1)
            )
    except IntegrityError as exc:
        return exc
    raise AssertionError("the database accepted a policy that ends before it starts")


@pytest.mark.django_db
def test_describe_violation_names_the_constraint_of_a_real_integrity_error():
    name, entry = describe_violation(_violating_policy_error())
    assert name == "policy_validity_ordered"
    assert entry.fields == ("valid_until",)


@pytest.mark.django_db
def test_page_safety_net_turns_an_integrity_error_into_the_sentence():
    error = _violating_policy_error()
    request = RequestFactory().post("/policies/7/edit/?tab=rules")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    response = ConstraintViolationMiddleware(lambda r: None).process_exception(request, error)
    assert response.status_code == 302
    assert response.url == "/policies/7/edit/?tab=rules"
    assert [str(m) for m in get_messages(request)] == ["有效期截止日期不能早于开始日期。"]


@pytest.mark.django_db
def test_page_safety_net_leaves_unknown_errors_alone():
    request = RequestFactory().get("/")
    middleware = ConstraintViolationMiddleware(lambda r: None)
    assert middleware.process_exception(request, IntegrityError("disk full")) is None
    assert middleware.process_exception(request, ValueError("x")) is None


@pytest.mark.django_db
def test_figures_sentence_not_negative_uses_decimals():
    # A guard for the mapping itself: a non-negative entry places by value, so its fields
    # must be numbers on the form.
    form = FiguresForm(_figures(debt_ratio=str(Decimal("-0.01"))), year=2025)
    assert not form.is_valid()
    assert list(form.errors) == ["debt_ratio"]
