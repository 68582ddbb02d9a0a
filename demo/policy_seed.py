"""Demo policies (惠企政策) with grants in every state.

Policies are created and published through the services and matched synchronously (the
run the publish queued is then already done when its task fires after commit). The
generated enterprises have no member accounts, so their side of the flow (confirming bank
details, declining) is written as history with plain updates; staff deliveries go through
the service. The demo login ent.hz@demo.cn qualifies for an auto and a quick policy and
nearly qualifies for two more. Idempotent: nothing happens when the policies exist.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from accounts.models import Region
from policies.models import Policy, PolicyGrant, PolicyMatchRun
from policies.services import lifecycle as services
from policies.services.matching import run_match
from workdays.calendar import add_working_days, holiday_calendar

TODAY_VALID = (datetime.date(2026, 1, 1), datetime.date(2027, 12, 31))
POLICIES = [
    # title, issuer email, department, region, kind, mode, amount, benefit, conditions, state
    ("数据要素企业研发费用奖补", "zhejiang@demo.cn", "浙江省数据局", "330000", "subsidy", "auto",
     "500000", "按上年度研发费用的 10% 给予奖补，单家企业最高 50 万元，免申请直接拨付。",
     {"all": [{"field": "industry", "op": "in", "value": ["03", "04"]},
              {"field": "rd_intensity", "op": "gte", "value": "5"},
              {"field": "revenue", "op": "gte", "value": 10_000_000}]}, "published"),
    ("算力券（2026年度）", "zhejiang@demo.cn", "浙江省数据局", "330000", "subsidy",
     "quick", "200000", "购买智能算力服务的，按合同金额的 30% 发放算力券，最高 20 万元。",
     {"all": [{"field": "tier", "op": "is_not_null"},
              {"any": [{"field": "category", "op": "in", "value": ["tech", "data"]},
                       {"field": "industry", "op": "eq", "value": "04"}]}]}, "published"),
    ("首台（套）数字装备奖补", "zhejiang@demo.cn", "浙江省经济和信息化厅", "330000", "subsidy",
     "quick", "1000000", "首台（套）数字产品与装备按销售额的 20% 奖补，最高 100 万元。",
     {"all": [{"field": "industry", "op": "in", "value": ["01", "02", "05"]},
              {"field": "tier", "op": "is_not_null"}]}, "published"),
    ("人才公寓租住权益", "hangzhou@demo.cn", "杭州市人才工作领导小组办公室", "330100", "benefit",
     "auto", None, "研发骨干可申请人才公寓，前三年租金减半。",
     {"all": [{"field": "employees", "op": "gte", "value": 100},
              {"field": "rd_staff", "op": "gte", "value": 50}]}, "published"),
    ("数创“瞪羚”企业认定推荐", "zhejiang@demo.cn", "浙江省数据局", "330000", "qualification",
     "quick", None, "推荐参加省级瞪羚企业认定，入选企业纳入重点培育名单。",
     {"any": [{"field": "labels", "op": "has", "value": "gazelle"},
              {"field": "revenue", "op": "gte", "value": 50_000_000}]}, "published"),
    ("数据资产入表费用奖励", "zhejiang@demo.cn", "浙江省数据局", "330000", "subsidy", "auto",
     "100000", "完成数据资产入表的，按评估、审计费用的 50% 奖励，最高 10 万元。",
     {"all": [{"field": "data_resources_registered", "op": "gte", "value": 3}]}, "draft"),
    ("软件产品增值税即征即退辅导", "zhejiang@demo.cn", "浙江省数据局", "330000", "relief", "auto",
     None, "软件产品增值税实际税负超过 3% 的部分即征即退，提供辅导服务。",
     {"all": [{"field": "software_copyrights", "op": "gte", "value": 5}]}, "withdrawn"),
]  # fmt: skip
BANKS = ["数创示范银行杭州分行", "数创示范银行宁波分行", "示范农商银行营业部"]


def seed_policies(users, *, log=print) -> None:
    if Policy.objects.exists():
        return
    made = []
    for row in POLICIES:
        title, email, department, code, kind, mode, amount, benefit, conditions, state = row
        staff = users[email]
        policy = services.create_policy(
            actor=staff, title=title, department=department, kind=kind, mode=mode,
            benefit_amount=Decimal(amount) if amount else None, benefit=benefit,
            jurisdiction=Region.objects.get(code=code),
            valid_from=TODAY_VALID[0], valid_until=TODAY_VALID[1],
            beneficiary="入库数创企业", contact=f"{department} 0571-8705{len(made):04d}",
            conditions=conditions,
        )  # fmt: skip
        if state != "draft":
            policy = services.publish_policy(policy, actor=staff)
            run_match(PolicyMatchRun.objects.get(policy=policy))
        if state == "withdrawn":
            services.withdraw_policy(policy, actor=staff, reason="政策调整，改由税务部门直接办理。")
        made.append(policy)
    _history(made[1], users["zhejiang@demo.cn"])
    _history(made[2], users["zhejiang@demo.cn"])
    log(f"惠企政策：{len(made)} 项，政策兑现 {PolicyGrant.objects.count()} 条")


def _history(policy, staff):
    """Give the generated enterprises' grants of `policy` every later state."""
    grants = list(
        policy.grants.filter(status="notified", enterprise__memberships__isnull=True)
        .select_related("enterprise", "policy")
        .order_by("pk")
    )
    now = timezone.now()
    for n, grant in enumerate(grants):
        step = n % 6
        if step in (1, 2):  # the enterprise confirmed (offline, before the portal)
            PolicyGrant.objects.filter(pk=grant.pk).update(
                status="accepted", accepted_at=now - datetime.timedelta(days=3),
                account_name=grant.enterprise.name, bank_name=BANKS[n % len(BANKS)],
                account_number=f"62220{grant.enterprise_id:011d}",
                application={"contact_name": grant.enterprise.contact_name,
                             "contact_phone": grant.enterprise.contact_phone,
                             "contact_email": "", "statement": "申请享受该政策。"}
                if policy.mode == "quick" else {},
            )  # fmt: skip
            if step == 2:
                grant.refresh_from_db()
                services.deliver_grant(grant, actor=staff, note=f"已拨付，凭证号 BF2026{n:04d}")
        elif step == 3:
            PolicyGrant.objects.filter(pk=grant.pk).update(
                status="declined",
                declined_at=now,
                decline_reason="已享受同类政策，本年度不再申请。",
            )
        elif step == 4:  # notified long ago and still not delivered: overdue
            notified = timezone.localdate() - datetime.timedelta(days=120)
            PolicyGrant.objects.filter(pk=grant.pk).update(
                notified_at=now - datetime.timedelta(days=120),
                due_on=add_working_days(notified, 60, holiday_calendar()),
            )
        elif step == 5:
            PolicyGrant.objects.filter(pk=grant.pk).update(status="lapsed", lapsed_at=now)
