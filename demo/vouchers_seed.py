"""Demo vouchers (数据券、算法券、算力券): four programmes modelled on real schemes, two
providers with catalogues, and applications, vouchers and claims in every state — all
through the services (dates in the past are passed as `on=`).

- 北京市算力券: compute, 20 % of the contract, ≤ 2,000,000 per enterprise-year (Beijing-style),
  discount mode (provider@demo.cn claims, ent.bj@demo.cn confirms).
- 上海市模型券: algorithm/model, 50 %, ≤ 5,000,000 (Shanghai-style); closed after its
  vouchers were issued; one voucher expired, one cancelled.
- 浙江省数据券: data, 30 %, ≤ 2,000,000, reimburse mode (the enterprise claims, the provider
  confirms); its budget is nearly used up. (ent.nb@demo.cn waits for verification and
  cannot apply; ent.hz@demo.cn's second voucher is cut to its annual cap.)
- 杭州市算力券（初创企业）: compute, 30 %, 60 % for start-ups founded ≤ 5 years ago
  (Shenzhen-style).
Plus a draft (北京市数据券). Idempotent: nothing happens when a programme exists.
"""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Organisation, OrganisationKind, Region, Role, User
from accounts.services import create_account
from vouchers.models import Provider, VoucherProgram
from vouchers.services import applications as apps
from vouchers.services import claims, programs, providers

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PROVIDER2 = ("provider2@demo.cn", "18800000042", "罗晓岚", "宁夏示范数智服务有限公司", "640100")


def _pdf(name):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


class _Seeder:
    def __init__(self, users, password):
        self.users, self.password = users, password
        self.contract = 0
        self.invoice = 0

    def user(self, email):
        return self.users.get(email) or User.objects.get(email=email)

    def program(self, email, code, **values):
        staff = self.user(email)
        values = {
            "year": timezone.localdate().year,
            "jurisdiction": Region.objects.get(code=code),
            "opens_on": _days(-200),
            "closes_on": _days(160),
            "validity_length": 6,
            "validity_unit": "month",
            "settlement_working_days": 15,
            "redemption_mode": "discount",
            "startup_ratio": None,
            "startup_age_years": None,
            **values,
        }
        return programs.create_program(actor=staff, **values), staff

    def apply(self, program, member, enterprise, provider, product, amount, *, on=None,
              sought=None, quantity="1000"):  # fmt: skip
        self.contract += 1
        day = on or timezone.localdate()
        return apps.apply_for_voucher(
            program, actor=member, enterprise=enterprise, provider=provider,
            contract_number=f"DEMO-HT-{day.year}-{self.contract:04d}",
            contract_signed_on=day, contract_starts_on=day,
            contract_ends_on=day + datetime.timedelta(days=300),
            contract_amount=Decimal(amount), amount_sought=Decimal(sought or amount),
            items=[{"product": product, "quantity": Decimal(quantity)}],
            contract_file=_pdf("合同.pdf"), on=on,
        )  # fmt: skip

    def claim(self, voucher, actor, amount, *, on=None, unit="卡时"):
        self.invoice += 1
        return claims.file_claim(
            voucher, actor=actor, idempotency_key=f"demo-{self.invoice}",
            invoice_number=f"DEMO-FP-{self.invoice:05d}", amount=Decimal(amount),
            usage_quantity=Decimal(amount) / 10, usage_unit=unit, proof=_pdf("交付证明.pdf"),
            on=on,
        )  # fmt: skip


def _second_provider_user(password):
    email, phone, name, org_name, code = PROVIDER2
    user = User.objects.filter(email=email).first()
    if user is None:
        organisation, _ = Organisation.objects.get_or_create(
            name=org_name, kind=OrganisationKind.PROVIDER,
            defaults={"region": Region.objects.get(code=code)},
        )  # fmt: skip
        user = create_account(email=email, phone=phone, full_name=name, password=password,
                              role=Role.PROVIDER, organisation=organisation)  # fmt: skip
    return user


def _owner_enterprise(email):
    user = User.objects.get(email=email)
    return user, user.memberships.active().get().enterprise


