"""The words for event kinds, registration states and attendance groups, shared by pages and templates."""
from flask_babel import lazy_gettext as _l

from forum.models import EventKind, RegistrationStatus

KIND_LABELS = {
    EventKind.SOSIALISASI: _l("Public information session (sosialisasi)"),
    EventKind.DIGITAL_LITERACY: _l("Digital literacy training"),
    EventKind.CONSULTATION: _l("Face-to-face consultation"),
    EventKind.MUSRENBANG: _l("Kelurahan development planning meeting (musrenbang)"),
}

REGISTRATION_LABELS = {
    RegistrationStatus.CONFIRMED: _l("Seat confirmed"),
    RegistrationStatus.WAITLISTED: _l("On the waiting list"),
    RegistrationStatus.CANCELLED: _l("Cancelled"),
}

WHEN_LABELS = {"upcoming": _l("Upcoming"), "past": _l("Past")}
