"""What the summary page and its PDF show beyond the summary itself: charts and labels.

Both templates (templates/summaries/summary.html and summary_pdf.html)
include the same body and call `page_context(summary)`, so the page, its
print and the PDF never disagree.
"""
from flask_babel import format_date, gettext as _

from forum.charts import diverging_bars, horizontal_bars, time_series
from forum.reports.channels import channel_context
from forum.reports.opendata import survey_rows



def clause_label(clause):
    if not clause.number:
        return _("The policy as a whole")
    return _("Section %(number)d", number=clause.number)


def stance_label(stance):
    return {"support": _("Support"), "oppose": _("Oppose"), "neutral": _("Neutral")}.get(stance, "")


def area_label(area):
    return area.name or _("Not registered")


def page_context(summary):
    """Charts (SVG Markup) and label helpers for the summary templates."""
    clauses = summary.all_clauses()
    return {
        "clause_label": clause_label,
        "stance_label": stance_label,
        "area_label": area_label,
        "day": lambda day: format_date(day, "medium"),
        "stance_chart": diverging_bars(
            [(clause_label(clause), clause.oppose, clause.neutral, clause.support) for clause in clauses],
            title=_("Stance per clause: against to the left, in support to the right")),
        "days_chart": time_series([(day, comments) for day, comments, _votes in summary.by_day],
                                  title=_("Comments per day")),
        "survey_rows": survey_rows(summary.survey) if summary.survey else [],
        "kecamatan_chart": horizontal_bars([(area_label(area), area.comments) for area in summary.kecamatan],
                                           title=_("Comments by the commenters' kecamatan")),
        **channel_context(summary.channels, clause_label, area_label),
    }
