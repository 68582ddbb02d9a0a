"""Applications (the enterprise, its contract with an approved provider) and their
decision: approve (issue the voucher, reserve the grant), return, reject, withdraw."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from audit.services import record_event
from conditions.explain import render_conditions
from config.constraint_messages import message_for
from config.errors import DomainError
from config.text_limits import check_length
from config.uploads import check_pdf_upload
from config.workflow import apply_transition
from notifications.messages import Message
from notifications.services import notify
from vouchers.models import (
    APPLICATION_TRANSITIONS,
    CONTRACT_HOLDING_STATES,
    ApplicationStatus,
    MembershipStatus,
    Product,
    ProgramProvider,
    ProgramStatus,
    Voucher,
    VoucherApplication,
    VoucherKind,
)
from vouchers.permissions import acts_for_enterprise, can_manage_program
from vouchers.selectors import add_years, expiry_date, grant_terms
from vouchers.services import ledger
from vouchers.services.edits import check_fields
from vouchers.services.eligibility import check_eligible, related_party
from vouchers.services.notices import enterprise_members, parties, program_staff

A = ApplicationStatus
CONTRACT_FIELDS = (
    "contract_number",
    "contract_signed_on",
    "contract_starts_on",
    "contract_ends_on",
    "contract_amount",
    "amount_sought",
    "items",
    "contract_file",
)


def _relation_sentence(kind):
    return {
        "uscc": _("企业与服务商的统一社会信用代码相同，属于关联方，不能在计划中交易。"),
        "shareholding": _("服务商申报了与该企业的持股关系，属于关联方，不能在计划中交易。"),
        "group": _("服务商申报该企业与其同属一个集团，属于关联方，不能在计划中交易。"),
    }[kind]


def _items(provider, program, items) -> list[dict]:
    """[{"product": Product or id, "quantity": Decimal}] → the stored snapshot, priced now."""
    if not items:
        raise DomainError(_("请至少填写一项服务产品及数量。"), field="items")
    ids = [getattr(i["product"], "pk", i["product"]) for i in items]
    products = Product.objects.filter(provider=provider, pk__in=ids, is_active=True).in_bulk()
    rows = []
    for item, pk in zip(items, ids, strict=True):
        product = products.get(pk)
        if product is None:
            raise DomainError(_("所选产品不属于该服务商或已下架。"), field="items")
        if product.kind != program.kind:
            raise DomainError(
                _("产品“%(p)s”不属于本计划的券种。") % {"p": product.name}, field="items"
            )
        quantity = Decimal(str(item["quantity"]))
        if quantity <= 0:
            raise DomainError(_("产品数量应大于 0。"), field="items")
        rows.append(
            {
                "product": product.pk,
                "name": product.name,
                "unit": product.unit,
                "unit_price": format(product.unit_price, "f"),
                "quantity": format(quantity, "f"),
                "amount": format((product.unit_price * quantity).quantize(Decimal("0.01")), "f"),
            }
        )
    return rows


def _check(program, enterprise, provider, values, *, on, exclude=None) -> list[dict]:
    """Every refusal of apply and resubmit, in the order a person fixes them; returns the
    eligibility explanation (all conditions, for the record)."""
    if enterprise.region is None or not program.jurisdiction.contains(enterprise.region):
        raise DomainError(_("企业不在该计划的发放地区内。"))
    if not enterprise.is_verified:
        raise DomainError(_("企业通过认证后才能申请。"))
    if program.status != ProgramStatus.PUBLISHED:
        raise DomainError(_("该计划未发布或已关闭，不能申请。"))
    if not program.opens_on <= on <= program.closes_on:
        raise DomainError(
            _("不在申请期内（%(a)s 至 %(b)s）。") % {"a": program.opens_on, "b": program.closes_on}
        )
    if not ProgramProvider.objects.filter(
        program=program, provider=provider, status=MembershipStatus.APPROVED
    ).exists():
        raise DomainError(_("该服务商未入围本计划（或已被暂停、移出）。"), field="provider")
    if relation := related_party(provider, enterprise):
        raise DomainError(_relation_sentence(relation), field="provider")
    signed = values["contract_signed_on"]
    if not program.opens_on <= signed <= program.closes_on:
        raise DomainError(
            _("合同签订日期 %(d)s 不在计划的申请期（%(a)s 至 %(b)s）内。")
            % {"d": signed, "a": program.opens_on, "b": program.closes_on},
            field="contract_signed_on",
        )
    starts, ends = values["contract_starts_on"], values["contract_ends_on"]
    if ends < starts:
        raise DomainError(str(message_for("voucher_application_term_ordered")),
                          field="contract_ends_on")  # fmt: skip
    if ends > add_years(starts, 1):
        raise DomainError(_("合同期限不能超过 1 年。"), field="contract_ends_on")
    if values["contract_amount"] <= 0:
        raise DomainError(str(message_for("voucher_application_contract_positive")),
                          field="contract_amount")  # fmt: skip
    if not 0 < values["amount_sought"] <= values["contract_amount"]:
        raise DomainError(str(message_for("voucher_application_sought_range")),
                          field="amount_sought")  # fmt: skip
    used = VoucherApplication.objects.filter(
        provider=provider,
        contract_number=values["contract_number"],
        status__in=CONTRACT_HOLDING_STATES,
    )
    if exclude is not None:
        used = used.exclude(pk=exclude.pk)
    if used.exists():
        raise DomainError(str(message_for("voucher_application_contract_once")),
                          field="contract_number")  # fmt: skip
    failing = check_eligible(program, enterprise, on=on)
    if failing is not None:
        raise DomainError(
            _("不符合本计划的申请条件：%(c)s") % {"c": "；".join(render_conditions(failing))}
        )
    return []


def apply_for_voucher(program, *, actor, enterprise, provider, contract_number,
                      contract_signed_on, contract_starts_on, contract_ends_on,
                      contract_amount, amount_sought, items, contract_file,
                      on=None) -> VoucherApplication:  # fmt: skip
    """The enterprise applies under `program` with its contract with `provider`.

    `items`: [{"product": Product or id, "quantity": number}]; `contract_file`: the signed
    contract, a PDF by content. Refusals (DomainError, nothing saved), each a sentence: not
    a member of the enterprise; outside the programme's area; unverified; programme not
    open; provider not approved; related party (shared USCC, declared shareholding or
    group); contract signed outside the window; term over 1 year; amounts; the contract
    already used in any programme; not eligible (with the failing conditions); not a PDF.
    Side effects: the application `applied` (audit `voucher_application.applied`); the
    programme's staff and the provider's users notified.
    """
    on = on or timezone.localdate()
    if not acts_for_enterprise(actor, enterprise):
        raise DomainError(_("只有本企业成员可以提交申请。"))
    contract_number = (contract_number or "").strip()
    if not contract_number:
        raise DomainError(_("请填写合同编号。"), field="contract_number")
    values = {
        "contract_number": contract_number,
        "contract_signed_on": contract_signed_on,
        "contract_starts_on": contract_starts_on,
        "contract_ends_on": contract_ends_on,
        "contract_amount": Decimal(contract_amount),
        "amount_sought": Decimal(amount_sought),
    }
    _check(program, enterprise, provider, values, on=on)
    rows = _items(provider, program, items)
    if contract_file is None:
        raise DomainError(_("请上传已签订的合同（PDF）。"), field="contract_file")
    sha = check_pdf_upload(contract_file)
    try:
        with transaction.atomic():
            application = VoucherApplication.objects.create(
                program=program,
                enterprise=enterprise,
                provider=provider,
                items=rows,
                contract_file=contract_file,
                contract_sha256=sha,
                explanation=_explanation(program, enterprise, on),
                applied_by=actor,
                **values,
            )
            record_event(
                actor=actor,
                action="voucher_application.applied",
                obj=application,
                enterprise=enterprise,
                after={"status": A.APPLIED, "contract_number": contract_number,
                       "amount_sought": format(values["amount_sought"], "f")},
            )  # fmt: skip
            title = Message(N_("%(e)s 申请“%(p)s”"), e=enterprise.name, p=program)
            notify([*program_staff(program)], title=title)
            notify([*parties(application)], title=title, email=False)
    except IntegrityError:
        raise DomainError(str(message_for("voucher_application_contract_once")),
                          field="contract_number") from None  # fmt: skip
    return application


def _explanation(program, enterprise, on):
    from vouchers.services.eligibility import evaluation

    if not program.conditions:
        return []
    return [r.data for r in evaluation(program, enterprise, on=on).explanation]


def resubmit_application(application, *, actor, on=None, **changes) -> VoucherApplication:
    """The enterprise resubmits a returned application, changed (CONTRACT_FIELDS) or not;
    every check of apply runs again. Side effects: status `applied` (audited); staff
    notified."""
    on = on or timezone.localdate()
    if not acts_for_enterprise(actor, application.enterprise):
        raise DomainError(_("只有本企业成员可以提交申请。"))
    check_fields(changes, CONTRACT_FIELDS)
    application = VoucherApplication.objects.select_related(
        "program__jurisdiction", "enterprise__region", "provider__organisation"
    ).get(pk=application.pk)
    if application.status != A.RETURNED:
        raise DomainError(_("只有退回修改的申请可以重新提交。"))
    fields = {}
    values = {f: changes.get(f, getattr(application, f)) for f in CONTRACT_FIELDS[:6]}
    values["contract_amount"] = Decimal(values["contract_amount"])
    values["amount_sought"] = Decimal(values["amount_sought"])
    program, enterprise, provider = (
        application.program,
        application.enterprise,
        application.provider,
    )
    _check(program, enterprise, provider, values, on=on, exclude=application)
    fields.update(values)
    if "items" in changes:
        fields["items"] = _items(provider, program, changes["items"])
    if changes.get("contract_file") is not None:
        fields["contract_sha256"] = check_pdf_upload(changes["contract_file"])
        fields["contract_file"] = changes["contract_file"]
    fields["explanation"] = _explanation(program, enterprise, on)
    fields["submitted_at"] = timezone.now()
    with transaction.atomic():
        application = _set_status(application, A.APPLIED, actor=actor, **fields)
        notify(
            program_staff(program),
            title=Message(N_("%(e)s 重新提交了“%(p)s”的申请"), e=enterprise.name, p=program),
        )
    return application


def _set_status(application, new_status, *, actor, reason="", **fields):
    return apply_transition(
        application,
        new_status,
        transitions=APPLICATION_TRANSITIONS,
        actor=actor,
        action_prefix="voucher_application",
        refused=_("申请当前为“%(now)s”，不能改为“%(new)s”。"),
        message=reason,
        **fields,
    )


def _decide(application, new_status, *, actor, reason):
    if not can_manage_program(actor, application.program.jurisdiction):
        raise DomainError(_("只有计划所属辖区的数据管理部门可以审核申请。"))
    reason = check_length(VoucherApplication, "reason", reason,
                          "voucher_application_reason_length")  # fmt: skip
    if not reason:
        raise DomainError(_("退回或不予批准时请填写原因。"), field="reason")
    with transaction.atomic():
        application = _set_status(application, new_status, actor=actor, reason=reason,
                                  decided_by=actor, decided_at=timezone.now())  # fmt: skip
        notify(
            enterprise_members(application.enterprise),
            title=Message(
                N_("“%(p)s”的申请：%(s)s"),
                p=application.program,
                s=ApplicationStatus(new_status).label,
            ),
            body=reason,
        )
    return application


def return_application(application, *, actor, reason) -> VoucherApplication:
    """Staff send an application back for changes. Side effects: audited; enterprise told."""
    return _decide(application, A.RETURNED, actor=actor, reason=reason)


def reject_application(application, *, actor, reason) -> VoucherApplication:
    """Staff refuse an application (its contract number is free again). Audited; told."""
    return _decide(application, A.REJECTED, actor=actor, reason=reason)


def withdraw_application(application, *, actor) -> VoucherApplication:
    """The enterprise withdraws an application not yet decided. Side effects: audited."""
    if not acts_for_enterprise(actor, application.enterprise):
        raise DomainError(_("只有本企业成员可以撤回申请。"))
    return _set_status(application, A.WITHDRAWN, actor=actor)


def approve_application(application, *, actor, on=None) -> Voucher:
    """Staff approve: granted = min(sought, ratio × contract, remaining annual cap,
    per-contract cap, remaining budget), each term stored on the voucher; the grant is
    reserved in the ledger now and the voucher issued with its code.

    Locks, in the fixed order: application → annual cap → programme → code sequence; the
    budget and cap move by conditional UPDATEs (services/ledger.py).
    Refusals: not staff of the jurisdiction; the application not `applied`; the programme
    withdrawn or a draft; nothing left to grant (annual cap used up, budget exhausted).
    Side effects: Voucher; LedgerEntry `reserve`; programme `reserved` and the enterprise's
    annual cap `used` up by the grant; audit `voucher_application.approved` and
    `voucher.issued`; the enterprise's members and the provider's users notified.
    """
    on = on or timezone.localdate()
    if not can_manage_program(actor, application.program.jurisdiction_id):
        raise DomainError(_("只有计划所属辖区的数据管理部门可以审核申请。"))
    with transaction.atomic():
        locked = (
            VoucherApplication.objects.select_for_update(of=("self",))
            .select_related("enterprise", "provider", "program__jurisdiction")
            .get(pk=application.pk)
        )
        if locked.status != A.APPLIED:
            raise DomainError(
                _("申请当前为“%(now)s”，不能改为“%(new)s”。")
                % {"now": A(locked.status).label, "new": A.APPROVED.label}
            )
        enterprise = locked.enterprise
        cap = ledger.lock_cap(enterprise, locked.program, on.year)
        program = ledger.lock_program(locked.program)
        if program.status not in (ProgramStatus.PUBLISHED, ProgramStatus.CLOSED):
            raise DomainError(_("该计划未发布或已撤回，不能发券。"))
        terms = grant_terms(
            program,
            enterprise,
            contract_amount=locked.contract_amount,
            sought=locked.amount_sought,
            on=on,
            cap=cap,
        )
        granted = terms.granted
        if granted <= 0:
            if terms.binding == "annual_remaining":
                raise DomainError(_("该企业本年度在本计划的额度已用完。"))
            raise DomainError(_("计划预算已用完，无法再发券。"))
        voucher = Voucher(
            application=locked,
            program=program,
            enterprise=enterprise,
            provider=locked.provider,
            code=ledger.next_code(program),
            verification_token=ledger.new_token(),
            amount=granted,
            term_sought=terms.sought,
            term_ratio_amount=terms.ratio_amount,
            term_annual_remaining=terms.annual_remaining,
            term_contract_cap=terms.contract_cap,
            term_budget_remaining=terms.budget_remaining,
            ratio=terms.ratio,
            is_startup=terms.is_startup,
            cap_year=on.year,
            expires_on=expiry_date(program, on),
        )
        voucher.save()
        ledger.reserve(program, cap, granted, voucher=voucher, actor=actor)
        _set_status(locked, A.APPROVED, actor=actor, decided_by=actor,
                    decided_at=timezone.now())  # fmt: skip
        record_event(
            actor=actor,
            action="voucher.issued",
            obj=voucher,
            enterprise=enterprise,
            after={"code": voucher.code, "amount": format(granted, "f"),
                   "terms": {k: format(v, "f") for k, v in voucher.terms.items()},
                   "binding": terms.binding, "expires_on": voucher.expires_on.isoformat()},
        )  # fmt: skip
        notify(
            parties(voucher),
            title=Message(
                N_("已发放%(k)s %(c)s，金额 %(a)s 元"),
                k=VoucherKind(program.kind).label,
                c=voucher.code,
                a=granted,
            ),
        )
    return voucher
