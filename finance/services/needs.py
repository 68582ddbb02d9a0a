"""Financing needs: the enterprise drafts, publishes, names institutions, withdraws; staff
recommend needs to institutions in batches."""

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from audit.services import record_event, snapshot
from config.constraint_messages import message_for
from config.errors import DomainError
from config.text_limits import check_length, fit_text
from config.workflow import apply_transition
from finance.models import (
    NEED_TRANSITIONS,
    Audience,
    EnterpriseShare,
    FinancingNeed,
    Institution,
    InstitutionStatus,
    NeedKind,
    NeedShare,
    NeedStatus,
    OfferStatus,
    Outcome,
    Recommendation,
    ShareVia,
    Stage,
)
from finance.permissions import acts_for_enterprise, can_serve_enterprise
from finance.services.edits import save_changes
from finance.services.notices import enterprise_members, institution_users
from notifications.messages import Message
from notifications.services import notify
from registry.choices import EntryStatus
from registry.models import RegistryEntry

NEED_FIELDS = [
    "title", "kind", "amount", "purpose", "term_months", "collateral", "has_ip",
    "has_data_assets", "needed_by", "stage", "audience",
]  # fmt: skip
REFUSED = _("融资需求当前为“%(now)s”，不能改为“%(new)s”。")


def _check_need(values):
    if values["kind"] not in NeedKind.values:
        raise DomainError(_("请选择有效的融资方式。"), field="kind")
    if values["stage"] and values["stage"] not in Stage.values:
        raise DomainError(_("请选择有效的融资轮次。"), field="stage")
    if values["audience"] not in Audience.values:
        raise DomainError(_("请选择有效的可见范围。"), field="audience")
    if values["amount"] is None or Decimal(values["amount"]) <= 0:
        raise DomainError(_("拟融资金额应大于 0。"), field="amount")
    if values["term_months"] is not None and values["term_months"] <= 0:
        raise DomainError(_("期限应大于 0 个月。"), field="term_months")
    if not isinstance(values["needed_by"], datetime.date):
        raise DomainError(_("请填写期望到位日期。"), field="needed_by")
    values["title"] = fit_text(FinancingNeed, "title", values["title"])
    if not values["title"]:
        raise DomainError(_("请填写需求标题。"), field="title")
    values["purpose"] = check_length(
        FinancingNeed, "purpose", values["purpose"], "finance_need_purpose_length"
    )
    if not values["purpose"]:
        raise DomainError(_("请填写资金用途。"), field="purpose")
    values["collateral"] = check_length(
        FinancingNeed, "collateral", values.get("collateral", ""), "finance_need_collateral_length"
    )
    return values


