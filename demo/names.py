"""Static demo data: the cast of demo logins and named enterprises, and the word lists
for generating fictional but plausible enterprise profiles.

Every company here is invented: a city short name, a two-character 字号, an industry
word and a legal form, e.g. 杭州澄江数智科技有限公司. Organisations carry 示范 in their
names so that nobody mistakes them for real ones.
"""

import datetime
from dataclasses import dataclass

from accounts.models import OrganisationKind, Role

ADMIN_EMAIL = "admin@demo.cn"


@dataclass(frozen=True)
class DemoUser:
    email: str
    phone: str
    full_name: str
    role: str
    org: str = ""
    kind: str = ""
    region: str = ""  # organisation region; also the jurisdiction of a bureau user


B, K = Role.BUREAU, OrganisationKind
# e-mail, mobile, name, role, organisation, organisation kind, region code
STAFF = [DemoUser(*row) for row in [
    (ADMIN_EMAIL, "18800000001", "系统管理员", Role.ADMIN),
    ("national@demo.cn", "18800000010", "赵立新", B, "国家数据局", K.BUREAU, "000000"),
    ("zhejiang@demo.cn", "18800000011", "钱晓燕", B, "浙江省数据局", K.BUREAU, "330000"),
    ("hangzhou@demo.cn", "18800000012", "孙浩然", B, "杭州市数据资源管理局", K.BUREAU, "330100"),
    ("beijing@demo.cn", "18800000013", "李建华", B, "北京市政务服务和数据管理局", K.BUREAU,
     "110000"),
    ("shanghai@demo.cn", "18800000014", "周若溪", B, "上海市数据局", K.BUREAU, "310000"),
    ("expert1@demo.cn", "18800000021", "林知远", Role.PANELIST, "东海示范大学数据科学学院",
     K.UNIVERSITY, "330100"),
    ("expert2@demo.cn", "18800000022", "陈悦", Role.PANELIST, "示范创投数字经济基金管理有限公司",
     K.INVESTMENT, "330100"),
    ("expert3@demo.cn", "18800000023", "郑一鸣", Role.PANELIST, "示范数字经济研究院", K.RESEARCH,
     "110000"),
    ("bank@demo.cn", "18800000031", "吴静", Role.INSTITUTION, "数创示范银行杭州分行", K.BANK,
     "330100"),
    ("provider@demo.cn", "18800000041", "黄宇航", Role.PROVIDER, "黔云示范算力枢纽服务有限公司",
     K.PROVIDER, "520100"),
    ("publisher@demo.cn", "18800000051", "何佳琪", Role.PUBLISHER, "杭州示范城市运营集团有限公司",
     K.PUBLISHER, "330100"),
]]  # fmt: skip


@dataclass(frozen=True)
class NamedEnterprise:
    owner: DemoUser
    name: str
    region: str
    industry: str
    category: str
    founded_on: datetime.date
    size: str
    listing_status: str
    domain: str
    description: str
    tier: str = ""  # "" = not (yet) in the registry
    round_year: int = 2025
    days_ago: int = 0  # backdated registration time


def _owner(email, phone, full_name):
    return DemoUser(email, phone, full_name, Role.ENTERPRISE)


