"""The finance pages per role: the flow through the pages (publish, offer, accept, fund),
refusals (403 for roles outside the flow, 404 for a need not shared), the dashboard, the
score page, the listing pipeline, and query counts that do not grow with rows."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from finance.models import FinancingNeed, ListingCase, NeedStatus, Offer, OfferStatus
from finance.scoring import DEFAULT_FACTORS, DEFAULT_GRADES
from finance.services import scoring
from registry.models import FinancingReceipt
from tests.factories import AdminUserFactory, BureauUserFactory, UserFactory, region
from tests.finance.factories import institution_user, need, need_values, offer, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return world()


def _get(client, user, name, *args, **params):
    client.force_login(user)
    return client.get(reverse(name, args=args), params)


def test_overview_renders_for_each_party(client, w):
    n = need(w)
    offer(w, n)
    assert "finance-dashboard" in _get(client, w.staff, "finance:overview").text
    page = _get(client, w.member, "finance:overview")
    assert 'data-testid="offers-waiting">1<' in page.text
    page = _get(client, w.banker, "finance:overview")
    assert 'data-testid="shared-open">1<' in page.text


def test_roles_outside_the_flow_refused(client, w):
    for role in ("panelist", "provider", "publisher"):
        assert _get(client, UserFactory(role=role), "finance:overview").status_code == 403
    assert _get(client, w.member, "finance:institution-list").status_code == 403
    assert _get(client, w.banker, "finance:recommend").status_code == 403


def test_unshared_need_is_404_for_an_institution(client, w):
    n = need(w, publish=False, audience="named")
    other, _user = institution_user()
    from finance.services.needs import name_institutions, publish_need

    name_institutions(n, actor=w.member, institutions=[other])
    publish_need(n, actor=w.member)
    assert _get(client, w.banker, "finance:need-detail", n.pk).status_code == 404
    assert _get(client, w.banker, "finance:offer-create", n.pk).status_code == 404
    assert n.title not in _get(client, w.banker, "finance:need-list").text
    assert _get(client, _user, "finance:need-detail", n.pk).status_code == 200


def test_enterprise_creates_and_publishes_through_pages(client, w):
    client.force_login(w.member)
    values = need_values()
    data = {**values, "needed_by": values["needed_by"].isoformat(), "audience": "all"}
    response = client.post(reverse("finance:need-create"), data)
    n = FinancingNeed.objects.get()
    assert response.status_code == 302 and n.status == NeedStatus.DRAFT
    client.post(reverse("finance:need-act", args=[n.pk, "publish"]))
    n.refresh_from_db()
    assert n.status == NeedStatus.PUBLISHED


def test_need_form_shows_refusal_beside_field(client, w):
    client.force_login(w.member)
    data = {**need_values(), "amount": "0", "needed_by": "2030-01-01", "audience": "all"}
    response = client.post(reverse("finance:need-create"), data)
    assert response.status_code == 200
    assert "拟融资金额应大于 0。" in response.text
    assert not FinancingNeed.objects.exists()


def test_offer_accept_and_fund_through_pages(client, w):
    n = need(w)
    client.force_login(w.banker)
    response = client.post(
        reverse("finance:offer-create", args=[n.pk]),
        {"amount": "3000000", "rate": "3.65", "term_months": "12", "note": ""},
    )
    assert response.status_code == 302
    o = Offer.objects.get()
    client.force_login(w.member)
    page = client.get(reverse("finance:need-detail", args=[n.pk]))
    assert "matches" in page.text or page.status_code == 200
    client.post(reverse("finance:offer-act", args=[o.pk, "accept"]))
    o.refresh_from_db()
    assert o.status == OfferStatus.ACCEPTED
    client.force_login(w.banker)
    assert client.post(reverse("finance:offer-act", args=[o.pk, "accept"])).status_code == 403
    client.post(
        reverse("finance:offer-act", args=[o.pk, "fund"]),
        {"amount": "3000000", "funded_on": timezone.localdate().isoformat()},
    )
    o.refresh_from_db()
    assert o.status == OfferStatus.FUNDED
    assert FinancingReceipt.objects.get().amount == Decimal("3000000.00")
    page = _get(client, w.member, "finance:overview")
    assert "3,000,000.00" in page.text


def test_matching_reasons_on_the_need_page(client, w):
    from tests.finance.factories import loan

    loan(w, name="数据资产质押贷甲")
    n = need(w, has_data_assets=True)
    page = _get(client, w.member, "finance:need-detail", n.pk)
    assert "数据资产质押贷甲" in page.text
    assert "金额 500 万元，产品范围 100–1,000 万元（满足）" in page.text


def test_staff_dashboard_sought_vs_obtained(client, w):
    n = need(w)
    o = offer(w, n)
    from finance.services.talks import accept_offer, record_funding

    accept_offer(o, actor=w.member)
    record_funding(o, actor=w.banker, amount=Decimal("4000000"), funded_on=timezone.localdate())
    page = _get(client, BureauUserFactory(region=region("330000")), "finance:overview")
    assert "杭州市" in page.text
    assert "5,000,000.00" in page.text and "4,000,000.00" in page.text


def test_score_page_shows_factors_and_what_raises_most(client, w):
    scoring.publish_scorecard(
        actor=AdminUserFactory(), name="默认", factors=DEFAULT_FACTORS, grades=DEFAULT_GRADES
    )
    scoring.score_enterprise(w.enterprise)
    page = _get(client, w.member, "finance:my-score")
    assert 'data-testid="raise-most"' in page.text
    assert "研发投入强度" in page.text
    n = need(w)
    assert 'data-testid="credit-score"' in _get(client, w.banker, "finance:need-detail", n.pk).text


def test_listing_pipeline_to_listed_sets_listing_status(client, w):
    client.force_login(w.staff)
    client.post(
        reverse("finance:listing-create"),
        {"enterprise": w.enterprise.pk, "target_board": "star", "adviser": "某证券", "notes": ""},
    )
    case = ListingCase.objects.get()
    for _ in range(3):
        client.post(reverse("finance:listing-advance", args=[case.pk]))
    client.post(
        reverse("finance:listing-advance", args=[case.pk]),
        {"listed_on": (timezone.localdate() - datetime.timedelta(days=1)).isoformat()},
    )
    case.refresh_from_db()
    w.enterprise.refresh_from_db()
    assert (case.stage, w.enterprise.listing_status) == ("listed", "star")
    assert _get(client, w.staff, "finance:listing-list").status_code == 200


def _count(client, user, name):
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse(name)).status_code == 200
    return len(ctx)


def test_list_query_counts_do_not_grow_with_rows(client, w):
    from tests.finance.factories import loan

    n = need(w)
    offer(w, n)
    loan(w)
    users = (w.staff, w.member, w.banker)
    names = ("finance:need-list", "finance:product-list", "finance:overview",
             "finance:institution-list", "finance:listing-list")  # fmt: skip
    allowed = {(u.pk, name) for u in users for name in names} - {
        (w.member.pk, "finance:institution-list"),
        (w.member.pk, "finance:listing-list"),
        (w.banker.pk, "finance:listing-list"),
    }
    one = {key: _count(client, *_user_name(users, key)) for key in sorted(allowed)}
    for _ in range(25):
        offer(w, need(w))
        loan(w)
        institution_user()
    many = {key: _count(client, *_user_name(users, key)) for key in sorted(allowed)}
    assert FinancingNeed.objects.count() == 26
    assert many == one


def _user_name(users, key):
    return next(u for u in users if u.pk == key[0]), key[1]


def test_scorecards_page_shows_bands_and_runs_the_job(
    client, w, django_capture_on_commit_callbacks
):
    national = BureauUserFactory(region=region("000000"))
    scoring.publish_scorecard(
        actor=national, name="默认", factors=DEFAULT_FACTORS, grades=DEFAULT_GRADES
    )
    page = _get(client, w.staff, "finance:scorecards")
    assert "领军型 → 100" in page.text and "≥10 → 100" in page.text
    assert client.post(reverse("finance:score-run")).status_code == 403
    client.force_login(national)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("finance:score-run"))
    assert 'aria-valuenow="100"' in _get(client, national, "finance:scorecards").text
