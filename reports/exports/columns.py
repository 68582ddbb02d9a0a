"""Small builders of export columns, so that a list is a few declarative lines.

`money("amount", _("金额（元）"))` is `Column("amount", …, kind=MONEY)`; `firm("entry.enterprise")`
the enterprise columns every list naming an enterprise repeats (name, credit code, region).
"""

from functools import partial

from django.utils.translation import gettext_lazy as _

from reports.exports.spec import BOOL, DATE, DATETIME, DECIMAL, INT, MONEY, Column

text = Column
money = partial(Column, kind=MONEY)
number = partial(Column, kind=DECIMAL)
count = partial(Column, kind=INT)
day = partial(Column, kind=DATE)
when = partial(Column, kind=DATETIME)
flag = partial(Column, kind=BOOL)


def firm(path="enterprise", *, uscc=True, region=True) -> list[Column]:
    """The enterprise at `path`: its name, then (unless told not to) its unified social
    credit code (`uscc="optional"`: offered but unticked) and its region's name."""
    columns = [text(f"{path}.name", _("企业名称"))]
    if uscc:
        columns.append(text(f"{path}.uscc", _("统一社会信用代码"), default=uscc is True))
    if region:
        columns.append(text(f"{path}.region.name", _("地区")))
    return columns
