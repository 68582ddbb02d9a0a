"""Small SVG charts drawn on the server from (label, value) data: bar, stacked column, line
and donut. Pure functions returning safe markup, usable in a PDF (WeasyPrint draws SVG) and
on a page alike; each carries a text alternative (<title> and <desc>), and `data_table`
gives the same figures as an accessible table for readers who cannot see the chart.
"""

from decimal import Decimal
from html import escape
from math import cos, pi, sin

from django.utils.safestring import SafeString, mark_safe

PALETTE = ["#2f6fb0", "#e08a2c", "#3d9a5b", "#c0504d", "#7b61a8", "#8c8c8c", "#1f9fae"]
FONT = 'font-family="Portal Sans SC, sans-serif"'


def _num(value) -> float:
    return float(value or 0)


def _fmt(value) -> str:
    if isinstance(value, Decimal | float):
        return f"{value:,.2f}".rstrip("0").rstrip(".") if value % 1 else f"{int(value):,}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _svg(width: int, height: int, title: str, desc: str, body: list[str]) -> SafeString:
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" class="chart-svg">'
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>" + "".join(body) + "</svg>"
    )


def describe(data) -> str:
    """The figures as one sentence: 潜力型 12；成长型 5 …"""
    return "；".join(f"{label} {_fmt(value)}" for label, value in data)


def bar_chart(data, *, title: str, width: int = 520, unit: str = "") -> SafeString:
    """Horizontal bars, one per (label, value)."""
    data = list(data)
    row, label_w, top = 22, 150, 6
    height = top * 2 + row * max(len(data), 1)
    most = max((_num(v) for _, v in data), default=0) or 1
    plot = width - label_w - 60
    body = []
    for i, (label, value) in enumerate(data):
        y = top + i * row
        w = plot * _num(value) / most
        body.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" font-size="11" {FONT}>'
            f"{escape(str(label))}</text>"
            f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row - 8}" '
            f'fill="{PALETTE[0]}"/>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + 15}" font-size="11" {FONT}>'
            f"{escape(_fmt(value))}{escape(unit)}</text>"
        )
    return _svg(width, height, title, describe(data), body)


def stacked_columns(categories, series, *, title: str, width: int = 520, height: int = 240):
    """Vertical columns, one per category, stacked by series.

    `categories`: the column labels; `series`: [(name, [value per category])]."""
    categories, series = list(categories), list(series)
    left, bottom, top, legend_h = 40, 28, 10, 20
    plot_h = height - bottom - top - legend_h
    totals = [sum(_num(values[i]) for _, values in series) for i in range(len(categories))]
    most = max(totals, default=0) or 1
    slot = (width - left - 10) / max(len(categories), 1)
    body = [f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 5}" y2="{top + plot_h}" '
            f'stroke="#555" stroke-width="0.8"/>']  # fmt: skip
    for i, category in enumerate(categories):
        x, y = left + i * slot + slot * 0.2, top + plot_h
        for s, (_, values) in enumerate(series):
            h = plot_h * _num(values[i]) / most
            y -= h
            body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.6:.1f}" '
                        f'height="{h:.1f}" fill="{PALETTE[s % len(PALETTE)]}"/>')  # fmt: skip
        body.append(
            f'<text x="{x + slot * 0.3:.1f}" y="{y - 3:.1f}" text-anchor="middle" font-size="10" '
            f"{FONT}>{escape(_fmt(totals[i]))}</text>"
            f'<text x="{x + slot * 0.3:.1f}" y="{top + plot_h + 14}" text-anchor="middle" '
            f'font-size="10" {FONT}>{escape(str(category))}</text>'
        )
    body += _legend([name for name, _ in series], y=height - 6)
    desc = "；".join(
        f"{category}：" + "，".join(f"{name} {_fmt(values[i])}" for name, values in series)
        for i, category in enumerate(categories)
    )
    return _svg(width, height, title, desc, body)


