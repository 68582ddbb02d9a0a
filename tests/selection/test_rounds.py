import pytest
from django.db import IntegrityError

from config.errors import DomainError
from selection.choices import RoundStatus
from selection.models import PanelCriterion, SelectionRound
from selection.services import rounds as round_services
from tests.factories import BureauUserFactory, enterprise_user, region
from tests.selection.helpers import make_round

pytestmark = pytest.mark.django_db


def test_new_round_copies_its_own_rules():
    selection_round = make_round(status=RoundStatus.DRAFT)
    assert selection_round.status == RoundStatus.DRAFT
    assert selection_round.indicators.count() > 0
    assert sum(c.weight for c in selection_round.criteria.all()) == 100
    assert set(selection_round.tier_rules.values_list("tier", flat=True)) == {
        "potential",
        "growth",
        "leading",
    }
    assert round_services.configuration_problems(selection_round) == []


def test_rules_are_pinned_per_round():
    first = make_round(year=2025, status=RoundStatus.DRAFT)
    second = make_round(bureau=first.created_by, year=2026, status=RoundStatus.DRAFT)
    second.criteria.filter(order=0).update(weight=50)
    assert first.criteria.get(order=0).weight == 30


def test_one_round_per_region_and_year():
    first = make_round(status=RoundStatus.DRAFT)
    with pytest.raises(DomainError, match="已有 2026 年度"):
        make_round(bureau=first.created_by, status=RoundStatus.DRAFT)


def test_opening_refuses_criteria_weights_not_summing_to_100():
    selection_round = make_round(status=RoundStatus.DRAFT)
    PanelCriterion.objects.filter(round=selection_round, order=0).update(weight=20)
    with pytest.raises(DomainError, match="权重之和应为 100，当前为 90"):
        round_services.set_round_status(
            selection_round, RoundStatus.OPEN, actor=selection_round.created_by
        )
    selection_round.refresh_from_db()
    assert selection_round.status == RoundStatus.DRAFT


def test_illegal_transition_is_refused_with_message():
    selection_round = make_round(status=RoundStatus.DRAFT)
    with pytest.raises(DomainError, match="不能变更为“公示中”"):
        round_services.set_round_status(
            selection_round, RoundStatus.NOTICE, actor=selection_round.created_by
        )


def test_round_walks_its_states_and_notice_counts_working_days():
    import datetime

    from django.utils import timezone

    selection_round = make_round(status=RoundStatus.PANEL_REVIEW)
    bureau = selection_round.created_by
    selection_round = round_services.set_round_status(
        selection_round, RoundStatus.TIERING, actor=bureau
    )
    confirm_empty_results(selection_round)
    friday = timezone.make_aware(datetime.datetime(2026, 11, 27, 10, 0))
    selection_round = round_services.set_round_status(
        selection_round, RoundStatus.NOTICE, actor=bureau, now=friday
    )
    assert selection_round.notice_starts_on == datetime.date(2026, 11, 27)
    assert selection_round.notice_ends_on == datetime.date(2026, 12, 4)  # 5 working days


def test_only_staff_of_the_jurisdiction_manage_a_round():
    selection_round = make_round(status=RoundStatus.DRAFT)
    for outsider in (
        BureauUserFactory(region=region("310000")),
        BureauUserFactory(region=region("330200")),  # a city below cannot run the province's round
        enterprise_user(),
    ):
        with pytest.raises(DomainError, match="无权"):
            round_services.set_round_status(selection_round, RoundStatus.OPEN, actor=outsider)
    national = BureauUserFactory(region=region("000000"))
    assert (
        round_services.set_round_status(selection_round, RoundStatus.OPEN, actor=national).status
        == RoundStatus.OPEN
    )


def test_weights_must_sum_to_100_in_the_database():
    selection_round = make_round(status=RoundStatus.DRAFT)
    with pytest.raises(IntegrityError):
        SelectionRound.objects.filter(pk=selection_round.pk).update(indicator_weight=50)


