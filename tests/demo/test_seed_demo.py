"""`seed_demo` and `demo_logins` on a database the demo world has not been seeded into:
each test here seeds (or not) for itself. Reads of the seeded world are in
test_demo_world.py, which seeds once for all of them."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from demo import seed
from registry.models import Enterprise, TierChange

from .rows import row_counts

pytestmark = pytest.mark.django_db


def run(command, *args):
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def test_the_demo_world_of_another_module_is_not_left_behind():
    # test_demo_world.py runs before this module (file order) and rolls its world back.
    assert not User.objects.filter(email__endswith="@demo.cn").exists()
    assert not Enterprise.objects.exists()
    assert not TierChange.objects.exists()


def test_demo_logins_before_seeding_says_what_to_do():
    out = run("demo_logins")
    assert "seed_demo" in out
    assert "登录。" not in out


def test_once_on_an_empty_database_seeds():
    run("seed_demo", "--once", "--enterprises", "20")
    assert User.objects.filter(email=seed.ADMIN_EMAIL).exists()
    assert Enterprise.objects.count() == 20


def test_a_thousand_enterprises_and_the_second_run_adds_none():
    run("seed_demo", "--enterprises", "1000")
    assert Enterprise.objects.count() == 1000
    before = row_counts()
    run("seed_demo", "--enterprises", "1000")
    assert row_counts() == before


def test_the_generated_sequence_does_not_depend_on_the_count():
    regions = dict.fromkeys(seed.names.CITIES, 1)
    now = timezone.now()

    def names(count):
        specs = seed.enterprise_specs(count, region_ids=regions, now=now, taken=set())
        return [(g.enterprise.uscc, g.enterprise.name, g.tier) for g in specs]

    assert names(200)[:50] == names(50)
