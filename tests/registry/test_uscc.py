import pytest

from config.errors import DomainError
from registry.uscc import check_character, make_uscc, normalise_uscc, validate_uscc

# Real, published codes (Tencent, Baidu) and one from the GB 32100 literature.
VALID = ["91440300708461136T", "91110000802100433B", "91350100M000100Y43"]


@pytest.mark.parametrize("code", VALID)
def test_validate_uscc_accepts_published_codes(code):
    assert validate_uscc(code) == code


def test_validate_uscc_normalises_lower_case_and_spaces():
    assert validate_uscc(" 9144 0300 7084 6113 6t ") == "91440300708461136T"
    assert validate_uscc("9144\u30000300708461136t") == "91440300708461136T"


def test_validate_uscc_refuses_wrong_check_character_and_says_which():
    with pytest.raises(DomainError) as exc:
        validate_uscc("91440300708461136U")
    assert "校验位" in exc.value.message
    assert "应为 T" in exc.value.message
    assert exc.value.field == "uscc"


@pytest.mark.parametrize("code", ["9144030070846113", "91440300708461136TT", ""])
def test_validate_uscc_refuses_wrong_length(code):
    with pytest.raises(DomainError) as exc:
        validate_uscc(code)
    assert "18 位" in exc.value.message


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
def test_validate_uscc_refuses_illegal_letters(letter):
    code = "9144030070846113" + letter + "T"
    with pytest.raises(DomainError) as exc:
        validate_uscc(code)
    assert letter in exc.value.message
    assert "I、O、Z、S、V" in exc.value.message


def test_validate_uscc_refuses_punctuation():
    with pytest.raises(DomainError) as exc:
        validate_uscc("91440300708461136*")
    assert "*" in exc.value.message


def test_make_uscc_builds_codes_that_validate():
    codes = {make_uscc("330100", serial) for serial in range(1, 500)}
    assert len(codes) == 499
    assert all(validate_uscc(code) == code for code in codes)
    assert all(code[2:8] == "330100" for code in codes)


def test_check_character_zero_when_sum_divisible():
    # The modulo-31 edge case: a remainder of 0 maps to "0", not to index 31.
    body = next(b for b in (f"91110000{n:09d}" for n in range(10_000)) if check_character(b) == "0")
    assert validate_uscc(body + "0") == body + "0"


def test_normalise_uscc_strips_dashes():
    assert normalise_uscc("91440300-708461136t") == "91440300708461136T"
