"""统一社会信用代码 (unified social credit code), GB 32100-2015.

18 characters from a 31-symbol alphabet (digits and capitals without I, O, Z,
S, V); the last is a check character over the first 17, modulo 31.
"""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from config.errors import DomainError

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {char: value for value, char in enumerate(ALPHABET)}
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ILLEGAL_LETTERS = set("IOZSV")
LENGTH = 18


def normalise_uscc(raw: str) -> str:
    """Upper case, with spaces (also full-width) and dashes removed."""
    return "".join((raw or "").split()).replace("-", "").replace("\u3000", "").upper()


def check_character(body: str) -> str:
    """The GB 32100 check character for the first 17 characters."""
    total = sum(VALUES[char] * weight for char, weight in zip(body, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def validate_uscc(raw: str) -> str:
    """Return the normalised code, or raise DomainError saying what is wrong."""
    code = normalise_uscc(raw)
    if len(code) != LENGTH:
        raise DomainError(
            ngettext(
                "统一社会信用代码应为 18 位，您输入了 %(n)d 位。",
                "统一社会信用代码应为 18 位，您输入了 %(n)d 位。",
                len(code),
            )
            % {"n": len(code)},
            field="uscc",
        )
    illegal = sorted({char for char in code if char in ILLEGAL_LETTERS})
    if illegal:
        raise DomainError(
            _("统一社会信用代码不使用字母 I、O、Z、S、V，您输入的代码含有：%(chars)s。")
            % {"chars": "、".join(illegal)},
            field="uscc",
        )
    unknown = sorted({char for char in code if char not in VALUES})
    if unknown:
        raise DomainError(
            _("统一社会信用代码只能包含数字和大写字母，不能包含：%(chars)s。")
            % {"chars": " ".join(unknown)},
            field="uscc",
        )
    expected = check_character(code[:17])
    if code[17] != expected:
        raise DomainError(
            _("统一社会信用代码校验位错误：第 18 位应为 %(expected)s，而不是 %(given)s。")
            % {"expected": expected, "given": code[17]},
            field="uscc",
        )
    return code


def authority_region_code(code: str) -> str:
    """Characters 3–8: the GB/T 2260 code of the registration authority's region."""
    return code[2:8]


class RegionCheck:
    """How the registration authority's region (from the USCC) compares with the region an
    enterprise declares: stable keys, rendered where shown."""

    MATCH = "match"
    OTHER_CITY = "other_city"  # same province, another city
    OTHER_PROVINCE = "other_province"


def compare_regions(authority: str, declared: str) -> str:
    """Same province at least; the exact city too when both codes name a city (a
    province-level declaration, such as a municipality, matches any city inside it)."""
    if authority[:2] != declared[:2]:
        return RegionCheck.OTHER_PROVINCE
    authority_is_city = authority[2:4] != "00"
    declared_is_city = declared[2:4] != "00"
    if authority_is_city and declared_is_city and authority[:4] != declared[:4]:
        return RegionCheck.OTHER_CITY
    return RegionCheck.MATCH


# --- generating codes (demo data and tests) ---------------------------------

ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _org_code_check(body: str) -> str:
    """GB 11714 check character of the 9-character organisation code."""
    total = sum(int(char, 36) * weight for char, weight in zip(body, ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def make_uscc(region_code: str, serial: int) -> str:
    """A well-formed code for an enterprise (登记管理部门 9, 类别 1) in `region_code`."""
    body = f"{serial:08d}"[-8:]
    first17 = f"91{region_code}{body}{_org_code_check(body)}"
    return first17 + check_character(first17)
