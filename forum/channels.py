"""The words for the channels input comes through (models: `Channel`).

Summaries, statistics and exports show online, face-to-face and desk input
side by side; every one of them names a channel through `CHANNEL_LABELS`.
"""
from flask_babel import lazy_gettext as _l

from forum.models import Channel

CHANNEL_LABELS = {
    Channel.ONLINE: _l("Online"),
    Channel.FACE_TO_FACE: _l("Face to face"),
    Channel.DESK: _l("Kelurahan service desk"),
}
