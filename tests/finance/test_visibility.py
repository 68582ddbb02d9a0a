"""Who sees which need: an institution only what is shared with it (all, named for it,
recommended to it), published or later; the enterprise its own; staff their jurisdiction."""

import pytest

from config.errors import DomainError
from finance.models import FinancingNeed, Interest, Offer
from finance.services.needs import name_institutions, publish_need, recommend_needs
from finance.services.talks import express_interest
from tests.factories import AdminUserFactory, BureauUserFactory, UserFactory, region
from tests.finance.factories import institution_user, need, offer, world

pytestmark = pytest.mark.django_db


def _sees(user, n) -> bool:
    return FinancingNeed.objects.visible_to(user).filter(pk=n.pk).exists()


def test_audience_all_seen_by_approved_institutions_only_once_published():
    w = world()
    draft = need(w, publish=False)
    published = need(w)
    pending, pending_user = institution_user(approved=False)
    assert not _sees(w.banker, draft)
    assert _sees(w.banker, published)
    assert not _sees(pending_user, published)


def test_named_need_seen_by_named_institution_only():
    w = world()
    other, other_user = institution_user()
    n = need(w, publish=False, audience="named")
    name_institutions(n, actor=w.member, institutions=[w.bank])
    publish_need(n, actor=w.member)
    assert _sees(w.banker, n)
    assert not _sees(other_user, n)
    with pytest.raises(DomainError):
        express_interest(n, actor=other_user, institution=other)
    assert not Interest.objects.exists()


def test_recommended_need_seen_after_recommendation():
    w = world()
    n = need(w, audience="recommended")
    assert not _sees(w.banker, n)
    with pytest.raises(DomainError):
        recommend_needs(
            actor=BureauUserFactory(region=region("110000")), needs=[n], institutions=[w.bank],
            note="优质项目",
        )  # fmt: skip
    recommend_needs(actor=w.staff, needs=[n], institutions=[w.bank], note="优质项目")
    assert _sees(w.banker, n)
    second, second_user = institution_user()
    assert not _sees(second_user, n)


def test_named_need_cannot_be_recommended():
    w = world()
    n = need(w, publish=False, audience="named")
    name_institutions(n, actor=w.member, institutions=[w.bank])
    publish_need(n, actor=w.member)
    other, _u = institution_user()
    with pytest.raises(DomainError):
        recommend_needs(actor=w.staff, needs=[n], institutions=[other], note="x")


def test_staff_see_their_jurisdiction_enterprise_its_own():
    w = world("330100")
    n = need(w)
    assert _sees(w.staff, n)
    assert _sees(BureauUserFactory(region=region("330000")), n)
    assert not _sees(BureauUserFactory(region=region("110000")), n)
    assert _sees(w.member, n)
    assert _sees(AdminUserFactory(), n)
    assert not _sees(UserFactory(), n)
    assert not _sees(UserFactory(role="panelist"), n)


def test_institution_sees_only_its_own_offers():
    w = world()
    n = need(w)
    mine = offer(w, n)
    other, other_user = institution_user()
    from finance.services.talks import make_offer

    theirs = make_offer(n, actor=other_user, institution=other, amount=1000, rate=4)
    assert list(Offer.objects.visible_to(w.banker)) == [mine]
    assert set(Offer.objects.visible_to(w.member)) == {mine, theirs}
