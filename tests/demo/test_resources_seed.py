import io

import pytest
from django.core.management import call_command

from resources.models import DataResource, DataResourceRevision

pytestmark = pytest.mark.django_db


def test_demo_resources_cover_every_state_and_the_demo_login_has_some():
    call_command("seed_demo", "--enterprises", "20", stdout=io.StringIO())
    states = dict.fromkeys(DataResource.objects.values_list("status", flat=True))
    assert set(states) == {"applied", "accepted", "reviewed", "noticed", "coded", "returned",
                           "rejected", "cancelled"}  # fmt: skip
    assert DataResource.objects.count() == 15
    codes = list(DataResource.objects.exclude(code=None).values_list("code", flat=True))
    assert len(codes) == len(set(codes)) == 6  # five in force, one cancelled
    assert all(c.startswith("SJZY-") for c in codes)
    mine = DataResource.objects.filter(enterprise__memberships__user__email="ent.hz@demo.cn")
    assert mine.count() == 6
    assert set(DataResourceRevision.objects.values_list("kind", "status")) == {
        ("change", "pending"),
        ("correction", "approved"),
        ("cancellation", "approved"),
    }
    call_command("seed_demo", "--enterprises", "20", stdout=io.StringIO())
    assert DataResource.objects.count() == 15
