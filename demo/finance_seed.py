"""Demo financing matchmaking (投融资对接): institutions of each kind (bank@demo.cn's bank
approved, one more waiting for approval), products with conditions, needs in every state
with interest, questions, meetings, offers and outcomes, a recommendation batch, the
credit scorecard with every verified enterprise scored, and the listing pipeline — all
through the services. Idempotent: nothing happens when an institution exists."""

import datetime
from decimal import Decimal

from django.utils import timezone

from accounts.models import Organisation, Region, Role, User
from accounts.services import create_account
from demo.welcome import welcome
from finance.models import Institution
from finance.scoring import DEFAULT_FACTORS, DEFAULT_GRADES, VOUCHER_AWARD_FACTORS
from finance.services import institutions, listing, needs, scoring, talks

# (e-mail, phone, name, organisation, kind, region, approved by)
INSTITUTIONS = [
    ("invest@demo.cn", "18800000032", "郑可欣", "示范创新创业投资有限公司", "investment", "330000",
     "zhejiang@demo.cn"),
    ("guarantee@demo.cn", "18800000033", "冯子航", "杭州示范融资担保有限公司", "guarantor",
     "330100", "hangzhou@demo.cn"),
    ("fund@demo.cn", "18800000034", "褚雅文", "国家示范数字经济引导基金", "fund", "000000",
     "national@demo.cn"),
    ("bank2@demo.cn", "18800000035", "卫思齐", "北京示范科技银行", "bank", "110000", None),
]  # fmt: skip
W = Decimal("10000")  # 万元


def _days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def _owner(email):
    user = User.objects.get(email=email)
    return user, user.memberships.active().get().enterprise


def _institution_user(row, password):
    email, phone, name, org_name, kind, code, _approver = row
    user = User.objects.filter(email=email).first()
    if user is None:
        organisation, _ = Organisation.objects.get_or_create(
            name=org_name, kind=kind, defaults={"region": Region.objects.get(code=code)}
        )
        user = create_account(email=email, phone=phone, full_name=name, password=password,
                              role=Role.INSTITUTION, organisation=organisation)  # fmt: skip
        welcome(user)
    return user


def _need(user, enterprise, title, **values):
    values = {"kind": "debt", "purpose": "研发投入与算力采购。", "term_months": 24,
              "needed_by": _days(90), **values}  # fmt: skip
    return needs.create_need(enterprise, actor=user, title=title, **values)


