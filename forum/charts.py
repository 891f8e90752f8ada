"""Server-rendered SVG charts: bars, stacked bars, diverging stance bars and a time series.

Each function returns `markupsafe.Markup` holding one `<svg role="img">` with a
`<title>` it is labelled by, so a screen reader announces what the chart is;
the numbers themselves belong in a table beside the chart (the templates put
one there). Labels are escaped here. Colours are presentation attributes
(allowed by the strict CSP, unlike `style=""`) that the `chart-*` classes in
static/css/site.css may override; WeasyPrint draws the same SVG into PDFs.
Empty data renders a small chart saying there is no data.
"""
import itertools

from flask_babel import format_date, format_decimal, gettext
from markupsafe import Markup, escape

WIDTH = 640
LABEL_WIDTH = 200
VALUE_WIDTH = 70
ROW_HEIGHT = 26
BAR_HEIGHT = 18
PADDING = 8
MAX_LABEL_CHARS = 30

COLOURS = {
    "bar": "#0b5c3b",
    "support": "#0b5c3b",
    "oppose": "#a4161a",
    "neutral": "#8a939c",
    # Input channels (forum/channels.py), stacked side by side per place.
    "online": "#0b5c3b",
    "face_to_face": "#b35c00",
    "desk": "#1f4e99",
    "line": "#0b5c3b",
    "axis": "#4a5460",
    "text": "#1b1f24",
}

_chart_ids = itertools.count(1)


def horizontal_bars(rows, *, title, unit=""):
    """One bar per `(label, value)` row, longest value filling the width."""
    rows = [(label, value or 0) for label, value in rows]
    if not rows:
        return _empty_chart(title)
    largest = max(value for _, value in rows) or 1
    track = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 2 * PADDING
    parts = []
    for index, (label, value) in enumerate(rows):
        top = PADDING + index * ROW_HEIGHT
        length = track * value / largest
        parts.append(_label(label, top))
        parts.append(_rect(LABEL_WIDTH, top, length, "bar"))
        parts.append(_text(LABEL_WIDTH + length + 4, top, _number(value, unit), "chart-value", "start"))
    return _svg(title, PADDING * 2 + len(rows) * ROW_HEIGHT, parts)


def stacked_bars(rows, series, *, title):
    """One bar per `(label, [value per series])` row, its parts stacked; a legend row on top.

    `series` is a list of `(tone, legend label)`: the tone names the colour
    (a key of COLOURS) and the `chart-<tone>` class; the row total follows the bar.
    """
    rows = [(label, [value or 0 for value in values]) for label, values in rows]
    if not rows:
        return _empty_chart(title)
    largest = max(sum(values) for _, values in rows) or 1
    track = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 2 * PADDING
    step = track / max(len(series), 1)
    parts = []
    for index, (tone, legend) in enumerate(series):
        parts.append(_rect(LABEL_WIDTH + index * step, PADDING, 12, tone))
        parts.append(_text(LABEL_WIDTH + index * step + 16, PADDING, str(legend), "chart-label", "start"))
    for index, (label, values) in enumerate(rows, start=1):
        top = PADDING + index * ROW_HEIGHT
        parts.append(_label(label, top))
        start = LABEL_WIDTH
        for (tone, _legend), value in zip(series, values):
            length = track * value / largest
            parts.append(_rect(start, top, length, tone))
            start += length
        parts.append(_text(start + 4, top, _number(sum(values)), "chart-value", "start"))
    return _svg(title, PADDING * 2 + (len(rows) + 1) * ROW_HEIGHT, parts)


def diverging_bars(rows, *, title):
    """Stance per row: oppose to the left of the centre, support to the right.

    Rows are `(label, oppose, neutral, support)`; neutral straddles the
    centre line, half on each side, as in a Likert chart.
    """
    rows = [(label, oppose or 0, neutral or 0, support or 0) for label, oppose, neutral, support in rows]
    if not rows:
        return _empty_chart(title)
    reach = max(max(oppose, support) + neutral / 2 for _, oppose, neutral, support in rows) or 1
    left = LABEL_WIDTH + VALUE_WIDTH / 2
    half = (WIDTH - left - VALUE_WIDTH / 2 - PADDING) / 2
    centre = left + half
    scale = half / reach
    parts = []
    for index, (label, oppose, neutral, support) in enumerate(rows):
        top = PADDING + index * ROW_HEIGHT
        neutral_start = centre - neutral * scale / 2
        oppose_start = neutral_start - oppose * scale
        support_start = centre + neutral * scale / 2
        parts.append(_label(label, top))
        parts.append(_rect(oppose_start, top, oppose * scale, "oppose"))
        parts.append(_rect(neutral_start, top, neutral * scale, "neutral"))
        parts.append(_rect(support_start, top, support * scale, "support"))
        parts.append(_text(oppose_start - 4, top, _number(oppose), "chart-value chart-value-oppose", "end"))
        parts.append(_text(support_start + support * scale + 4, top, _number(support),
                           "chart-value chart-value-support", "start"))
    height = PADDING * 2 + len(rows) * ROW_HEIGHT
    parts.append(Markup('<line class="chart-axis" x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{h}" stroke="{c}"/>')
                 .format(x=centre, h=height, c=COLOURS["axis"]))
    return _svg(title, height, parts)


