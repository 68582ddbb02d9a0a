"""Rebuild the shipped CJK font subsets (run by hand; the output files are committed).

Source: Noto Sans CJK SC (SIL Open Font License 1.1, OFL.txt beside this file), the
Simplified Chinese face of Debian's fonts-noto-cjk NotoSansCJK-{Regular,Bold}.ttc.
Kept: ASCII, Latin-1, general punctuation, CJK symbols, full-width forms, every GB 2312
character and every CJK character written anywhere in this project's source. The family is
renamed (a Modified Version under the OFL) so that a PDF shows which font it embedded:
the shipped one, never a font the machine happened to have.

    python reports/fonts/build_subset.py NotoSansCJK-Regular.ttc NotoSansCJK-Bold.ttc
"""

import sys
from contextlib import suppress
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent.parent
FAMILY = "Portal Sans SC"
SC_FACE = "Noto Sans CJK SC"


def gb2312() -> set[str]:
    chars = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            with suppress(UnicodeDecodeError):
                chars.add(bytes([hi, lo]).decode("gb2312"))
    return chars


def project_chars() -> set[str]:
    chars = set()
    for pattern in ("*.py", "*.html", "*.po", "*.txt", "*.md"):
        for path in PROJECT.rglob(pattern):
            if ".venv" in path.parts or "var" in path.parts:
                continue
            chars.update(c for c in path.read_text(errors="ignore") if ord(c) > 0x2E7F)
    return chars


def wanted() -> str:
    ranges = [(0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x2190, 0x21FF),
              (0x2460, 0x24FF), (0x25A0, 0x25FF), (0x3000, 0x303F), (0xFF00, 0xFFEF)]  # fmt: skip
    chars = {chr(c) for lo, hi in ranges for c in range(lo, hi + 1)}
    return "".join(sorted(chars | gb2312() | project_chars()))


def build(ttc: str, style: str) -> Path:
    font = next(f for f in TTCollection(ttc).fonts if f["name"].getDebugName(1) == SC_FACE)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=wanted())
    subsetter.subset(font)
    ps_name = FAMILY.replace(" ", "") + "-" + style
    for record in font["name"].names:
        if record.nameID in (1, 16):
            record.string = FAMILY
        elif record.nameID == 4:
            record.string = f"{FAMILY} {style}"
        elif record.nameID in (3, 6):
            record.string = ps_name
    font["CFF "].cff.fontNames = [ps_name]
    out = HERE / f"{ps_name}.otf"
    font.save(out)
    return out


if __name__ == "__main__":
    for path, style in zip(sys.argv[1:3], ("Regular", "Bold"), strict=False):
        print(build(path, style))
