"""The policy world shared by the page and API tests of policy auto-matching."""

from decimal import Decimal

import pytest

from accounts.models import Role
from policies.models import PolicyGrant
from policies.services import lifecycle as services
from tests.factories import (
    AdminUserFactory,
    BureauUserFactory,
    PolicyFactory,
    enterprise_user,
    region,
    registry_enterprise,
)

OTHER_ROLES = [Role.PANELIST, Role.INSTITUTION, Role.PROVIDER, Role.PUBLISHER]


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    zhejiang = BureauUserFactory(region=region("330000"))
    a = registry_enterprise("330100", name="A 数科", revenue=Decimal("20000000"))
    b = registry_enterprise("330100", name="B 数科", revenue=Decimal("30000000"))
    near = {"all": [{"field": "revenue", "op": "gte", "value": 25_000_000}]}
    published = PolicyFactory(created_by=zhejiang, title="数据要素企业研发费用奖补")
    quick = PolicyFactory(created_by=zhejiang, title="首台套", mode="quick", conditions=near)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_policy(published, actor=zhejiang)
        services.publish_policy(quick, actor=zhejiang)
    return {
        "zhejiang": zhejiang,
        "hangzhou": BureauUserFactory(region=region("330100")),
        "beijing": BureauUserFactory(region=region("110000")),
        "admin": AdminUserFactory(),
        "a": a,
        "b": b,
        "member_a": enterprise_user(a),
        "member_b": enterprise_user(b),
        "policy": published,
        "quick": quick,
        "draft": PolicyFactory(created_by=zhejiang, title="人才公寓权益"),
        "grant_a": PolicyGrant.objects.get(policy=published, enterprise=a),
    }
