"""Demo data-resource registrations (数据资源登记) for the named enterprises, made through
the services so that codes, revisions, audit events and notifications are all real.

Fifteen resources across every state: coded (with codes), one with a change pending,
one corrected, one cancelled, one in notice, and applications at each earlier step.
Idempotent: an enterprise that already has data resources is skipped.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from registry.models import Enterprise
from resources.models import DataResource
from resources.services import changes
from resources.services import registration as svc

MEASURES = "数据分类分级管理，最小权限访问控制，敏感字段脱敏与加密存储，操作日志留存不少于 6 个月。"


@dataclass(frozen=True)
class Spec:
    owner: str  # e-mail of the enterprise's demo login
    name: str
    domain: str
    description: str
    sources: tuple
    volume: str
    unit: str
    cycle: str
    rights: tuple
    level: str
    target: str  # applied, accepted, reviewed, noticed, coded, returned, rejected,
    # or coded+change / coded+corrected / coded+cancelled


SPECS = [
    Spec("ent.hz@demo.cn", "城市交通出行轨迹数据集", "transport",
         "全市网约车、公交与共享单车出行轨迹，脱敏后按 15 分钟网格汇总。",
         ("self_collected", "public_authorised"), "1250", "gb", "daily",
         ("holding", "processing"), "important", "coded"),
    Spec("ent.hz@demo.cn", "工业设备运行监测数据", "industry",
         "合作制造企业产线传感器采集的设备温度、振动与能耗参数。",
         ("self_collected",), "320", "tb", "realtime", ("holding", "processing", "operating"),
         "general", "coded+change"),
    Spec("ent.hz@demo.cn", "隐私计算联合建模样本库", "finance",
         "多方安全计算场景下的联合建模样本与特征工程结果。",
         ("self_collected", "purchased"), "860", "records", "monthly", ("processing",),
         "important", "noticed"),
    Spec("ent.hz@demo.cn", "企业用电负荷时序数据", "energy",
         "园区企业分时用电负荷曲线，用于能效诊断。",
         ("public_authorised",), "45", "gb", "daily", ("processing",), "general", "applied"),
    Spec("ent.hz@demo.cn", "电商平台商品交易明细数据", "commerce",
         "自营电商平台订单与商品明细，去标识化处理。",
         ("self_collected",), "2300", "records", "daily", ("holding",), "general", "returned"),
    Spec("ent.hz@demo.cn", "智慧园区视频结构化数据", "government",
         "园区出入口视频的人车结构化信息。",
         ("self_collected",), "18", "tb", "realtime", ("holding",), "important",
         "coded+cancelled"),
    Spec("ent.nb@demo.cn", "港口集装箱作业数据集", "transport",
         "码头集装箱装卸、堆场与闸口作业记录。",
         ("self_collected", "public_authorised"), "5600", "records", "realtime",
         ("holding", "operating"), "important", "coded+corrected"),
    Spec("ent.nb@demo.cn", "航运船舶 AIS 轨迹数据", "transport",
         "近海船舶 AIS 报文解析后的航迹数据。",
         ("purchased",), "9.5", "tb", "realtime", ("processing",), "general", "reviewed"),
    Spec("ent.nb@demo.cn", "跨境贸易报关单据数据", "commerce",
         "进出口报关单据结构化数据（脱敏）。",
         ("public_authorised",), "780", "records", "weekly", ("processing",), "important",
         "accepted"),
    Spec("ent.bj@demo.cn", "算力集群调度运行日志", "science",
         "智算中心作业调度、资源占用与能耗日志。",
         ("self_collected",), "260", "tb", "realtime", ("holding", "operating"), "general",
         "coded"),
    Spec("ent.bj@demo.cn", "医疗影像标注数据集", "health",
         "合作医院授权的脱敏医学影像及专家标注。",
         ("purchased",), "42", "tb", "irregular", ("processing",), "core", "accepted"),
    Spec("ent.bj@demo.cn", "金融风控特征数据", "finance",
         "小微企业信贷风控特征变量。",
         ("purchased",), "150", "records", "monthly", ("processing",), "important", "rejected"),
    Spec("ent.sh@demo.cn", "文旅景区客流统计数据", "culture_tourism",
         "重点景区分时客流与来源地统计。",
         ("public_authorised",), "96", "gb", "daily", ("processing", "operating"), "general",
         "coded"),
    Spec("ent.sh@demo.cn", "农产品产地溯源数据", "agriculture",
         "合作社农产品种植、采收与流通溯源记录。",
         ("self_collected",), "35", "records", "weekly", ("holding",), "general", "applied"),
    Spec("ent.sh@demo.cn", "城市气象环境监测数据", "other",
         "自建微型气象站的温湿度、风速与空气质量数据。",
         ("self_collected",), "12", "gb", "realtime", ("holding", "processing"), "general",
         "reviewed"),
]  # fmt: skip

STEPS = ["applied", "accepted", "reviewed", "noticed", "coded"]


def _values(spec: Spec) -> dict:
    return {
        "name": spec.name,
        "description": spec.description,
        "domain": spec.domain,
        "sources": list(spec.sources),
        "volume": Decimal(spec.volume),
        "volume_unit": spec.unit,
        "update_cycle": spec.cycle,
        "usage_rights": list(spec.rights),
        "security_level": spec.level,
        "security_measures": MEASURES if spec.level != "general" else "",
    }


def _walk(spec: Spec, member, bureau, enterprise) -> DataResource:
    resource = svc.apply_resource(enterprise, actor=member, values=_values(spec))
    state = spec.target.split("+")[0]
    if state == "returned":
        return svc.return_resource(resource, actor=bureau, reason="请补充数据来源的合法性说明。")
    if state == "rejected":
        resource = svc.accept_resource(resource, actor=bureau)
        return svc.reject_resource(
            resource, actor=bureau, reason="外部采购数据未取得再加工使用授权。"
        )
    today = timezone.localdate()
    for step in STEPS[1 : STEPS.index(state) + 1]:
        if step == "accepted":
            resource = svc.accept_resource(resource, actor=bureau)
        elif step == "reviewed":
            resource = svc.review_resource(resource, actor=bureau, note="材料齐全，内容属实。")
        elif step == "noticed":
            # A coded resource's notice ran in the past; the one left in notice started today.
            start = today if state == "noticed" else today - datetime.timedelta(days=10)
            resource = svc.publish_notice(resource, actor=bureau, today=start)
        elif step == "coded":
            resource = svc.code_resource(resource, actor=bureau)
    return resource


def _after_coding(spec: Spec, resource, member, bureau) -> None:
    if spec.target.endswith("+change"):
        changes.propose_change(
            resource,
            actor=member,
            values={"volume": Decimal("410"), "update_cycle": "daily"},
            reason="新增两条产线接入，采集频率调整。",
        )
    elif spec.target.endswith("+corrected"):
        changes.correct_resource(
            resource, actor=bureau, values={"update_cycle": "daily"}, reason="更新频率登记有误。"
        )
    elif spec.target.endswith("+cancelled"):
        request = changes.request_cancellation(
            resource, actor=member, reason="园区项目结束，数据已停止采集并按约定销毁。"
        )
        changes.approve_change(request, actor=bureau, note="同意注销。")


def seed_resources(users, *, log=print) -> None:
    """`users` by e-mail: the named enterprises' owners and the bureau logins."""
    made = 0
    by_owner: dict[str, list[Spec]] = {}
    for spec in SPECS:
        by_owner.setdefault(spec.owner, []).append(spec)
    for email, specs in by_owner.items():
        member = users.get(email)
        enterprise = Enterprise.objects.visible_to(member).first() if member else None
        if enterprise is None or DataResource.objects.filter(enterprise=enterprise).exists():
            continue
        # The nearest bureau acts (the city's, else the province's), as it would in life.
        bureau = max(
            (u for u in users.values() if u.is_bureau and u.region.contains(enterprise.region)),
            key=lambda u: len(u.region.path),
        )
        for spec in specs:
            resource = _walk(spec, member, bureau, enterprise)
            _after_coding(spec, resource, member, bureau)
            made += 1
    log(f"数据资源登记：{made} 项")