def create_need(enterprise, *, actor, **values) -> FinancingNeed:
    """A draft need of the enterprise. Refusals: not its member; invalid values.
    Side effects: audit `financing_need.created` on its timeline."""
    if not acts_for_enterprise(actor, enterprise):
        raise DomainError(_("只有本企业的成员可以发布融资需求。"))
    values = {
        "term_months": None, "collateral": "", "has_ip": False, "has_data_assets": False,
        "stage": "", "audience": Audience.ALL, **values,
    }  # fmt: skip
    unknown = set(values) - set(NEED_FIELDS)
    if unknown:
        raise DomainError(_("不能填写这些字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    values = _check_need(values)
    with transaction.atomic():
        need = FinancingNeed.objects.create(enterprise=enterprise, created_by=actor, **values)
        record_event(
            actor=actor,
            action="financing_need.created",
            obj=need,
            after=snapshot(need, ["kind", "amount", "audience"]),
        )
    return need


def update_need(need, *, actor, **changes) -> FinancingNeed:
    """Edit a draft. Side effects: audit `financing_need.updated` with the changed fields."""
    if not acts_for_enterprise(actor, need.enterprise):
        raise DomainError(_("只有本企业的成员可以修改融资需求。"))
    unknown = set(changes) - set(NEED_FIELDS)
    if unknown:
        raise DomainError(_("不能修改这些字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    with transaction.atomic():
        locked = FinancingNeed.objects.select_for_update().get(pk=need.pk)
        if locked.status != NeedStatus.DRAFT:
            raise DomainError(_("只有草稿状态的融资需求可以修改。"))
        values = _check_need({**{f: getattr(locked, f) for f in NEED_FIELDS}, **changes})
        save_changes(locked, values, NEED_FIELDS, actor=actor, action="financing_need.updated",
                     enterprise=locked.enterprise)  # fmt: skip
    return locked


def set_need_status(need, new_status, *, actor, outcome="", **fields) -> FinancingNeed:
    """The one way a need's state changes (NEED_TRANSITIONS). A closed need carries its
    outcome. Side effects: audit `financing_need.<status>` on the enterprise's timeline."""
    if new_status == NeedStatus.CLOSED:
        fields.update(outcome=outcome, closed_at=timezone.now())
    return apply_transition(
        need,
        new_status,
        transitions=NEED_TRANSITIONS,
        actor=actor,
        action_prefix="financing_need",
        refused=REFUSED,
        message=outcome,
        **fields,
    )


def publish_need(need, *, actor) -> FinancingNeed:
    """Draft → published: institutions in its audience see it now. Refusals: not the
    enterprise's member; a need for named institutions that names none.
    Side effects: audit `financing_need.published`; the institutions that see it told."""
    if not acts_for_enterprise(actor, need.enterprise):
        raise DomainError(_("只有本企业的成员可以发布融资需求。"))
    if need.audience == Audience.NAMED and not need.shares.filter(via=ShareVia.NAMED).exists():
        raise DomainError(_("请先指定至少一家可以查看该需求的金融机构。"), field="audience")
    with transaction.atomic():
        need = set_need_status(need, NeedStatus.PUBLISHED, actor=actor, published_at=timezone.now())
        if need.audience != Audience.RECOMMENDED:
            told = Institution.objects.approved()
            if need.audience == Audience.NAMED:
                told = told.filter(shares__need=need)
            users = [u for i in told for u in institution_users(i)]
            notify(users, title=Message(N_("新的融资需求：%(t)s"), t=need.title))
    return need


def name_institutions(need, *, actor, institutions) -> list[NeedShare]:
    """The enterprise names the institutions that may see a need meant for named ones.
    Refusals: not its member; audience is not "named"; need closed; an institution not
    approved. Side effects: shares (named once each); audit `financing_need.named`."""
    if not acts_for_enterprise(actor, need.enterprise):
        raise DomainError(_("只有本企业的成员可以指定金融机构。"))
    if need.audience != Audience.NAMED:
        raise DomainError(_("该需求的可见范围不是“指定的机构”。"))
    if need.status == NeedStatus.CLOSED:
        raise DomainError(_("融资需求已结束。"))
    institutions = list(institutions)
    if any(i.status != InstitutionStatus.APPROVED for i in institutions):
        raise DomainError(_("只能指定已批准的金融机构。"))
    with transaction.atomic():
        existing = set(need.shares.filter(via=ShareVia.NAMED).values_list("institution", flat=True))
        new = [
            NeedShare(need=need, institution=i, via=ShareVia.NAMED)
            for i in institutions
            if i.pk not in existing
        ]
        NeedShare.objects.bulk_create(new)
        record_event(
            actor=actor,
            action="financing_need.named",
            obj=need,
            enterprise=need.enterprise,
            after={"institutions": [s.institution_id for s in new]},
        )
    return new


def withdraw_need(need, *, actor) -> FinancingNeed:
    """The enterprise withdraws a need that has no accepted offer: closed, withdrawn.
    Open offers are withdrawn with it. Side effects: those of set_need_status."""
    if not acts_for_enterprise(actor, need.enterprise):
        raise DomainError(_("只有本企业的成员可以撤回融资需求。"))
    with transaction.atomic():
        if need.offers.filter(status=OfferStatus.ACCEPTED).exists():
            raise DomainError(_("已接受融资方案的需求不能撤回，请等待机构登记结果。"))
        need.offers.filter(status=OfferStatus.MADE).update(
            status=OfferStatus.WITHDRAWN, updated_at=timezone.now()
        )
        return set_need_status(need, NeedStatus.CLOSED, actor=actor, outcome=Outcome.WITHDRAWN)


def close_not_financed(need, *, actor) -> FinancingNeed:
    """The enterprise ends talks that brought nothing: in talks → closed, not financed.
    Refusals: an accepted offer still open."""
    if not acts_for_enterprise(actor, need.enterprise):
        raise DomainError(_("只有本企业的成员可以结束融资需求。"))
    with transaction.atomic():
        if need.offers.filter(status=OfferStatus.ACCEPTED).exists():
            raise DomainError(_("已接受融资方案的需求不能撤回，请等待机构登记结果。"))
        need.offers.filter(status=OfferStatus.MADE).update(
            status=OfferStatus.WITHDRAWN, updated_at=timezone.now()
        )
        return set_need_status(need, NeedStatus.CLOSED, actor=actor, outcome=Outcome.NOT_FINANCED)


def _check_batch(institutions, note) -> str:
    """A batch goes to approved institutions with a note: the note, trimmed."""
    if any(i.status != InstitutionStatus.APPROVED for i in institutions):
        raise DomainError(_("只能向已批准的金融机构推荐。"))
    note = check_length(Recommendation, "note", note, "finance_recommendation_note_length")
    if not note:
        raise DomainError(_("请填写推荐说明。"), field="note")
    return note


def _batch(actor, enterprise, note) -> Recommendation:
    jurisdiction = actor.region if actor.is_bureau else enterprise.region
    return Recommendation.objects.create(jurisdiction=jurisdiction, note=note, created_by=actor)


def _announce(actor, batch, institutions, key, items, title) -> None:
    """Audit `recommendation.created` naming what was recommended to whom; the
    institutions' users told, with the note."""
    after = {key: [x.pk for x in items], "institutions": [i.pk for i in institutions]}
    record_event(actor=actor, action="recommendation.created", obj=batch, after=after)
    notify(
        [u for i in institutions for u in institution_users(i)],
        title=Message(title, n=len(items)),
        body=batch.note,
    )


def recommend_needs(*, actor, needs, institutions, note) -> Recommendation:
    """Staff recommend needs to institutions in one batch with a note (推荐优质项目).

    Refusals: a need outside the actor's jurisdiction, not open (published or in talks) or
    whose enterprise named its institutions; an institution not approved; no note.
    Side effects: the batch and a share per (need, institution) not shared yet; audit
    `recommendation.created`; the institutions' users and the enterprises' members told.
    """
    needs, institutions = list(needs), list(institutions)
    if not needs or not institutions:
        raise DomainError(_("请至少选择一个需求和一家机构。"))
    for need in needs:
        if not can_serve_enterprise(actor, need.enterprise):
            raise DomainError(_("只能推荐本辖区企业的融资需求。"))
        if need.status not in (NeedStatus.PUBLISHED, NeedStatus.IN_TALKS):
            raise DomainError(_("只能推荐已发布或洽谈中的融资需求。"))
        if need.audience == Audience.NAMED:
            raise DomainError(_("“%(t)s”仅向企业指定的机构开放，不能推荐。") % {"t": need.title})
    note = _check_batch(institutions, note)
    try:
        with transaction.atomic():
            batch = _batch(actor, needs[0].enterprise, note)
            existing = set(
                NeedShare.objects.filter(
                    need__in=needs, institution__in=institutions, via=ShareVia.RECOMMENDATION
                ).values_list("need_id", "institution_id")
            )
            NeedShare.objects.bulk_create(
                NeedShare(need=n, institution=i, via=ShareVia.RECOMMENDATION, recommendation=batch)
                for n in needs
                for i in institutions
                if (n.pk, i.pk) not in existing
            )
            _announce(actor, batch, institutions, "needs", needs,
                      N_("数据管理部门向贵机构推荐了 %(n)d 个融资需求"))  # fmt: skip
            for need in needs:
                notify(
                    enterprise_members(need.enterprise),
                    title=Message(N_("您的融资需求“%(t)s”已被推荐给金融机构"), t=need.title),
                )
    except IntegrityError:
        raise DomainError(_("该需求已向这家机构推送过。")) from None
    return batch


def recommend_enterprises(*, actor, enterprises, institutions, note) -> Recommendation:
    """Staff recommend registry enterprises (not a need) to institutions in one batch with a
    note: each institution then sees their profile summary and credit score.

    Refusals: an enterprise outside the actor's jurisdiction or not in the registry; an
    institution not approved; no note. Side effects: the batch and a share per (enterprise,
    institution) not shared yet; audit `recommendation.created`; the institutions' users
    told (the enterprises are not: nothing of theirs is published).
    """
    enterprises, institutions = list(enterprises), list(institutions)
    if not enterprises or not institutions:
        raise DomainError(_("请至少选择一家企业和一家机构。"))
    for enterprise in enterprises:
        if not can_serve_enterprise(actor, enterprise):
            raise DomainError(_("只能推荐本辖区的企业。"))
        if not RegistryEntry.objects.filter(
            enterprise=enterprise, status=EntryStatus.ACTIVE
        ).exists():
            raise DomainError(_("“%(n)s”不在培育库中，不能推荐。") % {"n": enterprise.name})
    note = _check_batch(institutions, note)
    try:
        with transaction.atomic():
            return _share_enterprises(actor, enterprises, institutions, note)
    except IntegrityError:  # the same pair recommended at the same moment by another
        raise DomainError(str(message_for("finance_enterprise_share_once"))) from None


def _share_enterprises(actor, enterprises, institutions, note) -> Recommendation:
    batch = _batch(actor, enterprises[0], note)
    existing = set(
        EnterpriseShare.objects.filter(
            enterprise__in=enterprises, institution__in=institutions
        ).values_list("enterprise_id", "institution_id")
    )
    EnterpriseShare.objects.bulk_create(
        EnterpriseShare(enterprise=e, institution=i, recommendation=batch)
        for e in enterprises
        for i in institutions
        if (e.pk, i.pk) not in existing
    )
    _announce(actor, batch, institutions, "enterprises", enterprises,
              N_("数据管理部门向贵机构推荐了 %(n)d 家优质企业"))  # fmt: skip
    return batch
