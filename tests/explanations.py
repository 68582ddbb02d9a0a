"""What the explanation tests share: whether an English rendering holds Chinese."""

import re

CJK = re.compile(r"[\u4e00-\u9fff]")


def chinese_in(text: str, *proper_names: str) -> list[str]:
    """The Chinese characters left in `text` once the proper names (and the rubric's
    own words) are taken out; [] means the text reads in English."""
    for name in sorted(proper_names, key=len, reverse=True):
        text = text.replace(name, "")
    return CJK.findall(text)
