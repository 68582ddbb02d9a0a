"""Version 2 of the scorecard: vouchers granted and scenario awards won (数据/算力券与揭榜
奖励) — band edges, the value read through the registry's selectors, versioning, and the
enterprise's "what would raise it most"."""

from decimal import Decimal

import pytest
from django.urls import reverse

from finance.models import CreditScore
from finance.scoring import DEFAULT_FACTORS, DEFAULT_GRADES, VOUCHER_AWARD_FACTORS, score
from finance.services import scoring as services
from tests.factories import AdminUserFactory, enterprise_user, registry_enterprise
from tests.vouchers.factories import issue, world

REWARDS = next(f for f in VOUCHER_AWARD_FACTORS if f["key"] == "vouchers_awards")


@pytest.mark.parametrize(
    "count,points", [(0, 0), (1, 60), (2, 60), (3, 100), (7, 100)]
)  # both sides of each edge (1 and 3)
def test_reward_band_edges(count, points):
    _t, _g, rows = score([REWARDS], DEFAULT_GRADES, {"vouchers_awards": count})
    assert rows[0]["points"] == points
    assert Decimal(rows[0]["contribution"]) == Decimal(points) / 10  # weight 10 %


def test_version_2_weights_sum_to_100_and_keep_the_other_bands():
    assert services.validate_factors(VOUCHER_AWARD_FACTORS, DEFAULT_GRADES) == []
    weights = {f["key"]: f["weight"] for f in VOUCHER_AWARD_FACTORS}
    assert (weights["tier"], weights["revenue_growth"], weights["vouchers_awards"]) == (10, 10, 10)


@pytest.mark.django_db
def test_a_granted_voucher_counts_and_version_1_scores_keep_their_version(client):
    w = world("110000")
    w.enterprise = registry_enterprise("110000")
    w.member = enterprise_user(w.enterprise)
    admin = AdminUserFactory()
    v1 = services.publish_scorecard(
        actor=admin, name="默认", factors=DEFAULT_FACTORS, grades=DEFAULT_GRADES
    )
    first = services.score_enterprise(w.enterprise)
    assert "vouchers_awards" not in {c["factor"] for c in first.contributions}

    v2 = services.publish_scorecard(
        actor=admin, name="含券与奖励", factors=VOUCHER_AWARD_FACTORS, grades=DEFAULT_GRADES
    )
    none_yet = services.score_enterprise(w.enterprise)
    rewards = {c["factor"]: c for c in none_yet.contributions}["vouchers_awards"]
    assert (rewards["value"], rewards["points"]) == ("0", 0)
    client.force_login(w.member)
    page = client.get(reverse("finance:my-score")).content.decode()
    steps = page.split('data-testid="raise-most"')[1]
    assert "数据/算力券与揭榜奖励（项） 达到 1：总分可提高 6.00 分" in steps

    issue(w, amount="100000")
    granted = services.score_enterprise(w.enterprise)
    rewards = {c["factor"]: c for c in granted.contributions}["vouchers_awards"]
    assert (rewards["value"], rewards["points"], rewards["contribution"]) == ("1", 60, "6.00")
    assert granted.scorecard == v2 and granted.total == none_yet.total + 6
    kept = CreditScore.objects.get(pk=first.pk)
    assert (kept.scorecard, kept.total, kept.contributions) == (
        v1, first.total, first.contributions,
    )  # fmt: skip