NAMED = [
    NamedEnterprise(
        _owner("ent.hz@demo.cn", "18800000101", "王思远"), "杭州澄江数智科技有限公司", "330100",
        "03", "tech", datetime.date(2018, 4, 16), "small", "unlisted", "chengjianghz",
        "公司专注于隐私计算平台，为金融机构和政府部门提供自主可控的核心技术与产品。",
        tier="growth", days_ago=520,
    ),
    NamedEnterprise(
        _owner("ent.nb@demo.cn", "18800000102", "许嘉怡"), "宁波港汇数据服务有限公司", "330200",
        "04", "data", datetime.date(2021, 9, 8), "micro", "unlisted", "ganghuinb",
        "公司专注于港航物流数据产品开发，为物流企业提供合规高效的数据产品与服务。",
        days_ago=2,
    ),
    NamedEnterprise(
        _owner("ent.bj@demo.cn", "18800000103", "刘文博"), "北京衡宇智算科技股份有限公司",
        "110000", "03", "tech", datetime.date(2012, 6, 1), "medium", "neeq", "hengyubj",
        "公司专注于大模型应用开发与智能算力调度，为制造企业提供自主可控的核心技术与产品。",
        tier="leading", round_year=2024, days_ago=720,
    ),
    NamedEnterprise(
        _owner("ent.sh@demo.cn", "18800000104", "沈梓萱"), "上海浦澄数字科技有限公司", "310000",
        "05", "scenario", datetime.date(2019, 11, 20), "small", "unlisted", "puchengsh",
        "公司专注于园区能源管理，为能源企业和城市管理部门提供可复制推广的场景解决方案。",
        tier="potential", days_ago=400,
    ),
]  # fmt: skip
JOINER = _owner("ent.hz2@demo.cn", "18800000105", "陈雨桐")  # pending request to NAMED[0]
LOGIN_EMAILS = [
    "ent.hz@demo.cn", "zhejiang@demo.cn", "expert1@demo.cn", "bank@demo.cn",
    "provider@demo.cn", "publisher@demo.cn", ADMIN_EMAIL,
]  # fmt: skip


# Region code -> (short name, pinyin for web domains, weight in the generated set).
CITIES = {
    "330100": ("杭州", "hz", 16),
    "330200": ("宁波", "nb", 7),
    "330300": ("温州", "wz", 5),
    "110000": ("北京", "bj", 16),
    "310000": ("上海", "sh", 14),
    "440100": ("广州", "gz", 8),
    "440300": ("深圳", "sz", 12),
    "520100": ("贵阳", "gy", 6),
    "510100": ("成都", "cd", 8),
    "320100": ("南京", "nj", 6),
    "320500": ("苏州", "suz", 6),
}

# Syllables of a 字号 with their pinyin (for the web domain).
SYLLABLES = [
    ("云", "yun"), ("栖", "qi"), ("星", "xing"), ("图", "tu"), ("数", "shu"),
    ("聚", "ju"), ("智", "zhi"), ("慧", "hui"), ("联", "lian"), ("创", "chuang"),
    ("启", "qi"), ("明", "ming"), ("远", "yuan"), ("航", "hang"), ("睿", "rui"),
    ("博", "bo"), ("信", "xin"), ("达", "da"), ("汇", "hui"), ("通", "tong"),
    ("华", "hua"), ("恒", "heng"), ("泰", "tai"), ("源", "yuan"), ("海", "hai"),
    ("峰", "feng"), ("融", "rong"), ("瀚", "han"), ("澜", "lan"), ("锐", "rui"),
    ("鼎", "ding"), ("晟", "sheng"), ("宸", "chen"), ("璟", "jing"), ("沐", "mu"),
    ("泓", "hong"), ("鸿", "hong"), ("卓", "zhuo"), ("越", "yue"), ("辰", "chen"),
    ("致", "zhi"), ("衡", "heng"), ("弘", "hong"), ("景", "jing"), ("新", "xin"),
    ("天", "tian"), ("宇", "yu"), ("乾", "qian"), ("坤", "kun"), ("极", "ji"),
    ("光", "guang"), ("合", "he"), ("众", "zhong"), ("朗", "lang"), ("清", "qing"),
    ("微", "wei"), ("矩", "ju"), ("阵", "zhen"), ("链", "lian"), ("算", "suan"),
    ("芯", "xin"), ("擎", "qing"), ("帆", "fan"), ("澄", "cheng"), ("铭", "ming"),
    ("映", "ying"), ("知", "zhi"), ("行", "xing"), ("拓", "tuo"), ("元", "yuan"),
    ("象", "xiang"), ("观", "guan"), ("川", "chuan"), ("青", "qing"), ("禾", "he"),
    ("易", "yi"), ("捷", "jie"), ("迅", "xun"), ("灵", "ling"), ("犀", "xi"),
    ("若", "ruo"), ("谷", "gu"), ("策", "ce"), ("维", "wei"), ("度", "du"),
    ("格", "ge"), ("琢", "zhuo"), ("钧", "jun"), ("舟", "zhou"), ("岚", "lan"),
]  # fmt: skip

