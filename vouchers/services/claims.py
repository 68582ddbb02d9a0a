"""Redemption: claims against a voucher (file, resubmit, confirm, verify, settle, return,
reject) and the end of a voucher (cancel, expire), each one service call, audited.

Locks in the fixed order of services/ledger.py: claim → voucher → annual cap → programme.
"""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from audit.services import record_event
from config.constraint_messages import message_for
from config.errors import DomainError
from config.text_limits import check_length
from config.uploads import check_pdf_upload
from config.workflow import apply_transition
from notifications.messages import Message
from notifications.services import notify
from vouchers.models import (
    CLAIM_TRANSITIONS,
    OPEN_VOUCHER_STATES,
    VOUCHER_TRANSITIONS,
    Claim,
    Claimant,
    ClaimStatus,
    Voucher,
    VoucherStatus,
)
from vouchers.permissions import (
    acts_for_claimant,
    acts_for_enterprise,
    acts_for_provider,
    can_manage_program,
)
from vouchers.services import ledger
from vouchers.services.notices import enterprise_members, parties, provider_users
from workdays.calendar import add_working_days, holiday_calendar

C = ClaimStatus
V = VoucherStatus
ENDED = (V.EXPIRED, V.CANCELLED)


def _claimant_kind(program) -> str:
    return Claimant.PROVIDER if program.claimant_is_provider() else Claimant.ENTERPRISE


def _counterparty(claim):
    if claim.claimant == Claimant.PROVIDER:
        return enterprise_members(claim.enterprise)
    return provider_users(claim.provider)


def _existing(voucher, claimant, key):
    scope = {"provider_id": voucher.provider_id} if claimant == Claimant.PROVIDER else {
        "enterprise_id": voucher.enterprise_id}  # fmt: skip
    claim = Claim.objects.filter(claimant=claimant, idempotency_key=key, **scope).first()
    if claim is not None and claim.voucher_id != voucher.pk:
        raise DomainError(_("这个提交编号已用于另一张券的申领，请刷新页面后重试。"))
    return claim


def _refresh_voucher_status(voucher) -> Voucher:
    """Set the derived status of a live voucher from its balances (the voucher is locked):
    issued (nothing held), partly redeemed, redeemed (nothing left), settled (all settled).
    An expired or cancelled voucher keeps its status."""
    v = Voucher.objects.get(pk=voucher.pk)
    if v.status in ENDED or v.status == V.SETTLED:
        return v
    if v.claimed + v.released >= v.amount:
        new = V.SETTLED if v.settled == v.claimed else V.REDEEMED
    else:
        new = V.PARTLY_REDEEMED if v.claimed > 0 else V.ISSUED
    if new != v.status:
        if new not in VOUCHER_TRANSITIONS[V(v.status)]:
            raise DomainError(_("券的状态无法从“%(a)s”变为“%(b)s”。")
                              % {"a": V(v.status).label, "b": new.label})  # fmt: skip
        Voucher.objects.filter(pk=v.pk).update(status=new, updated_at=timezone.now())
        v.status = new
    return v


