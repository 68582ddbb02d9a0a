"""An enterprise that is not yet verified receives no grant: not from the matching job,
not from a rematch, not in the SQL pre-filter's preview; once verified it does."""

from decimal import Decimal

import pytest

from policies.models import PolicyGrant
from policies.services import lifecycle as services
from policies.services.matching import match_policy, preview, rematch_enterprise
from registry.models import Enterprise
from registry.services import verification
from tests.factories import BureauUserFactory, PolicyFactory, region, registry_enterprise

pytestmark = pytest.mark.django_db
TEN_MILLION = {"all": [{"field": "revenue", "op": "gte", "value": 10_000_000}]}


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    zhejiang = BureauUserFactory(region=region("330000"))
    verified = registry_enterprise("330100", name="已认证数科", revenue=Decimal("20000000"))
    pending = registry_enterprise("330100", name="待认证数科", revenue=Decimal("20000000"))
    Enterprise.objects.filter(pk=pending.pk).update(verification_status="submitted")
    policy = PolicyFactory(created_by=zhejiang, conditions=TEN_MILLION)
    with django_capture_on_commit_callbacks(execute=True):
        policy = services.publish_policy(policy, actor=zhejiang)
    return {"zhejiang": zhejiang, "verified": verified, "pending": pending, "policy": policy}


def test_matching_job_grants_only_the_verified(world):
    assert list(PolicyGrant.objects.values_list("enterprise__name", flat=True)) == ["已认证数科"]
    assert match_policy(world["policy"]) == {
        "matched": 1, "created": 0, "revived": 0, "updated": 0, "lapsed": 0
    }  # fmt: skip
    assert not PolicyGrant.objects.filter(enterprise=world["pending"]).exists()


def test_sql_prefilter_preview_counts_only_the_verified(world):
    assert preview(TEN_MILLION, region("330000")) == {"count": 1, "sample": ["已认证数科"]}


def test_rematch_gives_an_unverified_enterprise_nothing(world):
    assert rematch_enterprise(world["pending"]) == {}
    assert not PolicyGrant.objects.filter(enterprise=world["pending"]).exists()


def test_approval_rematches_and_grants(world, django_capture_on_commit_callbacks):
    pending = Enterprise.objects.get(pk=world["pending"].pk)
    with django_capture_on_commit_callbacks(execute=True):
        verification.approve_verification(pending, actor=world["zhejiang"])
    grant = PolicyGrant.objects.get(enterprise=pending)
    assert grant.status == "notified"
