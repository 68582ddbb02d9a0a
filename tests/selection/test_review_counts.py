"""The panel's progress stored on applications and sheets follows every service that
changes assignments or sheets (selection.services.review_counts)."""

from decimal import Decimal

import pytest

from selection.models import Assignment, ScoreSheet
from selection.services import panel as panel_services
from selection.services.review_counts import refresh_review_counts
from tests.selection.helpers import panel_round, score_sheet

pytestmark = pytest.mark.django_db


def _counts(application):
    application.refresh_from_db()
    return application.sheets_assigned, application.sheets_submitted, application.score_spread


def test_counts_follow_assign_submit_and_unassign():
    selection_round, apps, members = panel_round(applications=1, panelists=4, k=3)
    application = apps[0]
    assert _counts(application) == (0, 0, None)
    panel_services.auto_assign(selection_round, actor=selection_round.created_by)
    assert _counts(application) == (3, 0, None)
    sheets = list(ScoreSheet.objects.filter(assignment__application=application).order_by("id"))
    score_sheet(sheets[0], 80)
    assert _counts(application) == (3, 1, None)
    score_sheet(sheets[1], 60)
    assert _counts(application) == (3, 2, Decimal("20.00"))
    # Median of (80, 60) is 70.
    assert sorted(
        ScoreSheet.objects.filter(pk__in=[sheets[0].pk, sheets[1].pk]).values_list(
            "deviation", flat=True
        )
    ) == [Decimal("-10.00"), Decimal("10.00")]
    panel_services.unassign(sheets[2].assignment, actor=selection_round.created_by)
    assert _counts(application) == (2, 2, Decimal("20.00"))
    spare = next(m for m in members if not Assignment.objects.filter(panel_member=m).exists())
    panel_services.assign_manually(application, actor=selection_round.created_by, member=spare)
    assert _counts(application) == (3, 2, Decimal("20.00"))


def test_refresh_is_idempotent():
    selection_round, apps, _members = panel_round(applications=2, panelists=3, k=2)
    panel_services.auto_assign(selection_round, actor=selection_round.created_by)
    before = [_counts(a) for a in apps]
    refresh_review_counts([a.pk for a in apps])
    refresh_review_counts([a.pk for a in apps])
    assert [_counts(a) for a in apps] == before == [(2, 0, None), (2, 0, None)]
