"""Demo scenarios (应用场景清单、机会清单): publisher@demo.cn's group approved by 杭州市's
staff, a second publisher in 北京市; two published batches across the two cities with
scenarios in every state, responses in every state, awards, a confirmed first purchase in
the catalogue of innovative products and one waiting in the staff queue — all through the
services. Idempotent: nothing happens when a publisher exists."""

import datetime
from decimal import Decimal

from django.utils import timezone

from accounts.models import Organisation, OrganisationKind, Region, Role, User
from accounts.services import create_account
from scenarios.models import Publisher, RecommendationRun
from scenarios.services import awards, cases, publishers, recommendations, responses, scenarios

PUBLISHER2 = ("publisher2@demo.cn", "18800000052", "赵一鸣", "北京示范数字平台股份有限公司",
              "110000")  # fmt: skip


def _days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def _region(code):
    return Region.objects.get(code=code)


def _second_publisher_user(password):
    email, phone, name, org_name, code = PUBLISHER2
    user = User.objects.filter(email=email).first()
    if user is None:
        organisation, _ = Organisation.objects.get_or_create(
            name=org_name, kind=OrganisationKind.PUBLISHER, defaults={"region": _region(code)}
        )
        user = create_account(email=email, phone=phone, full_name=name, password=password,
                              role=Role.PUBLISHER, organisation=organisation)  # fmt: skip
    return user


def _member_of(email):
    user = User.objects.get(email=email)
    return user, user.memberships.active().get().enterprise


def _values(title, description, **extra):
    return {
        "title": title,
        "description": description,
        "kind": "tech_application",
        "nature": "scenario",
        "demand_side": "government",
        "industry": "03",
        "region": _region("330100"),
        "budget_min": Decimal("500000.00"),
        "budget_max": Decimal("3000000.00"),
        "deadline": _days(30),
        "requirements": "具备同类项目实施经验，提供本地化服务团队。",
        "benefits": ["test_bed", "first_order"],
        "co_building": "",
        "contact_name": "何佳琪",
        "contact_phone": "0571-87001234",
        **extra,
    }


def _response(scenario, email, summary, price):
    member, enterprise = _member_of(email)
    return responses.respond(
        scenario, actor=member, enterprise=enterprise, summary=summary,
        approach="需求调研、数据治理、模型训练与试点上线四个阶段实施，按月汇报进展。",
        price=Decimal(price), timeline="6 个月", references="已在省内两个地市落地同类项目。",
    )  # fmt: skip


