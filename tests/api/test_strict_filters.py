"""List filters and pagination refuse what they cannot use (config.filters,
config.pagination): a 400 naming the parameter, never the whole list in silence."""

import django_filters
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import get_resolver
from rest_framework.test import APIClient

from config.api_urls import router
from config.filters import IdFilter, IntegerFilter, StrictFilterBackend, StrictFilterSet
from registry.models import AnnualReport
from tests.factories import (
    AdminUserFactory,
    AnnualReportFactory,
    BureauUserFactory,
    EnterpriseFactory,
    region,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    client = APIClient()
    client.force_authenticate(AdminUserFactory())
    return client


@pytest.mark.parametrize(
    ("address", "parameter"),
    [
        ("/api/v1/adjustment-proposals/?year=0.5", "year"),
        ("/api/v1/adjustment-proposals/?year=abc", "year"),
        ("/api/v1/annual-reports/?year=99999999999999999999", "year"),
        ("/api/v1/annual-reports/?enterprise=abc", "enterprise"),
        ("/api/v1/annual-reports/?enterprise=0", "enterprise"),
        ("/api/v1/annual-reports/?status=lost", "status"),
        ("/api/v1/data-resources/?enterprise=1.5", "enterprise"),
        ("/api/v1/policy-grants/?policy=x", "policy"),
        ("/api/v1/policy-grants/?overdue=maybe", "overdue"),
        ("/api/v1/enterprises/?tier=golden", "tier"),
        ("/api/v1/enterprises/?ordering=salary", "ordering"),
        ("/api/v1/rounds/?status=over", "status"),
        ("/api/v1/score-sheets/?round=r", "round"),
        ("/api/v1/notifications/?page_size=0", "page_size"),
        ("/api/v1/adjustment-runs/?page_size=101", "page_size"),
        ("/api/v1/transfer-requests/?page_size=ten", "page_size"),
        # An empty choice is the page form's "全部"; an API client leaves the parameter out.
        ("/api/v1/follow-ups/?kind=", "kind"),
        ("/api/v1/enterprises/?industry=", "industry"),
    ],
)
def test_list_filter_with_an_unusable_value_is_a_400_naming_it(api, address, parameter):
    response = api.get(address)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["detail"] == "提交的数据有误，请检查各字段。"
    assert list(body["errors"]) == [parameter]
    assert body["errors"][parameter][0]


def test_an_unknown_id_filters_to_nothing_like_an_id_out_of_view(api):
    report = AnnualReportFactory()
    unknown = api.get("/api/v1/annual-reports/?enterprise=999999")
    assert (unknown.status_code, unknown.json()["results"]) == (200, [])
    found = api.get(f"/api/v1/annual-reports/?enterprise={report.enterprise_id}&year={report.year}")
    assert [row["id"] for row in found.json()["results"]] == [report.pk]


def test_an_id_out_of_view_answers_as_an_unknown_one():
    outside = AnnualReportFactory(enterprise=EnterpriseFactory(region=region("110000")))
    api = APIClient()
    api.force_authenticate(BureauUserFactory(region=region("330000")))
    seen = api.get(f"/api/v1/annual-reports/?enterprise={outside.enterprise_id}")
    unknown = api.get("/api/v1/annual-reports/?enterprise=999999")
    assert (seen.status_code, seen.json()) == (unknown.status_code, unknown.json())
    assert seen.json()["results"] == []


@pytest.mark.parametrize(("value", "shown"), [("true", 0), ("1", 0), ("false", 0), ("", 0)])
def test_boolean_filter_takes_true_false_one_zero_or_nothing(api, value, shown):
    response = api.get(f"/api/v1/policy-grants/?overdue={value}")
    assert (response.status_code, response.json()["count"]) == (200, shown)


def test_page_size_within_bounds_is_honoured(api):
    AnnualReportFactory.create_batch(3)
    response = api.get("/api/v1/annual-reports/?page_size=2")
    assert (response.status_code, len(response.json()["results"])) == (200, 2)


def test_every_api_filterset_is_strict():
    """Declared and generated FilterSets alike: the backend builds from StrictFilterSet."""
    backend = StrictFilterBackend()
    checked = 0
    for _prefix, viewset, _basename in router.registry:
        view = viewset()
        view.request, view.format_kwarg, view.kwargs, view.action = None, None, {}, "list"
        if not (getattr(view, "filterset_class", None) or getattr(view, "filterset_fields", None)):
            continue
        view.request = type("Request", (), {"user": AdminUserFactory.build()})()
        declared = getattr(view, "filterset_class", None)
        model = declared._meta.model if declared else view.get_queryset().model
        queryset = model._default_manager.none()
        filterset = backend.get_filterset_class(view, queryset)
        assert issubclass(filterset, StrictFilterSet), viewset.__name__
        for name, declared in filterset.base_filters.items():
            assert type(declared) is not django_filters.NumberFilter, (viewset.__name__, name)
            assert not isinstance(declared, django_filters.ModelChoiceFilter), (
                viewset.__name__,
                name,
            )
        checked += 1
    assert checked >= 10


def test_backend_refuses_a_filterset_that_is_not_strict():
    class Lenient(django_filters.FilterSet):
        class Meta:
            model = AnnualReport
            fields = ["year"]

    class View:
        filterset_class = Lenient

    with pytest.raises(ImproperlyConfigured, match="StrictFilterSet"):
        StrictFilterBackend().get_filterset_class(View(), AnnualReport.objects.none())


def test_generated_filters_for_integers_and_relations_are_integer_filters():
    class Reports(StrictFilterSet):
        class Meta:
            model = AnnualReport
            fields = ["year", "enterprise"]

    assert type(Reports.base_filters["year"]) is IntegerFilter
    assert type(Reports.base_filters["enterprise"]) is IdFilter


def test_schema_documents_filter_types_and_bounds():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator(patterns=get_resolver().url_patterns).get_schema(public=True)
    parameters = {
        p["name"]: p["schema"]
        for p in schema["paths"]["/api/v1/annual-reports/"]["get"]["parameters"]
    }
    assert parameters["enterprise"] == {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}
    assert parameters["year"]["type"] == "integer"
    assert parameters["page_size"] == {"type": "integer", "minimum": 1, "maximum": 100}
    grants = schema["paths"]["/api/v1/policy-grants/"]["get"]["parameters"]
    assert {p["name"]: p["schema"] for p in grants}["overdue"] == {"type": "boolean"}
