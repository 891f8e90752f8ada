"""Forms of the moderation pages: flag, appeal, decisions, bulk decisions, sanctions, lifting, watched words.

Choices are not checked here when the service checks them (it names the
problem on the field); lengths are, so an oversized text is refused early
with the text kept.
"""
from flask_babel import lazy_gettext as _l, lazy_ngettext
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields import SelectChoice

from forum.forms import BaseForm, length, optional, required
from moderation.flags import REASON_LABELS
from moderation.decisions import ACTION_LABELS, BULK_ACTIONS, REASON_MAX, TEXT_MAX
from moderation.models import Appeal, Flag, WatchedWord
from moderation.sanctions import DURATIONS, KIND_LABELS

FLAG_REASON_CHOICES = [SelectChoice(reason, label) for reason, label in REASON_LABELS.items()]


class FlagForm(BaseForm):
    reason = RadioField(_l("What is wrong with this post?"), choices=FLAG_REASON_CHOICES, validate_choice=False)
    note = TextAreaField(_l("Note for the moderators"), validators=[optional(), length(max=Flag.NOTE_MAX)])


class AppealForm(BaseForm):
    note = TextAreaField(_l("Why should the decision change?"), validators=[required(), length(max=Appeal.NOTE_MAX)])


class DecisionForm(BaseForm):
    action = HiddenField()
    version = HiddenField()
    reason = TextAreaField(_l("Reason (the author reads it)"), validators=[optional(), length(max=REASON_MAX)])
    text = TextAreaField(_l("Text to publish"), validators=[optional(), length(max=TEXT_MAX)])


class BulkForm(BaseForm):
    action = SelectField(_l("Action for the selected items"), validate_choice=False,
                         choices=[SelectChoice(action, ACTION_LABELS[action]) for action in BULK_ACTIONS])
    reason = StringField(_l("Reason (the authors read it)"), validators=[optional(), length(max=REASON_MAX)])


DURATION_CHOICES = [SelectChoice(str(days), lazy_ngettext("%(num)d day", "%(num)d days", days)) for days in DURATIONS] + [
    SelectChoice("", _l("Until lifted"))]


class SanctionForm(BaseForm):
    kind = RadioField(_l("Measure"), validate_choice=False,
                      choices=[SelectChoice(kind, label) for kind, label in KIND_LABELS.items()])
    days = SelectField(_l("For how long (silence and suspension)"), choices=DURATION_CHOICES,
                       validate_choice=False)
    reason = TextAreaField(_l("Reason (the person reads it)"), validators=[required(), length(max=500)])
    content_id = HiddenField()


class LiftForm(BaseForm):
    reason = StringField(_l("Reason for lifting"), validators=[required(), length(max=500)])


WATCHED_ACTION_CHOICES = [
    SelectChoice("reject", _l("Reject (the author sees why)")),
    SelectChoice("hold", _l("Hold for review")),
    SelectChoice("mask", _l("Mask the word")),
    SelectChoice("flag", _l("Publish and flag for a look")),
]


class WatchedWordForm(BaseForm):
    pattern = StringField(_l("Word, phrase or regular expression"),
                          validators=[required(), length(max=WatchedWord.PATTERN_MAX)])
    action = SelectField(_l("Action"), choices=WATCHED_ACTION_CHOICES, validate_choice=False)
    is_regex = BooleanField(_l("This is a regular expression"))
    note = StringField(_l("Note (for the moderators)"), validators=[optional(), length(max=WatchedWord.NOTE_MAX)])


class PremoderationForm(BaseForm):
    hold_new_accounts = BooleanField(_l("Hold every post from accounts in their first day"))
    hold_all = BooleanField(_l("Hold every post on the whole site (emergency)"))
    hold_policy_ids = StringField(_l("Hold every post on these consultations (numbers, separated by commas)"),
                                  validators=[optional(), length(max=500)])