def seed_scenarios(users, password, *, log=print) -> None:
    if Publisher.objects.exists():
        return
    hz_staff = users.get("hangzhou@demo.cn") or User.objects.get(email="hangzhou@demo.cn")
    bj_staff = users.get("beijing@demo.cn") or User.objects.get(email="beijing@demo.cn")
    hz_user = users.get("publisher@demo.cn") or User.objects.get(email="publisher@demo.cn")
    hz = publishers.apply_publisher(actor=hz_user, kind="soe", jurisdiction=_region("330100"))
    hz = publishers.approve_publisher(hz, actor=hz_staff)
    bj_user = _second_publisher_user(password)
    bj = publishers.apply_publisher(actor=bj_user, kind="platform", jurisdiction=_region("110000"))
    bj = publishers.approve_publisher(bj, actor=bj_staff)

    batch = scenarios.create_list(actor=hz_user, publisher=hz, title="2026年第一批应用场景清单")

    def hz_scenario(title, description, **extra):
        return scenarios.create_scenario(actor=hz_user, scenario_list=batch,
                                         **_values(title, description, **extra))  # fmt: skip

    def published(scenario, staff=hz_staff, user=hz_user):
        scenario = scenarios.submit_scenario(scenario, actor=user)
        return scenarios.publish_scenario(scenario, actor=staff)

    # Published, open for responses: responses submitted, shortlisted, withdrawn, a thread.
    brain = published(hz_scenario(
        "城市大脑人工智能辅助决策场景",
        "面向城市治理的人工智能辅助决策：事件自动分拨、态势研判和处置评估，开放城市运行数据。",
        co_building="杭州、宁波两地共建，成本共担、收益共享。",
        conditions={"field": "tier", "op": "in", "value": ["growth", "leading"]},
    ))  # fmt: skip
    first = _response(brain, "ent.hz@demo.cn", "基于大模型的城市事件智能分拨与决策辅助。",
                      "1800000")  # fmt: skip
    responses.shortlist_response(first, actor=hz_user)
    responses.post_message(first, actor=hz_user, body="能否提供与现有城市大脑平台的接口方案？")
    responses.post_message(first, actor=_member_of("ent.hz@demo.cn")[0],
                           body="可以，我们提供标准 API 与消息总线两种对接方式。")  # fmt: skip
    space = published(hz_scenario(
        "数据要素流通可信空间机会", "建设行业可信数据空间，开放港航物流数据，寻找数据产品合作方。",
        kind="data_enablement", nature="opportunity", demand_side="enterprise", industry="04",
        deadline=_days(45),
    ))  # fmt: skip
    _response(space, "ent.hz@demo.cn", "港航数据产品的合规流通方案。", "600000")
    withdrawn = _response(space, "ent.sh@demo.cn", "可信数据空间连接器。", "700000")
    responses.withdraw_response(withdrawn, actor=_member_of("ent.sh@demo.cn")[0])
    # Closed: responses locked, waiting for the award.
    closed = published(hz_scenario(
        "智慧园区能耗优化场景", "园区能耗数据的实时监测与智能调优。", kind="service_support",
        deadline=_days(20),
    ))  # fmt: skip
    _response(closed, "ent.hz@demo.cn", "能耗数字孪生与智能调优。", "900000")
    _response(closed, "ent.sh@demo.cn", "基于边缘计算的能耗优化。", "1100000")
    scenarios.close_scenario(closed, actor=hz_user)
    # Awarded with a first purchase confirmed into the catalogue.
    awarded = published(hz_scenario(
        "政务热线智能质检场景", "12345 热线通话的智能质检与工单摘要。", deadline=_days(10),
    ))  # fmt: skip
    winner = _response(awarded, "ent.hz@demo.cn", "热线语音智能质检系统。", "1200000")
    _response(awarded, "ent.sh@demo.cn", "热线质检外包服务。", "1500000")
    scenarios.close_scenario(awarded, actor=hz_user)
    made = awards.award_responses(awarded, actor=hz_user, awards=[{
        "response": winner, "form": "purchase", "amount": Decimal("1200000.00"),
        "starts_on": _days(-5), "ends_on": _days(360), "product_name": "澄江热线智能质检系统",
        "new_product": True,
    }])[0]  # fmt: skip
    awards.decide_first_purchase(made.first_purchase, actor=hz_staff, confirm=True)
    awards.report_outcome(made, actor=hz_user, outcome="succeeded",
                          progress="已在市民热线上线，质检覆盖率由 5% 提升到 100%。")  # fmt: skip
    # …held up by 杭州市's staff as a typical case (public page).
    cases.publish_case(
        made, actor=hz_staff, title="政务热线智能质检：从抽检到全检",
        summary="澄江数智的热线语音智能质检系统在市民热线上线，质检覆盖率由 5% 提升到 "
        "100%，工单摘要自动生成，坐席复核时间缩短一半。方案可复制到其他城市的政务热线。",
    )  # fmt: skip
    # Open, not yet answered by ent.hz@demo.cn: recommended to it (为我推荐, a notification).
    published(hz_scenario(
        "城市交通数据融合应用场景", "融合公交、地铁与网约车出行数据，支撑线网优化与拥堵治理。",
        deadline=_days(40),
    ))  # fmt: skip
    # Draft, submitted, returned for changes, cancelled.
    hz_scenario("低空物流无人机配送场景", "城区医疗物资无人机配送试点。", deadline=_days(60))
    scenarios.submit_scenario(
        hz_scenario("智能网联公交场景", "公交线路的车路协同与智能调度。", deadline=_days(50)),
        actor=hz_user,
    )
    returned = scenarios.submit_scenario(
        hz_scenario("社区养老智能看护场景", "独居老人的智能看护与紧急呼叫。"), actor=hz_user
    )
    scenarios.return_scenario(returned, actor=hz_staff, reason="请补充预算测算依据和数据开放范围。")
    cancelled = hz_scenario("旧城改造数字孪生场景", "因规划调整暂缓。")
    scenarios.cancel_scenario(cancelled, actor=hz_user, reason="规划调整，场景暂缓。")

    # 北京: the second city's batch, with an award waiting in the first-purchase queue.
    bj_batch = scenarios.create_list(actor=bj_user, publisher=bj, title="2026年第一批场景机会清单")

    def bj_scenario(title, description, **extra):
        values = _values(title, description, region=_region("110000"), contact_name="赵一鸣",
                         contact_phone="010-62001234", **extra)  # fmt: skip
        made = scenarios.create_scenario(actor=bj_user, scenario_list=bj_batch, **values)
        return published(made, staff=bj_staff, user=bj_user)

    bj_scenario("平台企业智能客服开放场景", "开放平台客服对话数据，征集智能客服解决方案。",
                kind="data_enablement", nature="opportunity", demand_side="enterprise")  # fmt: skip
    bought = bj_scenario("算力调度平台首购场景", "采购国产算力调度软件，用于智算中心。",
                         industry="02", deadline=_days(15))  # fmt: skip
    bj_win = _response(bought, "ent.bj@demo.cn", "衡宇智算调度平台。", "2600000")
    scenarios.close_scenario(bought, actor=bj_user)
    awards.award_responses(bought, actor=bj_user, awards=[{
        "response": bj_win, "form": "purchase", "amount": Decimal("2600000.00"),
        "starts_on": _days(-2), "ends_on": _days(300), "product_name": "衡宇算力调度平台",
        "new_product": True,
    }])  # fmt: skip
    # The recommendation job of each batch (queued when its first scenario was published),
    # run now so the demo shows its progress and ent.hz@demo.cn its one notification.
    for run in RecommendationRun.objects.filter(status="queued"):
        recommendations.run_recommendations(run)
    log("scenarios: 2 publishers, 2 batches, scenarios in every state, a first purchase, "
        "a typical case, recommendations")  # fmt: skip