def line_chart(data, *, title: str, width: int = 520, height: int = 200) -> SafeString:
    """One line through (label, value) points, labels along the x axis."""
    data = list(data)
    left, bottom, top = 40, 26, 14
    plot_h, plot_w = height - bottom - top, width - left - 20
    most = max((_num(v) for _, v in data), default=0) or 1
    step = plot_w / max(len(data) - 1, 1)
    points = [(left + i * step, top + plot_h - plot_h * _num(v) / most) for i, (_, v) in
              enumerate(data)]  # fmt: skip
    body = [f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 10}" y2="{top + plot_h}" '
            f'stroke="#555" stroke-width="0.8"/>']  # fmt: skip
    if points:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        body.append(f'<polyline points="{path}" fill="none" stroke="{PALETTE[0]}" '
                    f'stroke-width="2"/>')  # fmt: skip
    for (x, y), (label, value) in zip(points, data, strict=True):
        body.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{PALETTE[0]}"/>'
            f'<text x="{x:.1f}" y="{y - 6:.1f}" text-anchor="middle" font-size="10" {FONT}>'
            f"{escape(_fmt(value))}</text>"
            f'<text x="{x:.1f}" y="{top + plot_h + 15}" text-anchor="middle" font-size="10" '
            f"{FONT}>{escape(str(label))}</text>"
        )
    return _svg(width, height, title, describe(data), body)


def donut_chart(data, *, title: str, size: int = 180, width: int = 520) -> SafeString:
    """Shares of a whole as a ring, with a legend carrying the figures."""
    data = [(label, value) for label, value in data]
    total = sum(_num(v) for _, v in data)
    cx = cy = size / 2
    r_out, r_in = size / 2 - 4, size / 2 - 34
    body = []
    if not total:
        body.append(f'<circle cx="{cx}" cy="{cy}" r="{r_out}" fill="#e5e5e5"/>')
    start = -pi / 2
    for i, (_, value) in enumerate(data):
        share = _num(value) / total if total else 0
        if share <= 0:
            continue
        if share >= 0.9999:
            body.append(f'<circle cx="{cx}" cy="{cy}" r="{r_out}" fill="{PALETTE[i % 7]}"/>')
            continue
        end = start + share * 2 * pi
        large = 1 if share > 0.5 else 0
        p = [(cx + r * cos(a), cy + r * sin(a)) for r, a in
             ((r_out, start), (r_out, end), (r_in, end), (r_in, start))]  # fmt: skip
        body.append(
            f'<path d="M{p[0][0]:.2f},{p[0][1]:.2f} A{r_out},{r_out} 0 {large} 1 '
            f"{p[1][0]:.2f},{p[1][1]:.2f} L{p[2][0]:.2f},{p[2][1]:.2f} "
            f'A{r_in},{r_in} 0 {large} 0 {p[3][0]:.2f},{p[3][1]:.2f} Z" '
            f'fill="{PALETTE[i % len(PALETTE)]}"/>'
        )
        start = end
    body.append(f'<circle cx="{cx}" cy="{cy}" r="{r_in}" fill="#fff"/>'
                f'<text x="{cx}" y="{cy + 5}" text-anchor="middle" font-size="14" {FONT}>'
                f"{escape(_fmt(int(total) if total == int(total) else total))}</text>")  # fmt: skip
    for i, (label, value) in enumerate(data):
        y = 16 + i * 20
        body.append(
            f'<rect x="{size + 20}" y="{y - 10}" width="12" height="12" '
            f'fill="{PALETTE[i % len(PALETTE)]}"/>'
            f'<text x="{size + 38}" y="{y}" font-size="11" {FONT}>{escape(str(label))} '
            f"{escape(_fmt(value))}</text>"
        )
    height = max(size, 20 * len(data) + 10)
    return _svg(width, height, title, describe(data), body)


def _legend(names, *, y: float) -> list[str]:
    out, x = [], 40
    for i, name in enumerate(names):
        out.append(
            f'<rect x="{x}" y="{y - 9}" width="10" height="10" '
            f'fill="{PALETTE[i % len(PALETTE)]}"/>'
            f'<text x="{x + 14}" y="{y}" font-size="10" {FONT}>{escape(str(name))}</text>'
        )
        x += 24 + 11 * len(str(name))
    return out


def data_table(data, *, caption: str, headers=("", "")) -> SafeString:
    """The figures of a (label, value) chart as a table: the accessible alternative."""
    rows = "".join(
        f'<tr><th scope="row">{escape(str(label))}</th><td class="num">{escape(_fmt(value))}</td>'
        "</tr>"
        for label, value in data
    )
    head = "".join(f'<th scope="col">{escape(str(h))}</th>' for h in headers)
    return mark_safe(
        f'<table class="sr-table"><caption>{escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    )
