"""Blind review: what a panelist of a round that hides names may learn about an applicant.

One rule, used by every path a panelist has (score-sheet page, API, attachment
downloads, notifications): every text is passed through `redact` with the applicant's
identity terms — its name and the short forms people write, its 统一社会信用代码, its
website and domain, its contact person, phone and e-mail — each replaced by a neutral
placeholder in the reader's language.

Short forms follow how Chinese company names are built (企业名称登记管理规定):
行政区划 + 字号 + 行业 + 组织形式, e.g. 浙江省杭州云栖数智科技有限公司 → 云栖数智科技,
云栖数智, 云栖. A derived form that is a generic word (数字, 科技 …) is never a term,
so essays about the digital economy stay readable.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _

APPLICANT, CODE, WEBSITE, CONTACT = "applicant", "code", "website", "contact"
PLACEHOLDERS = {
    APPLICANT: _("【申请单位】"),
    CODE: _("【统一社会信用代码】"),
    WEBSITE: _("【网址】"),
    CONTACT: _("【联系人】"),
}

LEGAL_FORMS = sorted(
    ["股份有限公司", "有限责任公司", "有限公司", "股份公司", "（有限合伙）", "(有限合伙)",
     "合伙企业", "公司", "集团"],
    key=len,
    reverse=True,
)  # fmt: skip
# Industry words (行业表述) that follow the trade name; also the generic words that
# are never an identity term on their own.
INDUSTRY_WORDS = sorted(
    ["科技", "技术", "信息", "网络", "软件", "数据", "智能", "数字", "电子", "通信", "系统",
     "服务", "计算机", "云计算", "大数据", "人工智能", "互联网", "物联网", "集成电路",
     "半导体", "数智", "智慧", "咨询", "发展", "实业", "控股", "集团", "创新", "工程",
     "研究院", "研究所", "传媒", "文化", "医疗", "生物", "新材料", "能源", "装备", "制造",
     "自动化", "机器人", "微电子", "光电", "计算", "算力", "区块链", "安全", "平台", "产业",
     "投资", "管理", "贸易", "商务", "电子商务", "信息技术", "网络科技", "数字科技",
     "智能科技", "信息科技", "数据科技", "云", "中国", "中华", "国际", "股份", "有限"],
    key=len,
    reverse=True,
)  # fmt: skip
# The portal's own vocabulary is never an applicant's name either.
GENERIC = set(INDUSTRY_WORDS) | {"公司", "企业", "中心", "数创", "数字经济", "创新型"}
REGION_SUFFIX = re.compile(
    r"(壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区|自治州|地区|省|市|盟)$"
)
PARENTHESISED = re.compile(r"[（(][^）)]*[）)]")
PUBLIC_MAIL = {"qq.com", "163.com", "126.com", "sina.com", "sohu.com", "gmail.com",
               "outlook.com", "hotmail.com", "foxmail.com", "139.com", "yeah.net",
               "aliyun.com", "icloud.com"}  # fmt: skip
DOMAIN_TAILS = {"com", "cn", "net", "org", "gov", "edu", "io", "ai", "co", "tech", "info",
                "top", "xyz", "ltd", "biz", "www"}  # fmt: skip
MIN_LATIN = 4  # a shorter latin label ("abc") would blank out ordinary words


@dataclass
class IdentityTerms:
    """Terms to hide, each with the kind of placeholder it becomes."""

    kinds: dict[str, str] = field(default_factory=dict)  # lower-cased term -> kind
    _pattern: re.Pattern | None = field(default=None, init=False, repr=False)

    def add(self, term: str, kind: str) -> None:
        term = (term or "").strip()
        if not term or term in GENERIC:
            return
        if term.isascii() and len(term) < MIN_LATIN:
            return
        if not term.isascii() and len(term) < 2:
            return
        self.kinds.setdefault(term.lower(), kind)
        self._pattern = None

    def merge(self, other: "IdentityTerms") -> "IdentityTerms":
        for term, kind in other.kinds.items():
            self.kinds.setdefault(term, kind)
        self._pattern = None
        return self

    @property
    def pattern(self) -> re.Pattern | None:
        if self._pattern is None and self.kinds:
            # Longest first, so a full name is one placeholder, not a name with holes.
            alternatives = []
            for term in sorted(self.kinds, key=len, reverse=True):
                escaped = re.escape(term)
                if term.isascii():  # latin and digits: whole tokens only
                    escaped = rf"(?<![0-9a-z]){escaped}(?![0-9a-z])"
                alternatives.append(escaped)
            self._pattern = re.compile("|".join(alternatives), re.IGNORECASE)
        return self._pattern

    def __bool__(self) -> bool:
        return bool(self.kinds)


def redact(text, terms: IdentityTerms):
    """`text` with every identity term replaced by its placeholder (None stays None)."""
    if not text or not terms:
        return text
    pattern = terms.pattern
    return pattern.sub(lambda m: str(PLACEHOLDERS[terms.kinds[m.group(0).lower()]]), str(text))


def redact_data(value, terms: IdentityTerms):
    """`redact` over every string inside JSON-like data (dicts, lists), keys kept."""
    if isinstance(value, str):
        return redact(value, terms)
    if isinstance(value, dict):
        return {k: redact_data(v, terms) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact_data(v, terms) for v in value]
    return value


def region_prefixes() -> list[str]:
    """Names of provinces and prefectures, with and without 省/市/自治区…, longest first."""
    from accounts.models import Region

    names = set()
    for name in Region.objects.exclude(level="country").values_list("name", flat=True):
        names.add(name)
        bare = REGION_SUFFIX.sub("", name)
        if len(bare) >= 2:
            names.add(bare)
    return sorted(names, key=len, reverse=True)


def _strip_start(text: str, prefixes: Iterable[str]) -> list[str]:
    """`text` and what remains after each leading prefix is taken off, in order."""
    stages, changed = [text], True
    while changed:  # 浙江省杭州… : the province, then the city
        changed = False
        for prefix in prefixes:
            if text.startswith(prefix) and len(text) - len(prefix) >= 2:
                text, changed = text[len(prefix) :], True
                stages.append(text)
                break
    return stages


def _strip_end(text: str, suffixes: Iterable[str]) -> list[str]:
    """`text` and what remains after each trailing suffix is taken off, in order."""
    stages, changed = [text], True
    while changed:  # 云栖数智科技 → 云栖数智 → 云栖
        changed = False
        for suffix in suffixes:
            if text.endswith(suffix) and len(text) - len(suffix) >= 2:
                text, changed = text[: -len(suffix)], True
                stages.append(text)
                break
    return stages


def short_names(name: str, prefixes: Iterable[str]) -> list[str]:
    """The forms a company name is written in: without its legal form, without its
    region, the trade name (字号) alone and its first two characters."""
    name = (name or "").strip()
    if not name:
        return []
    prefixes = [*prefixes, "中国", "中华"]
    forms = [name, name.replace("（", "(").replace("）", ")"),
             name.replace("(", "（").replace(")", "）")]  # fmt: skip
    plain = PARENTHESISED.sub("", name)  # 云栖数智科技（杭州）有限公司
    core = _strip_end(plain, LEGAL_FORMS)[-1]
    trade_names = _strip_end(_strip_start(core, prefixes)[-1], INDUSTRY_WORDS)
    if trade_names[-1] in GENERIC:
        # 安康医疗科技: the "region" was the trade name; only the forms that keep it.
        forms += _strip_end(plain, LEGAL_FORMS)
    else:
        for without_region in _strip_start(plain, prefixes):
            forms += _strip_end(without_region, LEGAL_FORMS)
        forms += trade_names
        if len(trade_names[-1]) >= 4:  # 简称: the trade name's first two characters
            forms.append(trade_names[-1][:2])
    return [f for f in dict.fromkeys(forms) if f]


def _domain_terms(url: str) -> list[str]:
    url = (url or "").strip()
    if not url:
        return []
    host = (urlsplit(url if "//" in url else f"//{url}").hostname or "").lower()
    terms = [url, url.split("//", 1)[-1].rstrip("/")]
    if host:
        bare = host.removeprefix("www.")
        terms += [host, bare]
        labels = [part for part in bare.split(".") if part not in DOMAIN_TAILS]
        if labels:
            terms.append(labels[-1])  # yunqi-tech.com.cn -> yunqi-tech
    return terms


def identity_terms(enterprise, *, prefixes=None) -> IdentityTerms:
    """Everything that names `enterprise` in a text."""
    prefixes = region_prefixes() if prefixes is None else prefixes
    terms = IdentityTerms()
    for form in short_names(enterprise.name, prefixes):
        terms.add(form, APPLICANT)
    terms.add(enterprise.uscc, CODE)
    for term in _domain_terms(enterprise.website):
        terms.add(term, WEBSITE)
    terms.add(enterprise.contact_name, CONTACT)
    phone = enterprise.contact_phone or ""
    terms.add(phone, CONTACT)
    digits = re.sub(r"\D", "", phone)
    if len(digits) >= 7:
        terms.add(digits, CONTACT)
    email = (enterprise.contact_email or "").strip()
    terms.add(email, CONTACT)
    domain = email.rpartition("@")[2].lower()
    if domain and domain not in PUBLIC_MAIL:
        for term in _domain_terms(domain):
            terms.add(term, WEBSITE)
    return terms


def terms_for_enterprises(enterprises) -> IdentityTerms:
    """The union over several applicants (for texts that concern a whole round)."""
    prefixes = region_prefixes()
    merged = IdentityTerms()
    for enterprise in enterprises:
        merged.merge(identity_terms(enterprise, prefixes=prefixes))
    return merged


def is_blind_for(selection_round, user) -> bool:
    """The round hides applicants from its panel and `user` reads as a panelist."""
    return bool(selection_round.hide_enterprise_names) and user.role == "panelist"
