"""Talks between an institution and an enterprise on a need: interest, the question thread,
meetings, offers (the enterprise accepts or declines) and the outcome the institution
records, which flows into the enterprise's figures through the registry."""

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from audit.services import record_event, snapshot
from config.constraint_messages import message_for
from config.errors import ConflictError, DomainError
from config.text_limits import check_length
from config.workflow import apply_transition
from finance.models import (
    OFFER_TRANSITIONS,
    OPEN_STATES,
    FinancingNeed,
    Institution,
    InstitutionKind,
    InstitutionStatus,
    Interest,
    Meeting,
    Message,
    NeedKind,
    NeedStatus,
    Offer,
    OfferStatus,
    Outcome,
    ProductKind,
)
from finance.permissions import acts_for_enterprise, acts_for_institution
from finance.services.needs import set_need_status
from finance.services.notices import enterprise_members, institution_users
from notifications.messages import Message as Notice
from notifications.services import notify
from registry.models import FinancingSource
from registry.services.financing import record_financing

OFFER_REFUSED = _("融资方案当前为“%(now)s”，不能改为“%(new)s”。")
SOURCE_OF_KIND = {
    InstitutionKind.BANK: FinancingSource.BANK_LOAN,
    InstitutionKind.INVESTMENT: FinancingSource.EQUITY,
    InstitutionKind.GUARANTOR: FinancingSource.GUARANTEED_LOAN,
    InstitutionKind.FUND: FinancingSource.GUIDANCE_FUND,
}


def _check_institution_on(actor, institution, need):
    """The actor acts for an approved institution the need is shared with, and the need is
    open for talks."""
    if not acts_for_institution(actor, institution):
        raise DomainError(_("只有该机构的账户可以进行此操作。"))
    if institution.status != InstitutionStatus.APPROVED:
        raise DomainError(_("贵机构尚未获批，暂不能对接融资需求。"))
    if not FinancingNeed.objects.shared_with(institution.pk).filter(pk=need.pk).exists():
        raise DomainError(_("该融资需求未向贵机构开放。"))
    if need.status not in OPEN_STATES:
        raise DomainError(_("该融资需求已结束。"))


def _into_talks(need, actor):
    """Published → in talks, once. Read under the row lock: two institutions acting at the
    same moment both succeed, the second finding the need in talks already (an unlocked
    read let both try the move, and the second's offer was refused)."""
    locked = FinancingNeed.objects.select_for_update().get(pk=need.pk)
    if locked.status == NeedStatus.PUBLISHED:
        set_need_status(locked, NeedStatus.IN_TALKS, actor=actor)


def express_interest(need, *, actor, institution) -> Interest:
    """The institution says it is interested; the need goes into talks.
    Side effects: the row (once per institution); audit `financing_need.interest`; the
    enterprise's members told."""
    _check_institution_on(actor, institution, need)
    try:
        with transaction.atomic():
            interest = Interest.objects.create(need=need, institution=institution, created_by=actor)
            record_event(
                actor=actor,
                action="financing_need.interest",
                obj=need,
                enterprise=need.enterprise,
                after={"institution": institution.pk},
            )
            _into_talks(need, actor)
            notify(
                enterprise_members(need.enterprise),
                title=Notice(N_("%(i)s 对您的融资需求“%(t)s”感兴趣"), i=institution, t=need.title),
            )
    except IntegrityError:
        raise DomainError(str(message_for("finance_interest_once_per_institution"))) from None
    return interest


def post_message(need, *, actor, institution, body) -> Message:
    """A question or an answer in the thread between the need's enterprise and one
    institution. Either party posts; the other is told."""
    body = check_length(Message, "body", body, "finance_message_body_length")
    if not body:
        raise DomainError(_("请填写内容。"), field="body")
    from_enterprise = acts_for_enterprise(actor, need.enterprise)
    if from_enterprise:
        if need.status not in OPEN_STATES:
            raise DomainError(_("该融资需求已结束。"))
        if not FinancingNeed.objects.shared_with(institution.pk).filter(pk=need.pk).exists():
            raise DomainError(_("该融资需求未向这家机构开放。"))
    else:
        _check_institution_on(actor, institution, need)
    with transaction.atomic():
        message = Message.objects.create(
            need=need, institution=institution, author=actor, from_enterprise=from_enterprise,
            body=body,
        )  # fmt: skip
        others = (
            institution_users(institution)
            if from_enterprise
            else enterprise_members(need.enterprise)
        )
        notify(others, title=Notice(N_("融资需求“%(t)s”有新的留言"), t=need.title), body=body[:200])
    return message