def file_claim(voucher, *, actor, idempotency_key, invoice_number, amount, usage_quantity,
               usage_unit, proof, on=None) -> Claim:  # fmt: skip
    """File a claim against a voucher: the provider in discount mode, the enterprise in
    reimburse mode. Partial claims are allowed; the total never exceeds the voucher.

    Idempotent: a retry with the same `idempotency_key` by the same claimant returns the
    first claim and files nothing. Refusals: not the claimant; the voucher expired,
    cancelled or used up; the amount more than what is left; the invoice number already
    claimed by this provider; the proof not a PDF.
    Side effects: the claim `filed`; the voucher's `claimed` up by the amount (conditional
    UPDATE) and its status; audit `claim.filed`; the counterparty notified to confirm.
    """
    on = on or timezone.localdate()
    program = voucher.program
    claimant = _claimant_kind(program)
    if not acts_for_claimant(actor, voucher, claimant == Claimant.PROVIDER):
        if claimant == Claimant.PROVIDER:
            raise DomainError(_("本计划为抵扣方式，由服务商申领。"))
        raise DomainError(_("本计划为报销方式，由企业申领。"))
    key = (idempotency_key or "").strip()[:64]
    if not key:
        raise DomainError(_("缺少提交编号，请刷新页面后重试。"))
    if (first := _existing(voucher, claimant, key)) is not None:
        return first
    invoice_number = (invoice_number or "").strip()
    if not invoice_number:
        raise DomainError(_("请填写发票号码。"), field="invoice_number")
    amount = Decimal(amount)
    if amount <= 0:
        raise DomainError(str(message_for("claim_amount_positive")), field="amount")
    if Decimal(usage_quantity) <= 0:
        raise DomainError(str(message_for("claim_usage_positive")), field="usage_quantity")
    if voucher.status not in OPEN_VOUCHER_STATES or voucher.expires_on < on:
        raise DomainError(_("该券已过期、已作废或已用完，不能再申领。"))
    if proof is None:
        raise DomainError(_("请上传交付证明（PDF）。"), field="proof")
    sha = check_pdf_upload(proof)
    try:
        with transaction.atomic():
            if not Voucher.objects.filter(pk=voucher.pk, expires_on__gte=on).exists():
                raise DomainError(_("该券已过期，不能再申领。"))
            if not ledger.hold(voucher, amount):
                raise DomainError(str(message_for("voucher_not_over_claimed")), field="amount")
            claim = Claim.objects.create(
                voucher=voucher,
                program=program,
                enterprise_id=voucher.enterprise_id,
                provider_id=voucher.provider_id,
                claimant=claimant,
                idempotency_key=key,
                invoice_number=invoice_number,
                amount=amount,
                usage_quantity=Decimal(usage_quantity),
                usage_unit=(usage_unit or "").strip()[:20],
                proof_file=proof,
                proof_sha256=sha,
                filed_by=actor,
            )
            _refresh_voucher_status(voucher)
            record_event(
                actor=actor,
                action="claim.filed",
                obj=claim,
                enterprise=voucher.enterprise,
                after={"status": C.FILED, "amount": format(amount, "f"),
                       "invoice_number": invoice_number, "voucher": voucher.code},
            )  # fmt: skip
            notify(
                _counterparty(claim),
                title=Message(
                    N_("券 %(c)s 有一笔 %(a)s 元的申领待您确认"), c=voucher.code, a=amount
                ),
            )
    except IntegrityError as exc:
        if (first := _existing(voucher, claimant, key)) is not None:
            return first
        if Claim.objects.filter(provider_id=voucher.provider_id,
                                invoice_number=invoice_number).exists():  # fmt: skip
            raise DomainError(str(message_for("claim_invoice_once")),
                              field="invoice_number") from None  # fmt: skip
        raise DomainError(_("申领未能保存，请重试。")) from exc
    return claim


def _set_status(claim, new_status, *, actor, reason="", **fields):
    return apply_transition(
        claim,
        new_status,
        transitions=CLAIM_TRANSITIONS,
        actor=actor,
        action_prefix="claim",
        refused=_("申领当前为“%(now)s”，不能改为“%(new)s”。"),
        message=reason,
        **fields,
    )


def _is_counterparty(actor, claim) -> bool:
    if claim.claimant == Claimant.PROVIDER:
        return acts_for_enterprise(actor, claim.enterprise)
    return acts_for_provider(actor, claim.provider)


def _check_staff(actor, claim):
    if not can_manage_program(actor, claim.program.jurisdiction):
        raise DomainError(_("只有计划所属辖区的数据管理部门可以审核和结算申领。"))


def confirm_claim(claim, *, actor, on=None) -> Claim:
    """The counterparty confirms the service was received: the settlement deadline
    (the programme's working days) starts now. Refusals: not the counterparty; not
    `filed`. Side effects: status `confirmed`, `settle_due_on`; audited; staff notified."""
    on = on or timezone.localdate()
    if not _is_counterparty(actor, claim):
        raise DomainError(_("只有交易对方可以确认服务已交付。"))
    due = add_working_days(on, claim.program.settlement_working_days, holiday_calendar())
    with transaction.atomic():
        claim = _set_status(claim, C.CONFIRMED, actor=actor, confirmed_at=timezone.now(),
                            settle_due_on=due)  # fmt: skip
        from vouchers.services.notices import program_staff

        notify(program_staff(claim.program),
               title=Message(N_("申领 %(i)s 待审核结算"), i=claim.invoice_number))  # fmt: skip
    return claim