def seed_finance(users, password, *, log=print) -> None:
    if Institution.objects.exists():
        return
    get = lambda email: users.get(email) or User.objects.get(email=email)  # noqa: E731
    banker = get("bank@demo.cn")
    bank = institutions.register_institution(
        banker.organisation, actor=banker, introduction="服务杭州数字经济企业的科技支行。"
    )
    bank = institutions.approve_institution(bank, actor=get("hangzhou@demo.cn"))
    by_kind = {"bank": (bank, banker)}
    for row in INSTITUTIONS:
        user = _institution_user(row, password)
        institution = institutions.register_institution(user.organisation, actor=user)
        if row[6]:
            institution = institutions.approve_institution(institution, actor=get(row[6]))
            by_kind.setdefault(row[4], (institution, user))

    def product(kind, name, owner, **values):
        institution, user = by_kind[owner]
        return institutions.add_product(institution, actor=user, kind=kind, name=name, **values)

    loan = {"min_rate": Decimal("3.10"), "max_rate": Decimal("4.35"), "min_term_months": 6,
            "max_term_months": 36}  # fmt: skip
    credit = product("credit", "科创信用贷", "bank", min_amount=50 * W, max_amount=1000 * W,
                     **loan, description="纯信用，最快 3 个工作日放款。")  # fmt: skip
    # Edited afterwards by the bank: a higher ceiling and eligibility from the builder.
    institutions.update_product(credit, actor=banker, max_amount=1500 * W, conditions={
        "all": [{"field": "revenue", "op": "gte", "value": "5000000"}]})  # fmt: skip
    patents = {"all": [{"field": "invention_patents", "op": "gte", "value": 1}]}
    ip_loan = product("ip_pledge", "知识产权质押贷", "bank", min_amount=100 * W,
                      max_amount=3000 * W, conditions=patents, **loan)  # fmt: skip
    product("data_pledge", "数据资产质押贷", "bank", min_amount=100 * W, max_amount=2000 * W,
            **loan, conditions={"all": [
                {"field": "data_resources_registered", "op": "gte", "value": 1}]})  # fmt: skip
    product("supply_chain", "担保增信供应链贷", "guarantor", min_amount=50 * W,
            max_amount=500 * W, **loan)  # fmt: skip
    equity = product("equity", "数字经济早期投资计划", "investment", min_amount=500 * W,
                     max_amount=5000 * W, stages=["angel", "a"],
                     industries=["03", "04"])  # fmt: skip
    product("equity", "引导基金直投", "fund", min_amount=2000 * W, max_amount=20000 * W,
            stages=["b", "c_plus"])  # fmt: skip

    hz_user, hz = _owner("ent.hz@demo.cn")
    bj_user, bj = _owner("ent.bj@demo.cn")
    sh_user, sh = _owner("ent.sh@demo.cn")
    investor, investor_user = by_kind["investment"]

    # Draft; published (open to all); in talks with questions, a meeting and an offer.
    _need(hz_user, hz, "新一代数据标注平台研发（草稿）", amount=300 * W)
    published = _need(hz_user, hz, "城市数据中台扩容流动资金", amount=800 * W, has_data_assets=True,
                      collateral="已登记数据资源 2 项")  # fmt: skip
    published = needs.publish_need(published, actor=hz_user)
    talking = _need(hz_user, hz, "知识产权质押融资（专利 6 件）", amount=1500 * W, has_ip=True,
                    collateral="发明专利 6 件")  # fmt: skip
    talking = needs.publish_need(talking, actor=hz_user)
    talks.express_interest(talking, actor=banker, institution=bank)
    talks.post_message(talking, actor=banker, institution=bank, body="请提供专利评估报告。")
    talks.post_message(talking, actor=hz_user, institution=bank, body="已准备，可于下周提交。")
    talks.record_meeting(talking, actor=banker, institution=bank, met_on=_days(-3),
                         notes="实地走访研发中心，专利与主营业务相关度高。")  # fmt: skip
    talks.make_offer(talking, actor=banker, institution=bank, product=ip_loan,
                     amount=1200 * W, rate=Decimal("3.45"), term_months=36)  # fmt: skip
    # Closed: financed (equity) with the money in the enterprise's figures.
    financed = _need(bj_user, bj, "A 轮股权融资", kind="equity", amount=3000 * W, term_months=None,
                     stage="a")  # fmt: skip
    financed = needs.publish_need(financed, actor=bj_user)
    offer = talks.make_offer(financed, actor=investor_user, institution=investor, product=equity,
                             amount=2500 * W, valuation=25000 * W)  # fmt: skip
    talks.accept_offer(offer, actor=bj_user)
    talks.record_funding(offer, actor=investor_user, amount=2500 * W, funded_on=_days(-10))
    # Closed: not financed, and withdrawn.
    lapsed = _need(sh_user, sh, "算力采购短期贷款", amount=200 * W, term_months=12)
    lapsed = needs.publish_need(lapsed, actor=sh_user)
    offer = talks.make_offer(lapsed, actor=banker, institution=bank, amount=200 * W,
                             rate=Decimal("3.95"), term_months=12)  # fmt: skip
    talks.accept_offer(offer, actor=sh_user)
    talks.record_lapse(offer, actor=banker)
    needs.close_not_financed(lapsed, actor=sh_user)
    withdrawn = _need(hz_user, hz, "海外市场拓展资金（已撤回）", amount=500 * W)
    withdrawn = needs.publish_need(withdrawn, actor=hz_user)
    needs.withdraw_need(withdrawn, actor=hz_user)
    # Open only to whom staff recommend: recommended to the bank.
    recommended = _need(sh_user, sh, "数据产品研发贷款", amount=600 * W, audience="recommended")
    recommended = needs.publish_need(recommended, actor=sh_user)
    needs.recommend_needs(actor=get("shanghai@demo.cn"), needs=[recommended],
                          institutions=[bank],
                          note="上海市优质数据要素项目，建议优先对接。")  # fmt: skip

    # An enterprise (not a need) recommended to the bank: it sees its profile and score.
    needs.recommend_enterprises(actor=get("hangzhou@demo.cn"), enterprises=[hz],
                                institutions=[bank],
                                note="杭州市数据要素优质企业，信用良好，建议授信。")  # fmt: skip
    # The scorecard, every verified enterprise scored (the job's body, in-process), then
    # version 2 with vouchers and awards: the version 1 scores stay beside the new ones.
    ids = list(scoring.population().values_list("pk", flat=True))
    for name, factors in (
        ("数创企业信用评价模型", DEFAULT_FACTORS),
        ("数创企业信用评价模型（含券与揭榜奖励）", VOUCHER_AWARD_FACTORS),
    ):
        card = scoring.publish_scorecard(actor=get("national@demo.cn"), name=name,
                                         factors=factors, grades=DEFAULT_GRADES)  # fmt: skip
        for start in range(0, len(ids), scoring.CHUNK):
            scoring.score_chunk(card, ids[start : start + scoring.CHUNK])
    # The listing pipeline.
    case = listing.open_listing_case(bj, actor=get("beijing@demo.cn"), target_board="star",
                                     adviser="示范证券股份有限公司",
                                     notes="已完成股改。")  # fmt: skip
    listing.advance_listing(case, actor=get("beijing@demo.cn"))
    listing.open_listing_case(hz, actor=get("hangzhou@demo.cn"), target_board="chinext",
                              adviser="东海示范证券有限责任公司")  # fmt: skip
    log(f"投融资对接：{Institution.objects.count()} 家金融机构，{len(ids)} 家企业已评分")
