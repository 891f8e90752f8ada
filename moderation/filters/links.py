"""Links: blocked domains are refused; many links from a new account wait for a moderator.

A link is an `http(s)://` address, a `www.` address or a bare domain with a
common top-level domain (`contoh.com`, `tangerangselatankota.go.id`); the
domain of an e-mail address is not a link. Domains listed in the config key
`MODERATION_BLOCKED_DOMAINS` (subdomains included) are rejected. More than
`MAX_LINKS_NEW` links from a resident whose account is younger than
`NEW_ACCOUNT_AGE` or who has fewer than `MIN_PUBLISHED` published posts are held.
"""
import re
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Content, ContentStatus
from moderation.filters import HOLD, REJECT, Reason

MAX_LINKS_NEW = 2
NEW_ACCOUNT_AGE = timedelta(days=3)
MIN_PUBLISHED = 3

TLDS = (
    "com|net|org|info|biz|id|io|co|me|xyz|online|site|top|club|shop|store|link|click|live|app|dev|"
    "ly|gl|tk|ml|ga|cf|gq|ru|cn|us|uk|sg|my|tv|cc|ws|pw|win|bet|vip|asia|web|fun|icu|buzz"
)
_URL_TAIL = r"""[^\s<>()\[\]"'`]*"""
LINK_RE = re.compile(
    rf"""(?<![\w@.\-/])(?:
        https?://{_URL_TAIL}
      | www\.{_URL_TAIL}
      | (?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?\.)+(?:{TLDS})(?![\w-])(?:/{_URL_TAIL})?
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_SCHEME_RE = re.compile(r"^[a-z]+://", re.IGNORECASE)
_TRAILING = ".,;:!?"
# Where a link may be: a known top-level domain after a dot, `://` or `www.`.
# Found with a literal-first pattern and str.find, then only the
# whitespace-delimited pieces around them are searched with LINK_RE.
_TLD_RE = re.compile(rf"\.(?:{TLDS})(?![a-z0-9-])")
_ANCHORS = ("://", "www.")
MAX_PIECE = 2000
_PIECE_END_RE = re.compile(r"\S*")
_WHITESPACE = " \n\t\r"


def _pieces(text, lowered):
    """(start, end) of the whitespace-delimited pieces of `text` that may hold a link, each once."""
    anchors = [match.start() for match in _TLD_RE.finditer(lowered)]
    for anchor in _ANCHORS:
        at = lowered.find(anchor)
        while at >= 0:
            anchors.append(at)
            at = lowered.find(anchor, at + 1)
    pieces, covered = [], 0
    for at in sorted(anchors):
        if at < covered:
            continue  # inside the piece found last
        floor = max(covered, at - MAX_PIECE)
        start = max([floor] + [text.rfind(space, floor, at) + 1 for space in _WHITESPACE])
        covered = _PIECE_END_RE.match(text, at).end()
        pieces.append((start, covered))
    return pieces


def find_links(text):
    """Every link in `text`, trailing punctuation removed."""
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = text  # rare casing changes of length: search the text itself
    return [
        match.group().rstrip(_TRAILING)
        for start, end in _pieces(text, lowered)
        for match in LINK_RE.finditer(text, start, end)
    ]


def host_of(link):
    """The lowercase host of a link: `https://a.b.com:8/x` -> `a.b.com`."""
    rest = _SCHEME_RE.sub("", link)
    host = re.split(r"[/?#:\\]", rest, maxsplit=1)[0]
    return host.lower().rstrip(".")


def blocked_domain(host, blocked):
    """The entry of `blocked` covering `host` (itself or a parent domain), or None."""
    for domain in blocked:
        if host == domain or host.endswith("." + domain):
            return domain
    return None


def configured_blocked_domains(config):
    domains = config.get("MODERATION_BLOCKED_DOMAINS") or ()
    return tuple(d.strip().lower().lstrip("*.").rstrip(".") for d in domains if d and d.strip())


def _published_count(author, at_least):
    """The author's published posts, counted up to `at_least` (enough to decide)."""
    rows = (
        select(Content.id)
        .where(Content.author_id == author.id, Content.status == ContentStatus.PUBLISHED)
        .limit(at_least)
        .subquery()
    )
    return db.session.scalar(select(func.count()).select_from(rows))


def links(submission):
    """Reject blocked domains; hold many links from new or unproven residents."""
    found = find_links(submission.text)
    if not found:
        return
    blocked = configured_blocked_domains(submission.config)
    reported = set()
    for link in found:
        domain = blocked_domain(host_of(link), blocked)
        if domain and domain not in reported:
            reported.add(domain)
            yield Reason(
                REJECT, "links.blocked",
                _l("Links to %(domain)s are not allowed here. Please remove them.", domain=domain),
                detail=link, rule=domain,
            )
    if len(found) > MAX_LINKS_NEW and submission.is_resident and (
        submission.account_age < NEW_ACCOUNT_AGE or _published_count(submission.author, MIN_PUBLISHED) < MIN_PUBLISHED
    ):
        yield Reason(
            HOLD, "links.too_many",
            _l("Posts with more than %(max)d links from new accounts are checked by a moderator first.",
               max=MAX_LINKS_NEW),
            detail=" ".join(found),
        )
