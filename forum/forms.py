"""Form building blocks with Indonesian-first messages and clean input.

`BaseForm` strips NUL and other control characters from every text field and
names invalid UTF-8 (which Werkzeug turns into U+FFFD) as a field error, so no
such byte reaches the database and the user's text is kept in the form.
Validators here carry translated messages; WTForms ships no Indonesian.
"""
import re

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import validators

CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
REPLACEMENT_CHAR = "\ufffd"


def clean_text(value):
    """Remove control characters (keeping tab and newlines) from a string."""
    if isinstance(value, str):
        return CONTROL_CHARS.sub("", value)
    return value


def check_length(errors, name, value, maximum, required=True):
    """For services checking typed values outside a form: the forms' messages, put into `errors[name]`."""
    if required and not value:
        errors[name] = _l("This field is required.")
    elif len(value) > maximum:
        errors[name] = _l("Use at most %(max)d characters.", max=maximum)


def list_editor_form(form_class, apply_list_action, problem_attribute, defaults=None):
    """(form, editing) for a page that edits a list without JavaScript (clauses, survey questions).

    After one of the list's buttons (add, remove, move) `apply_list_action`
    rebuilds the posted data and the form is drawn again from it, with the
    action's problem on `problem_attribute`, and `editing` is True; otherwise
    the form is as posted, or filled from `defaults` on GET.
    """
    if request.method == "POST":
        rebuilt, problem = apply_list_action(request.form)
        if rebuilt is not None:
            form = form_class(formdata=rebuilt)
            setattr(form, problem_attribute, problem)
            return form, True
        return form_class(), False
    return form_class(data=defaults or None), False


class BaseForm(FlaskForm):
    """FlaskForm that cleans text input and refuses invalid UTF-8."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = list(unbound_field.kwargs.get("filters", ()))
            if _is_text_field(unbound_field.field_class):
                filters.insert(0, clean_text)
            return unbound_field.bind(form=form, filters=filters, **options)

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        for field in self:
            if isinstance(field.data, str) and REPLACEMENT_CHAR in field.data:
                field.errors = list(field.errors) + [
                    _l("This text contains characters that could not be read. Please retype it.")
                ]
                valid = False
        return valid


def _is_text_field(field_class):
    from wtforms import StringField

    return issubclass(field_class, StringField)


def required():
    return validators.InputRequired(message=_l("This field is required."))


def optional():
    return validators.Optional()


def length(min=-1, max=-1):
    if min > 0 and max > 0:
        message = _l("Use between %(min)d and %(max)d characters.", min=min, max=max)
    elif max > 0:
        message = _l("Use at most %(max)d characters.", max=max)
    else:
        message = _l("Use at least %(min)d characters.", min=min)
    return validators.Length(min=min, max=max, message=message)


def email_address():
    return validators.Email(message=_l("Enter a valid e-mail address."), check_deliverability=False)


def equal_to(fieldname):
    return validators.EqualTo(fieldname, message=_l("The two entries do not match."))