def test_published_round_cannot_be_edited():
    selection_round = make_round()
    with pytest.raises(DomainError, match="不能再修改"):
        round_services.update_round(selection_round, actor=selection_round.created_by, pass_mark=50)


def rules_post(selection_round, *, weights):
    data = {
        "criteria-TOTAL_FORMS": str(len(weights)),
        "criteria-INITIAL_FORMS": "0",
        "rules-TOTAL_FORMS": "1",
        "rules-INITIAL_FORMS": "0",
        "rules-0-tier": "potential",
        "rules-0-category": "",
        "rules-0-min_final_score": "60",
        "rules-0-quota": "30",
    }
    for i, weight in enumerate(weights):
        data.update(
            {
                f"criteria-{i}-name": f"维度{i}",
                f"criteria-{i}-guidance": "",
                f"criteria-{i}-weight": str(weight),
                f"criteria-{i}-max_score": "100",
            }
        )
    items = list(selection_round.checklist.order_by("order").values_list("text", flat=True))
    data.update(
        {"checklist-TOTAL_FORMS": str(len(items)), "checklist-INITIAL_FORMS": str(len(items))}
    )
    data.update({f"checklist-{i}-text": text for i, text in enumerate(items)})
    return data


def test_staff_edit_criteria_and_rules_of_a_draft_round(client):
    from django.urls import reverse

    selection_round = make_round(status=RoundStatus.DRAFT)
    client.force_login(selection_round.created_by)
    url = reverse("selection:round-rules", args=[selection_round.pk])
    assert client.get(url).status_code == 200
    bad = client.post(url, rules_post(selection_round, weights=[50, 40]))
    assert bad.status_code == 400
    assert "权重之和应为 100，当前为 90" in bad.content.decode()
    assert selection_round.criteria.count() == 5  # nothing changed
    ok = client.post(url, rules_post(selection_round, weights=[60, 40]))
    assert ok.status_code == 302
    assert list(selection_round.criteria.values_list("weight", flat=True)) == [60, 40]
    assert list(selection_round.tier_rules.values_list("tier", "quota")) == [("potential", 30)]


def test_rules_of_a_published_round_are_pinned(client):
    from django.urls import reverse

    selection_round = make_round()
    client.force_login(selection_round.created_by)
    response = client.post(
        reverse("selection:round-rules", args=[selection_round.pk]),
        rules_post(selection_round, weights=[100]),
    )
    assert "不能再修改" in response.content.decode()
    assert selection_round.criteria.count() == 5


def test_notice_period_skips_public_holidays():
    import datetime

    from django.utils import timezone

    selection_round = make_round(status=RoundStatus.PANEL_REVIEW)
    bureau = selection_round.created_by
    selection_round = round_services.set_round_status(
        selection_round, RoundStatus.TIERING, actor=bureau
    )
    confirm_empty_results(selection_round)
    eve = timezone.make_aware(datetime.datetime(2026, 9, 30, 10, 0))  # before National Day
    selection_round = round_services.set_round_status(
        selection_round, RoundStatus.NOTICE, actor=bureau, now=eve
    )
    # 1–7 October are holidays and Saturday 10 October a make-up working day (the seeded
    # 2026 schedule): 8, 9, 10, 12, 13 October. Monday to Friday alone would say 7 October.
    assert selection_round.notice_ends_on == datetime.date(2026, 10, 13)


def _formset_post(response, prefixes, **overrides):
    """The page's formsets as a browser would post them, with `overrides` applied."""
    data = {}
    for prefix in prefixes:
        formset = response.context[prefix]
        data[f"{prefix}-TOTAL_FORMS"] = str(formset.total_form_count())
        data[f"{prefix}-INITIAL_FORMS"] = str(formset.initial_form_count())
        for form in formset:
            for name, field in form.fields.items():
                value = form.initial.get(name, field.initial)
                if value not in (None, False):
                    data[form.add_prefix(name)] = "" if value is None else str(value)
    data.update(overrides)
    return data


