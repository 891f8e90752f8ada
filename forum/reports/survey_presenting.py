"""What the results page, the PDF and the exports show per question: chart, table rows and figures.

Built from the `survey_results()` dict only, so every rendering shows the
same numbers. Each chart is server-rendered SVG (forum/charts.py) with the
same numbers in the table beside it.
"""
from flask_babel import format_decimal, format_percent, gettext as _

from forum.charts import horizontal_bars
from forum.models import QuestionType


def scale_labels(question):
    """(lowest, highest) end labels of a Likert or rating question, the builder's or the defaults."""
    if question["type"] == QuestionType.LIKERT:
        defaults = (_("Strongly disagree"), _("Strongly agree"))
    else:
        defaults = (_("Not at all likely"), _("Extremely likely"))
    return question.get("low_label") or defaults[0], question.get("high_label") or defaults[1]


def value_label(question, value):
    """`1 (Strongly disagree)` at the ends of a scale, the bare value in between."""
    low, high = scale_labels(question)
    ends = {min(map(int, question["distribution"])): low, max(map(int, question["distribution"])): high}
    return f"{value} ({ends[int(value)]})" if int(value) in ends else str(value)


def table_rows(question):
    """[(label, count, share)] of a choice or scale question (share of those who answered it)."""
    answered = question["responses"]

    def share(count):
        return count / answered if answered else 0.0

    if question["type"] in QuestionType.CHOICE:
        rows = [(choice["label"], choice["count"], share(choice["count"])) for choice in question["choices"]]
        if question.get("other") is not None:
            rows.append((_("Other"), question["other"], share(question["other"])))
        return rows
    if question["type"] in QuestionType.SCALE:
        return [(value_label(question, value), count, share(count))
                for value, count in question["distribution"].items()]
    return []


def figures(question):
    """[(name, formatted value)] shown under a scale question's chart: mean, median, NPS."""
    if question["type"] not in QuestionType.SCALE or question["mean"] is None:
        return []
    shown = [(_("Mean"), format_decimal(question["mean"], format="#,##0.0#")),
             (_("Median"), format_decimal(question["median"], format="#,##0.#"))]
    if question["type"] == QuestionType.RATING:
        groups = question["nps_groups"]
        shown.append((_("Net promoter score"), format_decimal(question["nps"], format="+#,##0.#;-#,##0.#")))
        shown.append((_("Promoters (9–10) / passives (7–8) / detractors (0–6)"),
                      f"{groups['promoters']} / {groups['passives']} / {groups['detractors']}"))
    return shown


def chart(question):
    rows = table_rows(question)
    if not rows:
        return None
    return horizontal_bars([(label, count) for label, count, _share in rows], title=question["text"])


def percent(share):
    return format_percent(share, format="#,##0.#%")


def breakdown_columns(question):
    """Column headings of a question's breakdown table after the group and its responses."""
    if question["type"] in QuestionType.CHOICE:
        columns = [choice["label"] for choice in question["choices"]]
        return columns + ([_("Other")] if question.get("other") is not None else [])
    if question["type"] in QuestionType.SCALE:
        return [_("Mean"), _("Median")] + ([_("Net promoter score")] if question["type"] == QuestionType.RATING else [])
    return []


def breakdown_cells(question, row):
    """The cells of one group's row, matching `breakdown_columns`."""
    if question["type"] in QuestionType.CHOICE:
        cells = [row["counts"][str(choice["id"])] for choice in question["choices"]]
        return cells + ([row["other"]] if question.get("other") is not None else [])
    if question["type"] in QuestionType.SCALE:
        def number(value):
            return "–" if value is None else format_decimal(value, format="#,##0.0#")

        cells = [number(row["mean"]), number(row["median"])]
        return cells + ([number(row["nps"])] if question["type"] == QuestionType.RATING else [])
    return []
