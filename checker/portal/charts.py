"""The portal's charts: pygal SVG inline in the page (no script), in the unit report's style."""

from __future__ import annotations

from collections import Counter

from checker.portal import region

COLORS = {"ok": "#2e7d32", "bad": "#c62828", "unverified": "#ef6c00", "missing": "#9e9e9e", "na": "#cfd8dc"}


def _style(keys):
    from pygal.style import Style

    return Style(font_family='"Noto Sans CJK SC","Noto Sans SC",sans-serif', background="white",
                 plot_background="white", colors=tuple(COLORS[k] for k in keys), label_font_size=11,
                 major_label_font_size=11, legend_font_size=12, title_font_size=15, opacity="1", opacity_hover=".8")


def _ticks(top: int) -> list[int]:
    step = next(s * 10 ** e for e in range(7) for s in (1, 2, 5) if s * 10 ** e * 10 >= max(top, 1))
    return list(range(0, top + step, step))


def cells_by_clause(title: str, labels: list[str], totals: dict[str, Counter], lang: str,
                    keys=("ok", "bad", "unverified", "missing")) -> str:
    """Per clause (top-down in the matrix's order), how many units are in each cell."""
    import pygal

    chart = pygal.HorizontalStackedBar(js=[], style=_style(keys), title=title, height=max(300, 20 * len(labels) + 130),
                                       width=760, legend_at_bottom=True, disable_xml_declaration=True,
                                       truncate_label=-1, show_y_guides=True)
    labels = labels[::-1]  # pygal stacks the first label at the bottom
    chart.x_labels = labels
    top = max([sum(totals[c][k] for k in keys) for c in labels] or [0])
    chart.y_labels = _ticks(top)
    for k in keys:
        chart.add(region.label(k, lang), [totals[c][k] for c in labels])
    return chart.render(is_unicode=True)


def unit_over_time(title: str, points: list[tuple[str, Counter]], lang: str) -> str:
    """One unit's accepted submissions: how many clauses were compliant, not compliant, not verified."""
    import pygal

    keys = ("ok", "bad", "unverified")
    chart = pygal.StackedBar(js=[], style=_style(keys), title=title, height=340, width=760, legend_at_bottom=True,
                             disable_xml_declaration=True, x_label_rotation=20, truncate_label=-1)
    chart.x_labels = [p[0] for p in points]
    chart.y_labels = _ticks(max([sum(p[1][k] for k in keys) for p in points] or [0]))
    for k in keys:
        chart.add(region.label(k, lang), [p[1][k] for p in points])
    return chart.render(is_unicode=True)


def share(title: str, counts: Counter, lang: str) -> str:
    """How the region's units stand on one clause."""
    import pygal

    keys = [k for k in region.CELL_ORDER if counts.get(k)]
    chart = pygal.Pie(js=[], style=_style(keys or ["missing"]), title=title, height=300, width=420, inner_radius=.45,
                      legend_at_bottom=True, disable_xml_declaration=True)
    for k in keys:
        chart.add(region.label(k, lang), counts[k])
    return chart.render(is_unicode=True)