def verify_claim(claim, *, actor) -> Claim:
    """Staff verify a confirmed claim. Side effects: status `verified`; audited."""
    _check_staff(actor, claim)
    return _set_status(claim, C.VERIFIED, actor=actor, verified_at=timezone.now())


def settle_claim(claim, *, actor) -> Claim:
    """Staff settle a verified claim: its amount moves from reserved to spent.

    Idempotent: settling a settled claim returns it and moves nothing. Refusals: not staff;
    not `verified`. Side effects: status `settled`; voucher `settled` and status; programme
    reserved → spent (conditional UPDATE); LedgerEntry `spend`; audited; parties notified.
    """
    _check_staff(actor, claim)
    with transaction.atomic():
        locked = Claim.objects.select_for_update().get(pk=claim.pk)
        if locked.status == C.SETTLED:
            return locked
        ledger.lock_voucher(locked.voucher)
        locked = _set_status(locked, C.SETTLED, actor=actor, settled_at=timezone.now())
        ledger.spend(locked, actor=actor)
        _refresh_voucher_status(locked.voucher)
        title = Message(N_("申领 %(i)s 已结算，金额 %(a)s 元"), i=locked.invoice_number,
                        a=locked.amount)  # fmt: skip
        notify(parties(locked), title=title)
    return locked


def return_claim(claim, *, actor, reason) -> Claim:
    """Send a claim back for changes: staff (filed or confirmed), or the counterparty while
    it is `filed`. It keeps its hold on the voucher. Side effects: audited; claimant told."""
    claim = Claim.objects.select_related("program__jurisdiction").get(pk=claim.pk)
    if not (can_manage_program(actor, claim.program.jurisdiction)
            or (claim.status == C.FILED and _is_counterparty(actor, claim))):  # fmt: skip
        raise DomainError(_("您无权退回这笔申领。"))
    reason = check_length(Claim, "reason", reason, "claim_reason_length")
    if not reason:
        raise DomainError(_("退回申领时请填写原因。"), field="reason")
    with transaction.atomic():
        claim = _set_status(claim, C.RETURNED, actor=actor, reason=reason)
        notify([claim.filed_by], title=Message(N_("申领 %(i)s 被退回修改"), i=claim.invoice_number),
               body=reason)  # fmt: skip
    return claim


def resubmit_claim(claim, *, actor, amount=None, invoice_number=None, usage_quantity=None,
                   usage_unit=None, proof=None) -> Claim:  # fmt: skip
    """The claimant resubmits a returned claim, changed or not; a new amount moves the
    voucher's hold by the difference (conditional UPDATE). Side effects: status `filed`;
    audited; counterparty notified to confirm again."""
    if not acts_for_claimant(actor, claim, claim.claimant == Claimant.PROVIDER):
        raise DomainError(_("只有申领方可以重新提交申领。"))
    fields = {"confirmed_at": None, "settle_due_on": None, "filed_at": timezone.now()}
    if invoice_number is not None:
        fields["invoice_number"] = invoice_number.strip()
    if usage_quantity is not None:
        if Decimal(usage_quantity) <= 0:
            raise DomainError(str(message_for("claim_usage_positive")), field="usage_quantity")
        fields["usage_quantity"] = Decimal(usage_quantity)
    if usage_unit is not None:
        fields["usage_unit"] = usage_unit.strip()[:20]
    if proof is not None:
        fields["proof_sha256"] = check_pdf_upload(proof)
        fields["proof_file"] = proof
    try:
        with transaction.atomic():
            locked = Claim.objects.select_for_update().get(pk=claim.pk)
            voucher = ledger.lock_voucher(locked.voucher)
            if locked.status != C.RETURNED:
                raise DomainError(_("只有退回修改的申领可以重新提交。"))
            if amount is not None and Decimal(amount) != locked.amount:
                amount = Decimal(amount)
                if amount <= 0:
                    raise DomainError(str(message_for("claim_amount_positive")), field="amount")
                if amount > locked.amount:
                    if voucher.status in ENDED or not ledger.hold(voucher, amount - locked.amount):
                        raise DomainError(str(message_for("voucher_not_over_claimed")),
                                          field="amount")  # fmt: skip
                else:
                    ledger.unhold(voucher, locked.amount - amount)
                    if voucher.status in ENDED:
                        ledger.release(voucher, locked.amount - amount, actor=actor, claim=locked)
                fields["amount"] = amount
            claim = _set_status(locked, C.FILED, actor=actor, **fields)
            _refresh_voucher_status(voucher)
            title = Message(N_("申领 %(i)s 已重新提交，待您确认"), i=claim.invoice_number)
            notify(_counterparty(claim), title=title)
    except IntegrityError:
        raise DomainError(str(message_for("claim_invoice_once")), field="invoice_number") from None
    return claim


