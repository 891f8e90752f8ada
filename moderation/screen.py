"""The submission screen: every text that is created or edited passes here.

    verdict = screen(text, author, ScreenContext("comment", policy_id=7))

runs a chain of small filters (moderation/filters/), collects every reason,
and returns a `Verdict` whose action is the strongest one:
reject > hold > mask > flag > publish. The screen reads the database (the
author's history, settings, watched words) but never writes: the calling
service saves the content (`verdict.text`, with `verdict.status`) and the
audit record (`verdict.reasons`) in its own transaction.

Two stages. The first reads what the author wrote (watched words, personal
data, links); masks are then applied. The second judges the account and the
text as it would be published (account state, pre-moderation switches, rate
and repetition, which compares the published text with earlier posts).

Settings and the watched words are cached per app and per process. The
settings rows (a handful, one query) are re-read at most every
`MODERATION_SETTINGS_TTL` seconds (default 1); the watched-words index is
rebuilt only when the version stored there changes. Admin edits bump the
version (services.py), so every worker picks them up within that time.
"""
import threading
import time
from dataclasses import dataclass

from flask import current_app

from forum.extensions import db
from forum.models import ContentStatus
from forum.timeutil import utcnow
from moderation.filters import (
    FLAG, HOLD, MASK, REJECT, Reason, ScreenContext, ScreenSettings, Submission, apply_masks, strongest,
)
from moderation.filters.account import account_state, premoderation
from moderation.filters.links import links
from moderation.filters.personal import personal_data
from moderation.filters.rate import rate_and_repetition
from moderation.filters.words import WatchedIndex, watched_words
from moderation.models import ModerationSetting, WatchedWord

__all__ = ["Reason", "ScreenContext", "Verdict", "screen", "invalidate_cache", "TEXT_FILTERS", "ACCOUNT_FILTERS"]

TEXT_FILTERS = (watched_words, personal_data, links)
ACCOUNT_FILTERS = (account_state, premoderation, rate_and_repetition)
DEFAULT_SETTINGS_TTL = 1.0


@dataclass(frozen=True)
class Verdict:
    """What the screen decided: the action, every reason, and the text to publish."""

    action: str
    reasons: list
    text: str
    masked: bool

    @property
    def rejected(self):
        return self.action == REJECT

    @property
    def status(self):
        """The status to save the content with (meaningless when rejected)."""
        return ContentStatus.PENDING if self.action == HOLD else ContentStatus.PUBLISHED

    @property
    def needs_review(self):
        """True when a moderator should look: held, or published with a flag."""
        return any(reason.action in (HOLD, FLAG) for reason in self.reasons)

    @property
    def retry_after(self):
        """Seconds until the same post would pass, when only its rate refused it; else None.

        A refusal that waiting does not lift (a watched word, a repeat) comes
        first: the author has to change the text anyway.
        """
        refusals = [reason for reason in self.reasons if reason.action == REJECT]
        if not refusals or any(reason.retry_after is None for reason in refusals):
            return None
        return max(reason.retry_after for reason in refusals)

    def author_messages(self):
        """What to tell the author, each message once: why it was refused, or what was changed or held."""
        shown = (REJECT,) if self.rejected else (MASK, HOLD)
        messages = []
        for reason in self.reasons:
            if reason.action in shown and str(reason.message) not in map(str, messages):
                messages.append(reason.message)
        return messages


def screen(text, author, context):
    """Judge `text` by `author` in `context` (a ScreenContext); return a Verdict.

    Call it before adding the new content to the session: nothing the caller
    has pending is flushed, so the new row never counts against itself.
    """
    with db.session.no_autoflush:
        return _screen(text, author, context)


def _screen(text, author, context):
    state = _state()
    submission = Submission(
        text=text, author=author, context=context, now=utcnow(),
        settings=state.settings, config=current_app.config, index=state.index,
    )
    reasons = _run(TEXT_FILTERS, submission)
    published_text = apply_masks(text, reasons)
    submission.text = published_text
    reasons += _run(ACCOUNT_FILTERS, submission)
    return Verdict(
        action=strongest(reason.action for reason in reasons),
        reasons=reasons,
        text=published_text,
        masked=published_text != text,
    )


def _run(filters, submission):
    reasons = []
    for check in filters:
        reasons.extend(check(submission) or ())
    return reasons


# -- the per-app cache of settings and the compiled watched words ---------------------
class _ScreenState:
    def __init__(self):
        self.lock = threading.Lock()
        self.settings = ScreenSettings()
        self.index = None
        self.checked_at = None


def _state():
    state = current_app.extensions.get("moderation.screen")
    if state is None:
        state = current_app.extensions.setdefault("moderation.screen", _ScreenState())
    ttl = current_app.config.get("MODERATION_SETTINGS_TTL", DEFAULT_SETTINGS_TTL)
    now = time.monotonic()
    if state.checked_at is None or now - state.checked_at >= ttl:
        with state.lock:
            if state.checked_at is None or now - state.checked_at >= ttl:
                _refresh(state)
                state.checked_at = now
    return state


def _refresh(state):
    # Read the version before the words: an edit committed in between leaves
    # newer words under an older version, and the next check rebuilds again.
    values = ModerationSetting.read_all()
    state.settings = ScreenSettings(
        watched_words_version=int(values.get(ModerationSetting.WATCHED_WORDS_VERSION, 0)),
        hold_new_accounts=bool(values.get(ModerationSetting.HOLD_NEW_ACCOUNTS, False)),
        hold_all=bool(values.get(ModerationSetting.HOLD_ALL, False)),
        hold_policy_ids=frozenset(values.get(ModerationSetting.HOLD_POLICY_IDS, ())),
    )
    if state.index is None or state.index.version != state.settings.watched_words_version:
        rows = db.session.execute(
            db.select(WatchedWord.id, WatchedWord.pattern, WatchedWord.action, WatchedWord.is_regex)
        ).all()
        state.index = WatchedIndex(state.settings.watched_words_version, rows)


def invalidate_cache(app=None):
    """Make this process re-read settings on its next screen call (after an edit here)."""
    state = (app or current_app).extensions.get("moderation.screen")
    if state is not None:
        state.checked_at = None
