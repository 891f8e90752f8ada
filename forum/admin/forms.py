"""Admin forms: the user list filter (GET) and the account edit form.

Select fields skip WTForms' own choice check: the service names an unknown
role, agency or state in a translated message, for the pages and the API alike.
"""
from flask_babel import get_locale, lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice

from forum.forms import BaseForm, length, optional, required
from forum.models import AccountState, Agency, District
from forum.services.users import DELETED, QUERY_MAX_LENGTH, REASON_MAX_LENGTH, ROLE_LABELS

STATE_LABELS = {
    AccountState.ACTIVE: _l("Active"),
    AccountState.SILENCED: _l("Silenced"),
    AccountState.SUSPENDED: _l("Suspended"),
    AccountState.BANNED: _l("Banned"),
    DELETED: _l("Deleted"),
}


def _choices(labels, empty_label=None):
    """Select options from a value -> label mapping, with an optional "any" first."""
    options = [SelectChoice("", empty_label)] if empty_label else []
    return options + [SelectChoice(value, label) for value, label in labels.items()]


class UserFilterForm(BaseForm):
    """Search and filters of the user list; read from the query string."""

    class Meta:
        csrf = False

    q = StringField(_l("Name or e-mail address"), validators=[optional(), length(max=QUERY_MAX_LENGTH)])
    role = SelectField(
        _l("Role"),
        choices=_choices(ROLE_LABELS, _l("All roles")),
        validate_choice=False,
    )
    state = SelectField(
        _l("Account state"),
        choices=_choices(STATE_LABELS, _l("All states")),
        validate_choice=False,
    )


class EditUserForm(BaseForm):
    """Role, agency and account state of one account."""

    role = SelectField(
        _l("Role"),
        choices=_choices(ROLE_LABELS),
        validators=[required()],
        validate_choice=False,
    )
    agency = SelectField(_l("Agency"), validate_choice=False)
    district = SelectField(_l("Kelurahan"), validate_choice=False)
    state = SelectField(
        _l("State"),
        choices=_choices({value: STATE_LABELS[value] for value in AccountState.ALL}),
        validators=[required()],
        validate_choice=False,
    )
    state_until = DateField(
        _l("Until (for silenced or suspended accounts)"),
        validators=[optional()],
        invalid_value_message=_l("Enter a date like 2026-12-31."),
    )
    state_reason = TextAreaField(_l("Reason"), validators=[optional(), length(max=REASON_MAX_LENGTH)])
    submit = SubmitField(_l("Save changes"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        locale = get_locale()
        agencies = Agency.query.order_by(Agency.short_name).all()
        self.agency.choices = _choices(
            {agency.code: f"{agency.short_name} — {agency.localized_name(locale)}" for agency in agencies},
            _l("No agency"),
        )
        kelurahan = District.query.filter_by(level=District.KELURAHAN).order_by(District.code).all()
        self.district.choices = _choices({row.code: row.full_name for row in kelurahan}, _l("Keep as it is"))
