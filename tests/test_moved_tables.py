"""Moving policies, data resources, holidays and adjustment into their own apps moved no row.

The database is taken back to the migrations before the move, given rows through the
historical models, and migrated forward; the rows are then read through the new apps.
"""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("registry", "0008_policies"), ("selection", "0004_dynamic_adjustment")]
for app in ("workdays", "policies", "resources", "adjustment"):
    BEFORE.append((app, None))  # the new apps not yet there


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1]]).apps


@pytest.mark.django_db(transaction=True)
def test_moving_the_apps_keeps_every_row_and_content_type():
    old = _migrate(BEFORE)
    Region = old.get_model("accounts", "Region")
    User = old.get_model("accounts", "User")
    Policy = old.get_model("registry", "Policy")
    ContentType = old.get_model("contenttypes", "ContentType")
    zhejiang = Region.objects.get(code="330000")
    staff = User.objects.create(email="mover@example.cn", role="bureau", region=zhejiang)
    Policy.objects.create(
        title="迁移前的政策", department="数据局", kind="subsidy", benefit="奖补",
        jurisdiction=zhejiang, valid_from=datetime.date(2026, 1, 1),
        valid_until=datetime.date(2026, 12, 31), mode="auto", beneficiary="数创企业",
        contact="0571-1", conditions={"all": []}, created_by=staff,
    )  # fmt: skip
    Holiday = old.get_model("registry", "Holiday")
    Holiday.objects.get_or_create(date=datetime.date(2031, 1, 1), name="元旦")
    Rules = old.get_model("selection", "AdjustmentRules")
    Rules.objects.get_or_create(region=zhejiang, defaults={"rules": {}})
    policy_type, _ = ContentType.objects.get_or_create(app_label="registry", model="policy")
    before = {
        "policies": Policy.objects.count(),
        "holidays": Holiday.objects.count(),
        "rules": Rules.objects.count(),
    }
    assert before["policies"] == 1 and before["holidays"] >= 1 and before["rules"] >= 1

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from django.contrib.contenttypes.models import ContentType as LiveContentType

    from adjustment.models import AdjustmentRules
    from policies.models import Policy as LivePolicy
    from workdays.models import Holiday

    after = {
        "policies": LivePolicy.objects.count(),
        "holidays": Holiday.objects.count(),
        "rules": AdjustmentRules.objects.count(),
    }
    assert after == before
    assert LivePolicy.objects.get().title == "迁移前的政策"
    moved = LiveContentType.objects.get(pk=policy_type.pk)
    assert (moved.app_label, moved.model) == ("policies", "policy")
    assert LiveContentType.objects.get_for_model(LivePolicy).pk == policy_type.pk