# Industry words by top-level class of 数字经济及其核心产业统计分类（2021）.
INDUSTRY_WORDS = {
    "01": ["电子科技", "智能装备", "半导体", "传感技术", "智能终端", "光电科技", "通信设备"],
    "02": ["数码科技", "电子商贸", "智能设备服务", "计算机服务", "数码贸易"],
    "03": ["软件", "信息技术", "网络科技", "云计算技术", "人工智能科技", "数智科技", "算力技术"],
    "04": ["大数据服务", "数据科技", "数据技术", "数字传媒", "互联网科技", "数字内容科技"],
    "05": ["智能制造", "智慧农业科技", "智慧物流", "数字医疗科技", "工业互联网科技", "智慧能源"],
}
# Relative weight of each class among the generated enterprises.
INDUSTRY_WEIGHTS = {"01": 14, "02": 8, "03": 40, "04": 22, "05": 16}

FOCUS = {
    "01": ["工业传感器与边缘计算模组", "车规级功率芯片", "智能安防终端", "光通信器件",
           "服务机器人整机"],
    "02": ["政企数字设备运维", "数码产品供应链", "算力设备租赁与维保", "智能终端回收与再制造"],
    "03": ["工业软件与低代码平台", "大模型应用开发", "隐私计算平台", "智能客服系统",
           "数据库与中间件"],
    "04": ["公共数据授权运营", "数据标注与治理", "行业数据产品开发", "数字内容创作平台",
           "数据交易撮合服务"],
    "05": ["离散制造数字化改造", "智慧农业物联网", "冷链物流调度", "互联网医疗服务",
           "园区能源管理"],
}  # fmt: skip
CLIENTS = [
    "制造企业", "中小企业", "政府部门", "金融机构", "医疗机构", "物流企业",
    "零售企业", "能源企业", "农业经营主体", "城市管理部门", "高校院所",
]  # fmt: skip
OFFERINGS = {
    "tech": "自主可控的核心技术与产品",
    "scenario": "可复制推广的场景解决方案",
    "data": "合规高效的数据产品与服务",
}

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝"
)
GIVEN_NAMES = [
    "伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "杰", "涛", "超", "婷", "悦", "晨",
    "思远", "子涵", "雨桐", "浩然", "欣怡", "宇航", "嘉怡", "俊杰", "梓萱", "明轩", "诗琪",
    "文博", "佳琪", "志强", "晓燕", "建华", "海燕", "立新", "亚楠", "一鸣", "若溪", "天佑",
]  # fmt: skip

# Mobile prefixes of the three carriers (all match 1[3-9]xxxxxxxxx).
MOBILE_PREFIXES = [
    "133", "135", "136", "137", "138", "150", "151", "153", "158", "159",
    "177", "180", "181", "186", "187", "188", "189", "199",
]  # fmt: skip

# Weights of the generated profiles.
CATEGORY_BY_INDUSTRY = {
    "01": {"tech": 80, "scenario": 15, "data": 5},
    "02": {"tech": 30, "scenario": 50, "data": 20},
    "03": {"tech": 60, "scenario": 25, "data": 15},
    "04": {"tech": 15, "scenario": 20, "data": 65},
    "05": {"tech": 20, "scenario": 65, "data": 15},
}
SIZES = {"micro": 25, "small": 45, "medium": 22, "large": 8}
LISTINGS = {
    "unlisted": 920, "neeq": 40, "star": 15, "chinext": 12,
    "main_board": 5, "bse": 5, "hkex": 3,
}  # fmt: skip
TIERS = {"potential": 68, "growth": 26, "leading": 6}