def record_meeting(need, *, actor, institution, met_on, notes) -> Meeting:
    """The institution records a meeting with the enterprise. Side effects: audit
    `financing_need.meeting` on the timeline; the need goes into talks."""
    _check_institution_on(actor, institution, need)
    notes = check_length(Meeting, "notes", notes, "finance_meeting_notes_length")
    if not notes:
        raise DomainError(_("请填写会谈纪要。"), field="notes")
    if not isinstance(met_on, datetime.date) or met_on > timezone.localdate():
        raise DomainError(_("会谈日期不能晚于今天。"), field="met_on")
    with transaction.atomic():
        meeting = Meeting.objects.create(
            need=need, institution=institution, met_on=met_on, notes=notes, recorded_by=actor
        )
        record_event(
            actor=actor,
            action="financing_need.meeting",
            obj=need,
            enterprise=need.enterprise,
            after={"institution": institution.pk, "met_on": met_on},
        )
        _into_talks(need, actor)
    return meeting


def _check_offer_values(need, product, amount, rate, valuation, term_months, institution):
    if amount is None or Decimal(amount) <= 0:
        raise DomainError(str(message_for("finance_offer_amount_positive")), field="amount")
    if rate is None and valuation is None:
        raise DomainError(str(message_for("finance_offer_rate_or_valuation")), field="rate")
    if rate is not None and not 0 <= Decimal(rate) <= 36:
        raise DomainError(str(message_for("finance_offer_rate_range")), field="rate")
    if valuation is not None and Decimal(valuation) <= 0:
        raise DomainError(str(message_for("finance_offer_valuation_positive")), field="valuation")
    if term_months is not None and term_months <= 0:
        raise DomainError(str(message_for("finance_offer_term_positive")), field="term_months")
    if product is not None:
        if product.institution_id != institution.pk or not product.is_active:
            raise DomainError(_("请选择贵机构在售的产品。"), field="product")
        equity = product.kind == ProductKind.EQUITY
        if (need.kind == NeedKind.DEBT and equity) or (need.kind == NeedKind.EQUITY and not equity):
            raise DomainError(_("产品类型与需求的融资方式不符。"), field="product")


def make_offer(need, *, actor, institution, amount, rate=None, valuation=None, term_months=None,
               product=None, note="") -> Offer:  # fmt: skip
    """The institution offers: amount, an annual rate (loan) or a valuation (equity), a
    term. Refusals: not shared with it; need closed; the values (Offer's checks).
    Side effects: the offer (made); the need into talks; audit `offer.made` on the
    timeline; the enterprise's members told."""
    _check_institution_on(actor, institution, need)
    _check_offer_values(need, product, amount, rate, valuation, term_months, institution)
    note = check_length(Offer, "note", note, "finance_offer_note_length")
    with transaction.atomic():
        offer = Offer.objects.create(
            need=need, institution=institution, product=product, amount=amount, rate=rate,
            valuation=valuation, term_months=term_months, note=note, made_by=actor,
        )  # fmt: skip
        record_event(
            actor=actor,
            action="offer.made",
            obj=offer,
            enterprise=need.enterprise,
            after=snapshot(offer, ["amount", "rate", "valuation", "term_months"]),
        )
        _into_talks(need, actor)
        notify(
            enterprise_members(need.enterprise),
            title=Notice(N_("%(i)s 就“%(t)s”提出了融资方案"), i=institution, t=need.title),
        )
    return offer


def set_offer_status(offer, new_status, *, actor, **fields) -> Offer:
    """The one way an offer's state changes (OFFER_TRANSITIONS).
    Side effects: audit `offer.<status>` on the enterprise's timeline."""
    return apply_transition(
        offer,
        new_status,
        transitions=OFFER_TRANSITIONS,
        actor=actor,
        action_prefix="offer",
        refused=OFFER_REFUSED,
        enterprise=offer.need.enterprise,
        **fields,
    )


