"""Summary forms: the filters (GET), the personal-data export (POST) and an admin's grant (POST)."""
from flask_babel import get_locale, lazy_gettext as _l
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice

from forum.forms import BaseForm, length, required
from forum.models import AspirationState
from forum.services.aspiration_labels import state_label
from forum.services.summaries import REASON_MAX

FORMAT_LABELS = {
    "csv": _l("CSV (spreadsheet, one row per comment)"),
    "xlsx": _l("Excel workbook (XLSX)"),
    "json": _l("JSON (summary and comments)"),
    "pdf": _l("PDF (the summary, printable)"),
}


class SummaryFilterForm(BaseForm):
    """Narrow the summary; read from the query string, so no CSRF token."""

    class Meta:
        csrf = False

    version = SelectField(_l("Version"), validate_choice=False)
    since = StringField(_l("From (date)"), validators=[length(max=10)], render_kw={"type": "date"})
    until = StringField(_l("Until (date)"), validators=[length(max=10)], render_kw={"type": "date"})
    kecamatan = SelectField(_l("Kecamatan of the commenters"), validate_choice=False)

    def set_choices(self, policy, kecamatan_rows):
        self.version.choices = [SelectChoice("", _l("All versions"))] + [
            SelectChoice(str(version.number), _l("Version %(number)d", number=version.number))
            for version in policy.versions]
        self.kecamatan.choices = [SelectChoice("", _l("All kecamatan"))] + [
            SelectChoice(row.code, row.name) for row in kecamatan_rows]

    def arguments(self):
        """The filter values as text, for the service's `parse_filters`."""
        return {name: (self[name].data or None) for name in ("version", "since", "until", "kecamatan")}


class PersonalExportForm(BaseForm):
    """An export with names and e-mail addresses: a format and the reason, both recorded."""

    format = SelectField(_l("Format"), choices=[SelectChoice(name, label) for name, label in FORMAT_LABELS.items()],
                         validators=[required()],
                         validate_choice=False)
    reason = TextAreaField(_l("Why do you need personal data?"),
                           validators=[required(), length(max=REASON_MAX)])
    submit = SubmitField(_l("Download with personal data"))


class GrantForm(BaseForm):
    """Allow or stop one official's personal-data exports."""

    user_id = HiddenField(validators=[required()])
    allowed = HiddenField(validators=[required()])


class AspirationExportForm(BaseForm):
    """Which of the agency's aspirations to export; read from the query string."""

    class Meta:
        csrf = False

    agency = SelectField(_l("Agency"), validate_choice=False)
    status = SelectMultipleField(_l("Status"), choices=[SelectChoice(state, state_label(state))
                                                        for state in AspirationState.ALL],
                                 validate_choice=False)
    category = SelectField(_l("Category"), validate_choice=False)
    kecamatan = SelectField(_l("Kecamatan"), validate_choice=False)
    since = StringField(_l("From (date)"), validators=[length(max=10)], render_kw={"type": "date"})
    until = StringField(_l("Until (date)"), validators=[length(max=10)], render_kw={"type": "date"})

    def set_choices(self, kecamatan_rows, categories, agencies=None):
        self.kecamatan.choices = [SelectChoice("", _l("All kecamatan"))] + [
            SelectChoice(row.code, row.name) for row in kecamatan_rows]
        self.category.choices = [SelectChoice("", _l("All categories"))] + [
            SelectChoice(row.code, row.localized_name(get_locale())) for row in categories]
        if agencies is None:
            del self["agency"]
        else:
            self.agency.choices = [SelectChoice(row.code, row.short_name) for row in agencies]

    def arguments(self):
        """The filters as the service's keyword arguments."""
        found = {name: self[name].data or None for name in ("category", "kecamatan", "since", "until")}
        found["states"] = list(self.status.data or [])
        if "agency" in self:
            found["agency"] = self.agency.data or None
        return found
