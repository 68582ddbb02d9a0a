"""Phone numbers: the one place that says what a phone number is.

A contact phone (企业联系电话, a policy application's contact) is a mainland mobile
number (1[3-9] and 9 digits) or a landline with its area code (0 + 2–3 digits, an optional
dash, 7–8 digits), e.g. 13912345678, 010-62345678, 0571-88886666. A user's login phone is a
mobile only (it identifies the account). Spaces, dashes in a mobile and a +86/0086 prefix
are dropped first (`normalise_contact_phone`).
"""

import re

from django.core.exceptions import ValidationError

from config.constraint_messages import CONTACT_PHONE_MESSAGE

_NON_DIGITS = re.compile(r"[\s\-()]")
MOBILE_PATTERN = r"1[3-9][0-9]{9}"
LANDLINE_PATTERN = r"0[0-9]{2,3}-?[0-9]{7,8}"
# The database check on contact phones uses this pattern too (registry.Enterprise).
CONTACT_PHONE_REGEX = rf"^({MOBILE_PATTERN}|{LANDLINE_PATTERN})$"


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
    return bool(re.fullmatch(MOBILE_PATTERN, value))


def normalise_contact_phone(raw: str) -> str:
    """A mobile as its 11 digits; a landline keeps one dash after the area code if typed."""
    value = re.sub(r"\s", "", raw or "")
    mobile = normalise_phone(value)
    if is_valid_phone(mobile):
        return mobile
    return re.sub(r"^(\+86|0086)-?", "", value)


def is_valid_contact_phone(value: str) -> bool:
    return bool(re.fullmatch(CONTACT_PHONE_REGEX, value or ""))


def validate_contact_phone(value: str) -> None:
    """The validator on every contact-phone field (model, form and API)."""
    if not is_valid_contact_phone(value):
        raise ValidationError(CONTACT_PHONE_MESSAGE, code="contact_phone_invalid")