def reject_claim(claim, *, actor, reason) -> Claim:
    """Staff refuse a claim: its hold on the voucher ends (and goes back to the budget if
    the voucher has expired or been cancelled meanwhile). Side effects: status `rejected`;
    voucher `claimed` down; perhaps a LedgerEntry `release`; audited; parties told."""
    _check_staff(actor, claim)
    reason = check_length(Claim, "reason", reason, "claim_reason_length")
    if not reason:
        raise DomainError(_("不予结算时请填写原因。"), field="reason")
    with transaction.atomic():
        locked = Claim.objects.select_for_update().get(pk=claim.pk)
        voucher = ledger.lock_voucher(locked.voucher)
        claim = _set_status(locked, C.REJECTED, actor=actor, reason=reason)
        ledger.unhold(voucher, claim.amount)
        if voucher.status in ENDED:
            ledger.release(voucher, claim.amount, actor=actor, claim=claim)
        _refresh_voucher_status(voucher)
        notify(parties(claim), title=Message(N_("申领 %(i)s 不予结算"), i=claim.invoice_number),
               body=reason)  # fmt: skip
    return claim


def _end_voucher(voucher, new_status, *, actor, reason="", on=None) -> Voucher | None:
    """Expire or cancel a live voucher (issued or partly redeemed; a fully claimed one has
    nothing to give back and runs on to settlement): what no claim holds goes back to the
    budget and the annual cap. None when the voucher was not live any more (a second run)."""
    with transaction.atomic():
        locked = ledger.lock_voucher(voucher)
        if locked.status not in OPEN_VOUCHER_STATES:
            return None
        if new_status == V.EXPIRED and locked.expires_on >= (on or timezone.localdate()):
            return None
        left = locked.amount - locked.claimed - locked.released
        locked = apply_transition(
            locked,
            new_status,
            transitions=VOUCHER_TRANSITIONS,
            actor=actor,
            action_prefix="voucher",
            refused=_("券当前为“%(now)s”，不能改为“%(new)s”。"),
            message=reason,
            ended_at=timezone.now(),
            reason=reason,
        )  # fmt: skip
        if left > 0:
            ledger.release(locked, left, actor=actor)
        title = Message(N_("券 %(c)s %(s)s"), c=locked.code, s=V(new_status).label)
        notify(parties(locked), title=title)
    return Voucher.objects.get(pk=locked.pk)


def cancel_voucher(voucher, *, actor, reason) -> Voucher:
    """Staff cancel a live voucher; what no claim holds is released (claims already filed
    are still decided). Refusals: not staff; no reason; the voucher not live."""
    if not can_manage_program(actor, voucher.program.jurisdiction):
        raise DomainError(_("只有计划所属辖区的数据管理部门可以作废券。"))
    reason = check_length(Voucher, "reason", reason, "voucher_reason_length")
    if not reason:
        raise DomainError(_("作废券时请填写原因。"), field="reason")
    ended = _end_voucher(voucher, V.CANCELLED, actor=actor, reason=reason)
    if ended is None:
        raise DomainError(_("该券已结算、已过期或已作废。"))
    return ended


def expire_voucher(voucher, *, on=None) -> Voucher | None:
    """The expiry of one voucher past its date (the daily job): release what is left,
    exactly once (a second call finds it expired and does nothing, returning None)."""
    return _end_voucher(voucher, V.EXPIRED, actor=None, on=on)


def expire_vouchers(*, on=None) -> int:
    """Daily: expire every live voucher whose date has passed. Returns how many."""
    on = on or timezone.localdate()
    ids = list(
        Voucher.objects.filter(status__in=OPEN_VOUCHER_STATES, expires_on__lt=on).values_list(
            "pk", flat=True
        )
    )
    done = 0
    for voucher in Voucher.objects.filter(pk__in=ids).select_related("program"):
        if expire_voucher(voucher, on=on) is not None:
            done += 1
    return done