def seed_vouchers(users, password, *, log=print) -> None:
    if VoucherProgram.objects.exists():
        return
    s = _Seeder(users, password)
    # Providers and their catalogues.
    p1_user = s.user("provider@demo.cn")
    p1 = providers.register_provider(
        p1_user.organisation, actor=p1_user, service_kinds=["compute", "algorithm"],
        hub_node="guizhou",
    )  # fmt: skip
    a100 = providers.add_product(p1, actor=p1_user, kind="compute", name="A100 GPU 卡时",
                                 unit="卡时", unit_price=Decimal("12.00"))  # fmt: skip
    providers.add_product(p1, actor=p1_user, kind="compute", name="昇腾 910B 卡时",
                          unit="卡时", unit_price=Decimal("9.50"))  # fmt: skip
    model_api = providers.add_product(p1, actor=p1_user, kind="algorithm",
                                      name="行业大模型 API 调用", unit="千次",
                                      unit_price=Decimal("20.00"))  # fmt: skip
    p2_user = _second_provider_user(password)
    p2 = providers.register_provider(p2_user.organisation, actor=p2_user,
                                     service_kinds=["data", "algorithm", "compute"],
                                     hub_node="ningxia", group_name="宁夏示范数智集团")  # fmt: skip
    dataset = providers.add_product(p2, actor=p2_user, kind="data", name="城市交通出行数据产品",
                                    unit="GB", unit_price=Decimal("50.00"))  # fmt: skip
    providers.add_product(p2, actor=p2_user, kind="compute", name="H800 GPU 卡时", unit="卡时",
                          unit_price=Decimal("18.00"))  # fmt: skip

    bj_user, bj = _owner_enterprise("ent.bj@demo.cn")
    sh_user, sh = _owner_enterprise("ent.sh@demo.cn")
    hz_user, hz = _owner_enterprise("ent.hz@demo.cn")

    def join(program, provider, actor, staff, outcome="approved", reason=""):
        membership = providers.join_program(program, provider, actor=actor)
        if outcome in ("approved", "suspended"):
            membership = providers.approve_membership(membership, actor=staff)
        if outcome == "suspended":
            providers.suspend_membership(membership, actor=staff, reason=reason)
        if outcome == "removed":
            providers.remove_membership(membership, actor=staff, reason=reason)

    # 1. Beijing compute: every application, voucher and claim state (discount mode).
    beijing, bj_staff = s.program(
        "beijing@demo.cn", "110000", kind="compute", name="北京市算力券（2026年度）",
        description="支持企业购买智能算力服务，按合同金额的 20% 发放算力券。",
        budget=Decimal("30000000"), subsidy_ratio=Decimal("0.2"),
        annual_cap=Decimal("2000000"), contract_cap=Decimal("2000000"),
        conditions={"all": [{"field": "tier", "op": "is_not_null"}]},
    )  # fmt: skip
    beijing = programs.publish_program(beijing, actor=bj_staff)
    join(beijing, p1, p1_user, bj_staff)
    join(beijing, p2, p2_user, bj_staff, outcome="applied")

    def issue(program, staff, member, enterprise, provider, product, amount, on=None):
        application = s.apply(program, member, enterprise, provider, product, amount, on=on)
        return apps.approve_application(application, actor=staff, on=on)

    issue(beijing, bj_staff, bj_user, bj, p1, a100, "300000")  # issued, untouched
    partly = issue(beijing, bj_staff, bj_user, bj, p1, a100, "1000000", on=_days(-40))
    settled_claim = s.claim(partly, p1_user, "50000", on=_days(-35))
    claims.confirm_claim(settled_claim, actor=bj_user, on=_days(-34))
    claims.verify_claim(settled_claim, actor=bj_staff)
    claims.settle_claim(settled_claim, actor=bj_staff)
    s.claim(partly, p1_user, "20000")  # filed, awaiting the enterprise
    overdue = s.claim(partly, p1_user, "30000", on=_days(-30))
    claims.confirm_claim(overdue, actor=bj_user, on=_days(-30))  # settlement now overdue
    verified = s.claim(partly, p1_user, "40000", on=_days(-5))
    claims.confirm_claim(verified, actor=bj_user, on=_days(-4))
    claims.verify_claim(verified, actor=bj_staff)
    redeemed = issue(beijing, bj_staff, bj_user, bj, p1, a100, "500000")
    whole = s.claim(redeemed, p1_user, "100000")  # the whole voucher: redeemed
    claims.confirm_claim(whole, actor=bj_user)
    done = issue(beijing, bj_staff, bj_user, bj, p1, a100, "400000")
    last = s.claim(done, p1_user, "80000")
    claims.confirm_claim(last, actor=bj_user)
    claims.verify_claim(last, actor=bj_staff)
    claims.settle_claim(last, actor=bj_staff)  # voucher settled
    s.apply(beijing, bj_user, bj, p1, a100, "600000")  # applied: in the staff queue
    returned = s.apply(beijing, bj_user, bj, p1, a100, "250000")
    apps.return_application(returned, actor=bj_staff, reason="请补充加盖公章的合同扫描件。")
    rejected = s.apply(beijing, bj_user, bj, p1, a100, "150000")
    apps.reject_application(rejected, actor=bj_staff, reason="合同服务内容与算力券支持范围不符。")
    withdrawn = s.apply(beijing, bj_user, bj, p1, a100, "120000")
    apps.withdraw_application(withdrawn, actor=bj_user)

    # 2. Shanghai model vouchers: expired, cancelled, returned and rejected claims; closed.
    shanghai, sh_staff = s.program(
        "shanghai@demo.cn", "310000", kind="algorithm", name="上海市模型券（2026年度）",
        description="支持企业采购大模型与算法服务，按合同金额的 50% 补贴。",
        budget=Decimal("20000000"), subsidy_ratio=Decimal("0.5"),
        annual_cap=Decimal("5000000"), contract_cap=Decimal("5000000"),
        validity_length=2, conditions={},
    )  # fmt: skip
    shanghai = programs.publish_program(shanghai, actor=sh_staff)
    join(shanghai, p1, p1_user, sh_staff)
    join(shanghai, p2, p2_user, sh_staff, outcome="removed", reason="未按期提交服务能力证明。")
    old = issue(shanghai, sh_staff, sh_user, sh, p1, model_api, "800000", on=_days(-150))
    spent = s.claim(old, p1_user, "100000", on=_days(-140), unit="千次")
    claims.confirm_claim(spent, actor=sh_user, on=_days(-139))
    claims.verify_claim(spent, actor=sh_staff)
    claims.settle_claim(spent, actor=sh_staff)
    claims.expire_vouchers()  # expired: the rest goes back to the budget
    cancelled = issue(shanghai, sh_staff, sh_user, sh, p1, model_api, "400000")
    claims.cancel_voucher(cancelled, actor=sh_staff, reason="企业申请放弃本券。")
    live = issue(shanghai, sh_staff, sh_user, sh, p1, model_api, "600000")
    sent_back = s.claim(live, p1_user, "60000", unit="千次")
    claims.return_claim(sent_back, actor=sh_user, reason="调用量与账单不一致，请核对。")
    refused = s.claim(live, p1_user, "30000", unit="千次")
    claims.reject_claim(refused, actor=sh_staff, reason="发票与合同主体不一致。")
    programs.close_program(shanghai, actor=sh_staff, reason="本年度额度已分配完毕。")

    # 3. Zhejiang data vouchers, reimburse mode, nearly exhausted (95 % granted).
    zhejiang, zj_staff = s.program(
        "zhejiang@demo.cn", "330000", kind="data", name="浙江省数据券（2026年度）",
        description="支持企业采购数据产品与服务，企业先行支付，按 30% 申领补贴。",
        budget=Decimal("2100000"), subsidy_ratio=Decimal("0.3"),
        annual_cap=Decimal("2000000"), contract_cap=Decimal("2000000"),
        redemption_mode="reimburse", conditions={},
    )  # fmt: skip
    zhejiang = programs.publish_program(zhejiang, actor=zj_staff)
    join(zhejiang, p2, p2_user, zj_staff)
    hz_voucher = issue(zhejiang, zj_staff, hz_user, hz, p2, dataset, "5000000")
    own = s.claim(hz_voucher, hz_user, "300000", unit="GB")  # the enterprise claims
    claims.confirm_claim(own, actor=p2_user)  # the provider confirms
    # Its annual cap is the binding term here: 2,000,000 − 1,500,000 = 500,000 granted.
    issue(zhejiang, zj_staff, hz_user, hz, p2, dataset, "4500000")

    # 4. Hangzhou compute with a 60 % start-up ratio (Shenzhen-style).
    hangzhou, hz_staff = s.program(
        "hangzhou@demo.cn", "330100", kind="compute", name="杭州市算力券（初创企业专项）",
        description="成立 5 年以内的初创企业按合同金额的 60% 补贴，其他企业 30%。",
        budget=Decimal("10000000"), subsidy_ratio=Decimal("0.3"),
        startup_ratio=Decimal("0.6"), startup_age_years=5,
        annual_cap=Decimal("1000000"), contract_cap=Decimal("1000000"), conditions={},
    )  # fmt: skip
    hangzhou = programs.publish_program(hangzhou, actor=hz_staff)
    join(hangzhou, p1, p1_user, hz_staff)
    join(hangzhou, p2, p2_user, hz_staff, outcome="suspended", reason="服务投诉核查中。")
    issue(hangzhou, hz_staff, hz_user, hz, p1, a100, "500000")  # founded 2018: 30 %, 150,000

    # 5. A draft for next year.
    s.program(
        "beijing@demo.cn", "110000", kind="data", name="北京市数据券（2027年度，草稿）",
        year=timezone.localdate().year + 1, budget=Decimal("10000000"),
        subsidy_ratio=Decimal("0.3"), annual_cap=Decimal("2000000"),
        contract_cap=Decimal("1000000"), opens_on=_days(60), closes_on=_days(400),
        conditions={},
    )  # fmt: skip
    log(f"券种计划：{VoucherProgram.objects.count()} 个，服务商 {Provider.objects.count()} 家，"
        f"券 {sum(p.vouchers.count() for p in VoucherProgram.objects.all())} 张")  # fmt: skip