def accept_offer(offer, *, actor) -> Offer:
    """The enterprise accepts an offer: at most one accepted per need (the database
    refuses a second, also under concurrent requests → ConflictError). Side effects:
    audit `offer.accepted`; the institution's users told."""
    need = offer.need
    if not acts_for_enterprise(actor, need.enterprise):
        raise DomainError(_("只有本企业的成员可以答复融资方案。"))
    if need.status not in OPEN_STATES:
        raise DomainError(_("该融资需求已结束。"))
    try:
        with transaction.atomic():
            FinancingNeed.objects.select_for_update().get(pk=need.pk)
            if need.offers.filter(status__in=[OfferStatus.ACCEPTED, OfferStatus.FUNDED]).exists():
                raise ConflictError(str(message_for("finance_offer_one_accepted_per_need")))
            offer = set_offer_status(
                offer, OfferStatus.ACCEPTED, actor=actor, decided_by=actor,
                decided_at=timezone.now(),
            )  # fmt: skip
            notify(
                institution_users(offer.institution),
                title=Notice(N_("企业已接受贵机构就“%(t)s”提出的方案"), t=need.title),
            )
    except IntegrityError:
        raise ConflictError(str(message_for("finance_offer_one_accepted_per_need"))) from None
    return offer


def decline_offer(offer, *, actor) -> Offer:
    """The enterprise declines an offer. Side effects: audit `offer.declined`; told."""
    if not acts_for_enterprise(actor, offer.need.enterprise):
        raise DomainError(_("只有本企业的成员可以答复融资方案。"))
    with transaction.atomic():
        offer = set_offer_status(
            offer, OfferStatus.DECLINED, actor=actor, decided_by=actor, decided_at=timezone.now()
        )
        notify(
            institution_users(offer.institution),
            title=Notice(N_("企业谢绝了贵机构就“%(t)s”提出的方案"), t=offer.need.title),
        )
    return offer


def withdraw_offer(offer, *, actor) -> Offer:
    """The institution withdraws an offer not yet answered."""
    if not acts_for_institution(actor, offer.institution):
        raise DomainError(_("只有该机构的账户可以撤回方案。"))
    return set_offer_status(offer, OfferStatus.WITHDRAWN, actor=actor)


def record_funding(offer, *, actor, amount, funded_on) -> Offer:
    """The institution records that an accepted offer was funded: the offer funded, the
    need closed as financed, and the amount added to the enterprise's financing by source
    (registry) and its timeline. Refusals: not its institution; offer not accepted;
    amount ≤ 0 or above the offer; date in the future.
    Side effects: audit `offer.funded`, `financing_need.closed`, `financing.received`;
    the enterprise's members and its jurisdiction's staff told."""
    if not acts_for_institution(actor, offer.institution):
        raise DomainError(_("只有该机构的账户可以登记融资结果。"))
    if amount is None or Decimal(amount) <= 0 or Decimal(amount) > offer.amount:
        raise DomainError(_("到位金额应大于 0，且不超过方案金额。"), field="amount")
    if not isinstance(funded_on, datetime.date) or funded_on > timezone.localdate():
        raise DomainError(_("到位日期不能晚于今天。"), field="funded_on")
    need = offer.need
    with transaction.atomic():
        offer = set_offer_status(
            offer, OfferStatus.FUNDED, actor=actor, funded_amount=amount, funded_on=funded_on
        )
        set_need_status(need, NeedStatus.CLOSED, actor=actor, outcome=Outcome.FINANCED)
        product = offer.product
        source = (
            FinancingSource.EQUITY
            if product and product.kind == ProductKind.EQUITY
            else SOURCE_OF_KIND[offer.institution.kind]
        )
        record_financing(
            need.enterprise, actor=actor, source=source, amount=Decimal(amount),
            received_on=funded_on, provider_name=str(offer.institution),
            reference=f"finance.offer:{offer.pk}",
        )  # fmt: skip
        notify(
            enterprise_members(need.enterprise),
            title=Notice(N_("“%(t)s”融资已到位"), t=need.title),
        )
    return offer


def record_lapse(offer, *, actor) -> Offer:
    """The institution records that an accepted offer did not go through: the need stays
    in talks (another offer may follow). Side effects: audit `offer.lapsed`; told."""
    if not acts_for_institution(actor, offer.institution):
        raise DomainError(_("只有该机构的账户可以登记融资结果。"))
    with transaction.atomic():
        offer = set_offer_status(offer, OfferStatus.LAPSED, actor=actor)
        notify(
            enterprise_members(offer.need.enterprise),
            title=Notice(N_("“%(t)s”的融资方案未能落地"), t=offer.need.title),
        )
    return offer


def institution_of(user) -> Institution | None:
    """The institution the user acts for, or None."""
    if not user.is_authenticated or not user.organisation_id:
        return None
    return Institution.objects.filter(organisation_id=user.organisation_id).first()
