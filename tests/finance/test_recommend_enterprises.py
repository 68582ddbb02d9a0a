"""Staff recommend registry enterprises (not needs) to institutions: search by tier,
region and label, one batch with a note; the institution sees the profile summary and the
credit score with its factors of those enterprises only (any other: 404, page and API)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from audit.models import AuditEvent
from config.errors import DomainError
from finance.models import EnterpriseShare
from finance.scoring import DEFAULT_GRADES, VOUCHER_AWARD_FACTORS
from finance.selectors import latest_score
from finance.services import scoring
from finance.services.needs import recommend_enterprises
from notifications.models import Notification
from tests.factories import AdminUserFactory, EnterpriseFactory, registry_enterprise
from tests.finance.factories import institution_user, world
from tests.query_budget import queries_of_get

pytestmark = pytest.mark.django_db


def recommended(w, *enterprises, note="数据要素优质企业，建议对接。"):
    return recommend_enterprises(
        actor=w.staff, enterprises=enterprises or [w.enterprise], institutions=[w.bank], note=note
    )


def scored(*enterprises):
    scoring.publish_scorecard(actor=AdminUserFactory(), name="v2",
                              factors=VOUCHER_AWARD_FACTORS, grades=DEFAULT_GRADES)  # fmt: skip
    for enterprise in enterprises:
        scoring.score_enterprise(enterprise)


def test_batch_shares_audits_and_tells_the_institution():
    w = world("330100")
    batch = recommended(w)
    assert EnterpriseShare.objects.get().recommendation == batch
    event = AuditEvent.objects.get(action="recommendation.created")
    assert event.after == {"enterprises": [w.enterprise.pk], "institutions": [w.bank.pk]}
    assert Notification.objects.filter(recipient=w.banker, body=batch.note).exists()
    recommended(w, note="再次推荐")  # the same pair again: no second share
    assert EnterpriseShare.objects.count() == 1


def test_refusals():
    w = world("330100")
    elsewhere = registry_enterprise("110000")
    with pytest.raises(DomainError, match="本辖区"):
        recommended(w, elsewhere)
    with pytest.raises(DomainError, match="不在培育库中"):
        recommended(w, EnterpriseFactory(region=w.enterprise.region))
    with pytest.raises(DomainError, match="说明"):
        recommended(w, note="  ")
    waiting, _user = institution_user(approved=False)
    with pytest.raises(DomainError, match="已批准"):
        recommend_enterprises(actor=w.staff, enterprises=[w.enterprise], institutions=[waiting],
                              note="x")  # fmt: skip
    with pytest.raises(DomainError):
        recommend_enterprises(actor=w.member, enterprises=[w.enterprise], institutions=[w.bank],
                              note="x")  # fmt: skip
    assert not EnterpriseShare.objects.exists()


def test_institution_sees_the_recommended_enterprise_and_its_score_only(client):
    w = world("330100")
    other = registry_enterprise("330100")
    scored(w.enterprise, other)
    recommended(w)
    client.force_login(w.banker)
    listing = client.get(reverse("finance:enterprise-list")).text
    assert w.enterprise.name in listing and other.name not in listing
    page = client.get(reverse("finance:enterprise-detail", args=[w.enterprise.pk])).text
    assert 'data-testid="enterprise-summary"' in page and 'data-testid="credit-score"' in page
    assert "数据/算力券与揭榜奖励（项）" in page and "数据要素优质企业" in page
    assert client.get(reverse("finance:enterprise-detail", args=[other.pk])).status_code == 404
    api = APIClient()
    api.force_authenticate(w.banker)
    ids = [row["enterprise"] for row in api.get("/api/v1/credit-scores/").json()["results"]]
    assert ids == [w.enterprise.pk]
    other_score = latest_score(other)
    assert api.get(f"/api/v1/credit-scores/{other_score.pk}/").status_code == 404
    # Another institution sees neither.
    _bank, stranger = institution_user()
    client.force_login(stranger)
    assert (
        client.get(reverse("finance:enterprise-detail", args=[w.enterprise.pk])).status_code == 404
    )


def test_the_list_costs_the_same_queries_for_one_or_many(client):
    w = world("330100")
    scored(w.enterprise)
    recommended(w)
    client.force_login(w.banker)
    one = queries_of_get(client, reverse("finance:enterprise-list"))
    many = [registry_enterprise("330100") for _ in range(5)]
    scored(*many)
    recommended(w, *many)
    assert queries_of_get(client, reverse("finance:enterprise-list")) == one


def test_staff_search_by_tier_then_recommend_on_the_page(client):
    w = world("330100")
    leading = registry_enterprise("330100", tier="leading", name="领军数智科技有限公司")
    client.force_login(w.staff)
    url = reverse("finance:enterprise-recommend")
    page = client.get(url, {"tier": "leading"}).text
    assert leading.name in page and w.enterprise.name not in page
    bad = client.get(url, {"tier": "nonsense"})
    assert bad.status_code == 200 and 'data-testid="filter-errors"' in bad.text
    assert leading.name in bad.text and w.enterprise.name in bad.text  # only that value ignored
    response = client.post(url, {"enterprises": [leading.pk], "institutions": [w.bank.pk],
                                 "note": "领军企业，建议授信。"})  # fmt: skip
    assert response.status_code == 302
    assert EnterpriseShare.objects.get().enterprise == leading
    refused = client.post(url, {"enterprises": [leading.pk], "institutions": [w.bank.pk],
                                "note": ""})  # fmt: skip
    assert refused.status_code == 200


def test_api_recommend_enterprises_scoped():
    w = world("330100")
    api = APIClient()
    api.force_authenticate(w.staff)
    body = {"enterprises": [w.enterprise.pk], "institutions": [w.bank.pk], "note": "推荐"}
    assert api.post("/api/v1/recommendations/enterprises/", body, format="json").status_code == 201
    elsewhere = registry_enterprise("110000")
    body["enterprises"] = [elsewhere.pk]
    assert api.post("/api/v1/recommendations/enterprises/", body, format="json").status_code == 404
    api.force_authenticate(w.banker)
    assert api.post("/api/v1/recommendations/enterprises/", body, format="json").status_code == 403
