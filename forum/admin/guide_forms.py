"""The admins' guide form: both languages' text, order and illustration, and a note for the history.

Lengths are checked here for the page and again by forum/services/guides.py,
which also checks the slug and the illustration (so the page and any other
caller get the same messages).
"""
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice

from forum.forms import BaseForm, length, optional, required
from forum.services.guides import BODY_MAX, ILLUSTRATIONS, NOTE_MAX, SLUG_MAX, SUMMARY_MAX, TITLE_MAX


class GuideForm(BaseForm):
    """Edit one guide; `slug` is only asked when creating."""

    slug = StringField(_l("Address (after /panduan/)"), validators=[optional(), length(max=SLUG_MAX)])
    base_revision = HiddenField()
    title = StringField(_l("Title (Indonesian)"), validators=[required(), length(max=TITLE_MAX)])
    title_en = StringField(_l("Title (English)"), validators=[required(), length(max=TITLE_MAX)])
    summary = TextAreaField(_l("Summary (Indonesian)"), validators=[required(), length(max=SUMMARY_MAX)])
    summary_en = TextAreaField(_l("Summary (English)"), validators=[required(), length(max=SUMMARY_MAX)])
    body_source = TextAreaField(_l("Text (Indonesian, Markdown)"), validators=[required(), length(max=BODY_MAX)])
    body_en_source = TextAreaField(_l("Text (English, Markdown)"), validators=[required(), length(max=BODY_MAX)])
    illustration = SelectField(_l("Illustration"), validate_choice=False)
    position = IntegerField(_l("Order in the list"), default=0, validators=[optional()],
                            render_kw={"inputmode": "numeric"})
    note = StringField(_l("What changed (for the history)"), validators=[optional(), length(max=NOTE_MAX)])
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.illustration.choices = [SelectChoice("", _l("None"))] + [
            SelectChoice(key, text) for key, text in ILLUSTRATIONS.items()]

    def values(self):
        """The typed values as the service takes them."""
        return {name: self[name].data for name in (
            "slug", "base_revision", "title", "title_en", "summary", "summary_en", "body_source",
            "body_en_source", "illustration", "position", "note")}