def test_staff_edit_the_checklist_of_a_draft_round(client):
    from selection.models import ChecklistItem

    selection_round = make_round(status=RoundStatus.DRAFT)
    url = f"/selection/rounds/{selection_round.pk}/rules/"
    client.force_login(selection_round.created_by)
    page = client.get(url)
    assert page.status_code == 200
    texts = list(selection_round.checklist.order_by("order").values_list("text", flat=True))
    assert len(texts) >= 1
    data = _formset_post(page, ("criteria", "rules", "checklist"))
    extra = page.context["checklist"].total_form_count() - 1  # the blank extra form
    data[f"checklist-{extra}-text"] = "已提供数据资源登记证书（如有）"
    data["checklist-0-DELETE"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302
    assert list(
        ChecklistItem.objects.filter(round=selection_round)
        .order_by("order")
        .values_list("text", flat=True)
    ) == [*texts[1:], "已提供数据资源登记证书（如有）"]


def test_checklist_of_an_open_round_cannot_change_and_outsiders_are_refused(client):
    selection_round = make_round(status=RoundStatus.OPEN)
    with pytest.raises(DomainError):
        round_services.replace_checklist(
            selection_round, actor=selection_round.created_by, items=["新要点"]
        )
    client.force_login(BureauUserFactory(region=region("310000")))
    assert client.get(f"/selection/rounds/{selection_round.pk}/rules/").status_code in (403, 404)


def _rubric_post(page, **changes):
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data.update(changes)
    return {k: "" if v is None else str(v) for k, v in data.items()}


def test_staff_edit_the_indicator_bands_of_a_draft_round(client):
    from audit.models import AuditEvent

    selection_round = make_round(status=RoundStatus.DRAFT)
    url = f"/selection/rounds/{selection_round.pk}/rubric/"
    client.force_login(selection_round.created_by)
    page = client.get(url)
    assert page.status_code == 200
    assert "10, , 20" in page.content.decode()
    bands = "8, , 20\n5, 8, 15\n3, 5, 10\n1, 3, 5\n, 1, 0"
    response = client.post(url, _rubric_post(page, bands_rd_intensity=bands, pass_mark="65"))
    assert response.status_code == 302
    selection_round.refresh_from_db()
    indicator = selection_round.indicators.get(code="rd_intensity")
    assert indicator.bands[0] == ["8", None, "20"] and selection_round.pass_mark == 65
    assert AuditEvent.objects.filter(action="round.rubric_changed").count() == 1


def test_rubric_that_does_not_add_up_is_refused_and_nothing_changes(client):
    selection_round = make_round(status=RoundStatus.DRAFT)
    url = f"/selection/rounds/{selection_round.pk}/rubric/"
    client.force_login(selection_round.created_by)
    page = client.get(url)
    before = selection_round.indicators.get(code="rd_intensity").bands
    response = client.post(url, _rubric_post(page, bands_rd_intensity="10, , 25"))
    assert response.status_code == 400 and "应为 100 分" in response.content.decode()
    response = client.post(url, _rubric_post(page, bands_rd_intensity="十, , 20"))
    assert "第 1 行含有不是数字的内容" in response.content.decode()
    assert selection_round.indicators.get(code="rd_intensity").bands == before


def test_rubric_of_an_open_round_is_pinned_and_outsiders_are_refused(client):
    selection_round = make_round(status=RoundStatus.OPEN)
    url = f"/selection/rounds/{selection_round.pk}/rubric/"
    client.force_login(selection_round.created_by)
    page = client.get(url)
    assert page.context["editable"] is False
    response = client.post(url, _rubric_post(page, pass_mark="50"))
    assert response.status_code == 400 and "不能再修改" in response.content.decode()
    selection_round.refresh_from_db()
    assert selection_round.pass_mark == 60
    client.force_login(BureauUserFactory(region=region("310000")))
    assert client.get(url).status_code in (403, 404)


def confirm_empty_results(selection_round):
    """Staff confirmed the (empty) results: the precondition of the public notice."""
    from django.utils import timezone

    SelectionRound.objects.filter(pk=selection_round.pk).update(
        results_confirmed_by=selection_round.created_by, results_confirmed_at=timezone.now()
    )
