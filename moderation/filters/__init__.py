"""What every screen filter shares: actions, the `Reason` they return, the `Submission` they read.

A filter is a small callable `filter(submission) -> iterable of Reason` (an
empty one when it has nothing to say). Filters never write to the database and
never raise for user input; the screen (moderation/screen.py) runs them all
and the strongest action wins.
"""
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from forum.models import Role
from forum.timeutil import to_city_time

PUBLISH = "publish"
FLAG = "flag"        # published, and queued for a moderator's look
MASK = "mask"        # published with part of the text replaced; the author is told
HOLD = "hold"        # saved as pending, queued
REJECT = "reject"    # not saved; the author sees why and keeps their text

# Weakest first: the index is the strength.
ACTIONS = (PUBLISH, FLAG, MASK, HOLD, REJECT)
WATCHED_ACTIONS = (REJECT, HOLD, MASK, FLAG)
RANK = {action: rank for rank, action in enumerate(ACTIONS)}


def strongest(actions):
    """The strongest of `actions` (PUBLISH when there are none)."""
    return max(actions, key=RANK.__getitem__, default=PUBLISH)


def apply_masks(text, reasons):
    """Replace every masked span; where spans overlap, the earlier (then longer) one wins."""
    spans = sorted(
        (r.span[0], -r.span[1], r.replacement) for r in reasons if r.action == MASK and r.span
    )
    out, position = [], 0
    for start, negative_end, replacement in spans:
        if start < position:
            continue
        out.append(text[position:start])
        out.append(replacement)
        position = -negative_end
    out.append(text[position:])
    return "".join(out)


@dataclass(frozen=True)
class Reason:
    """Why a filter acted.

    `message` is a lazy-translated text for the author. `detail` keeps the
    original matched text for moderators' audit only: never show it in
    public. A masking reason carries the `span` (start, end) of the original
    text to replace and its `replacement`; `rule` names the watched word or
    setting that matched, for moderators. A rejection that waiting lifts (the
    posting rate) says in `retry_after` after how many seconds.
    """

    action: str
    code: str
    message: Any
    detail: str | None = None
    span: tuple[int, int] | None = None
    replacement: str | None = None
    rule: str | None = None
    retry_after: int | None = None

    def to_dict(self):
        """A JSON-ready copy (the message rendered in the current locale)."""
        return {
            "action": self.action,
            "code": self.code,
            "message": str(self.message),
            "detail": self.detail,
            "span": list(self.span) if self.span else None,
            "rule": self.rule,
        }


@dataclass(frozen=True)
class ScreenContext:
    """Where a submission goes: its content kind, the edited row, the consultation."""

    kind: str
    target_id: int | None = None
    policy_id: int | None = None
    is_edit: bool = False


@dataclass(frozen=True)
class ScreenSettings:
    """The pre-moderation switches and watched-words version read from the settings table."""

    watched_words_version: int = 0
    hold_new_accounts: bool = False
    hold_all: bool = False
    hold_policy_ids: frozenset = frozenset()


@dataclass
class Submission:
    """One text on its way in, with what the filters need to judge it.

    `text` is what the author wrote in the first stage of the screen and the
    text as it would be published (after masking) in the second. `index` is
    the compiled watched words (filters/words.py), `config` the app's config.
    """

    text: str
    author: Any
    context: ScreenContext
    now: datetime
    settings: ScreenSettings
    config: Any
    index: Any = None

    @property
    def account_age(self):
        return self.now - self.author.created_at

    @property
    def is_resident(self):
        """Anti-spam rules and pre-moderation apply to residents only.

        Officials, moderators and admins are named, accountable accounts;
        officials often post the same templated answer many times. A desk
        officer types residents' words (forum/services/desk.py), so they are
        screened as residents' posts; the rate rules find no history, since
        desk input has no author account.
        """
        return self.author.role in (Role.RESIDENT, Role.DESK)


def city_time_text(moment):
    """A time as residents read it: `31-12-2026 17:05 WIB`."""
    return to_city_time(moment).strftime("%d-%m-%Y %H:%M") + " WIB"