def time_series(points, *, title):
    """A line through `(date, value)` points in date order, with the first and last date marked."""
    points = sorted((day, value or 0) for day, value in points)
    if not points:
        return _empty_chart(title)
    height = 200
    plot_left, plot_right = 50, WIDTH - PADDING
    plot_top, plot_bottom = PADDING + 10, height - 30
    first, last = points[0][0], points[-1][0]
    span = max((last - first).days, 1)
    largest = max(value for _, value in points) or 1

    def position(day, value):
        x = plot_left + (plot_right - plot_left) * ((day - first).days / span if len(points) > 1 else 0.5)
        y = plot_bottom - (plot_bottom - plot_top) * value / largest
        return x, y

    coordinates = [position(day, value) for day, value in points]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coordinates)
    parts = [
        Markup('<line class="chart-axis" x1="{l}" y1="{b}" x2="{r}" y2="{b}" stroke="{c}"/>')
        .format(l=plot_left, r=plot_right, b=plot_bottom, c=COLOURS["axis"]),
        Markup('<line class="chart-axis" x1="{l}" y1="{t}" x2="{l}" y2="{b}" stroke="{c}"/>')
        .format(l=plot_left, t=plot_top, b=plot_bottom, c=COLOURS["axis"]),
        _text(plot_left - 6, plot_top - BAR_HEIGHT / 2, _number(largest), "chart-value", "end"),
        _text(plot_left - 6, plot_bottom - BAR_HEIGHT / 2, "0", "chart-value", "end"),
        _text(plot_left, plot_bottom + 6, _day(first), "chart-label", "start"),
        Markup('<polyline class="chart-line" points="{p}" fill="none" stroke="{c}" stroke-width="2"/>')
        .format(p=path, c=COLOURS["line"]),
    ]
    if last != first:
        parts.append(_text(plot_right, plot_bottom + 6, _day(last), "chart-label", "end"))
    parts.extend(Markup('<circle class="chart-point" cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{c}"/>')
                 .format(x=x, y=y, c=COLOURS["line"]) for x, y in coordinates)
    return _svg(title, height, parts)


# -- pieces ---------------------------------------------------------------------------
def _svg(title, height, parts):
    chart_id = f"chart-{next(_chart_ids)}"
    return Markup(
        '<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        'viewBox="0 0 {w} {h}" width="{w}" height="{h}" aria-labelledby="{id}-title" '
        'font-family="sans-serif" font-size="13">'
        '<title id="{id}-title">{title}</title>{body}</svg>'
    ).format(w=WIDTH, h=int(height), id=chart_id, title=title, body=Markup("").join(parts))


def _empty_chart(title):
    return _svg(title, 40, [_text(WIDTH / 2, 4, gettext("No data yet."), "chart-empty", "middle")])


def _label(label, top):
    text = str(label)
    if len(text) > MAX_LABEL_CHARS:
        text = text[: MAX_LABEL_CHARS - 1] + "…"
    return _text(LABEL_WIDTH - 6, top, text, "chart-label", "end")


def _rect(x, top, width, tone):
    return Markup(
        '<rect class="chart-bar chart-{tone}" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h}" fill="{c}"/>'
    ).format(tone=tone, x=x, y=top + (ROW_HEIGHT - BAR_HEIGHT) / 2, w=max(width, 0), h=BAR_HEIGHT,
             c=COLOURS[tone])


def _text(x, top, text, css_class, anchor):
    """Text vertically centred in the row that starts at `top`; `text` is escaped."""
    return Markup(
        '<text class="{cls}" x="{x:.1f}" y="{y:.1f}" text-anchor="{a}" dominant-baseline="middle" '
        'fill="{c}">{t}</text>'
    ).format(cls=css_class, x=x, y=top + ROW_HEIGHT / 2, a=anchor, c=COLOURS["text"], t=escape(text))


def _number(value, unit=""):
    shown = format_decimal(value, format="#,##0.#")
    return f"{shown}{unit}" if unit else shown


def _day(day):
    return format_date(day, "d MMM yyyy")
