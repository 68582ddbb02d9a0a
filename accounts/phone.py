import re

_NON_DIGITS = re.compile(r"[\s\-()]")


def normalise_phone(raw: str) -> str:
    """Mainland mobile numbers as 11 digits: drops spaces, dashes and a +86/86 prefix."""
    digits = _NON_DIGITS.sub("", raw or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    elif len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    return digits


def is_valid_phone(value: str) -> bool:
    return bool(re.fullmatch(r"1[3-9][0-9]{9}", value))
