"""Demo moderation data (`seed-demo`): a queue with held, flagged and hidden items and a decision history.

Runs after the consultations are seeded and uses the real services (flags,
decisions, sanctions), so every row, counter and audit entry is what the
app itself would write. Idempotent: it does nothing once any review item exists.
"""
from sqlalchemy import select

from forum.extensions import db
from forum.models import Comment, ContentStatus, Policy, PolicyPhase, Role, User
from forum.services import transaction
from forum.text import render_markdown
from moderation import audit, decisions, flags, sanctions
from moderation.models import Queue, ReviewItem
from moderation.queue import ensure_open_item

HELD_TEXTS = (
    ("Ini pasti permainan politik menjelang pilkada, semua pejabatnya sama saja.", "watched.hold", "pilkada"),
    ("Silakan hubungi saya untuk penawaran jasa renovasi murah, diskon 50% hari ini!", "links.too_many", None),
)


def _people():
    moderator = db.session.scalars(select(User).where(User.role == Role.MODERATOR).order_by(User.id)).first()
    residents = db.session.scalars(select(User).where(User.role == Role.RESIDENT,
                                                      User.email.like("warga%@demo.musyawarah.id"))
                                   .order_by(User.id)).all()
    return moderator, residents


def _flaggers(residents, comment, count):
    return [user for user in residents if user.id != comment.author_id][:count]


def _held(policy, author, text, code, rule):
    with transaction():
        comment = Comment(author=author, target=policy, body_source=text, body_html=render_markdown(text),
                          status=ContentStatus.PENDING, stance="neutral", version_id=policy.current_version.id)
        db.session.add(comment)
        db.session.flush()
        reasons = [{"action": "hold", "code": code, "message": "Held for review", "detail": rule, "span": None,
                    "rule": rule}]
        audit.record("screen.hold", actor=author, subject_user=author, content=comment, reason_code=code,
                     details={"kind": "comment", "policy_id": policy.id, "is_edit": False, "reasons": reasons})
        ensure_open_item(comment, Queue.PENDING, screen_reasons=reasons)


def seed_moderation(size, progress):
    """`SEEDERS` entry: the same small queue whatever the size."""
    if db.session.scalar(select(ReviewItem.id).limit(1)) is not None:
        return
    moderator, residents = _people()
    policy = db.session.scalars(select(Policy).where(Policy.phase == PolicyPhase.OPEN).order_by(Policy.id)).first()
    if moderator is None or len(residents) < 8 or policy is None or policy.current_version is None:
        return
    comments = db.session.scalars(select(Comment).where(
        Comment.status == ContentStatus.PUBLISHED, Comment.is_official_response.is_(False),
        Comment.author_id.in_([user.id for user in residents])).order_by(Comment.id).limit(5)).all()
    if len(comments) < 5:
        return
    with progress(range(1), "Moderation") as steps:
        for _ in steps:
            for (text, code, rule), author in zip(HELD_TEXTS, residents[-2:]):
                _held(policy, author, text, code, rule)
            hidden, flagged, removed, kept, edited = comments
            for user in _flaggers(residents, hidden, 3):
                flags.flag_content(user, hidden, "abusive")
            flags.flag_content(_flaggers(residents, flagged, 1)[0], flagged, "off_topic")
            flags.flag_content(_flaggers(residents, removed, 1)[0], removed, "spam")
            _decide(moderator, removed, "remove", "Promosi usaha, bukan tanggapan atas rancangan.")
            flags.flag_content(_flaggers(residents, kept, 1)[0], kept, "hoax")
            _decide(moderator, kept, "ignore_flags", None)
            flags.flag_content(_flaggers(residents, edited, 1)[0], edited, "personal_data")
            _decide(moderator, edited, "edit_approve", "Nomor telepon disamarkan.",
                    text=edited.body_source + "\n\n(Sebagian teks disamarkan oleh moderator.)")
            author = db.session.get(User, removed.author_id)
            warning = sanctions.impose(moderator, author, "warn", "Mohon tidak memuat promosi usaha di forum.",
                                       content=removed)
            sanctions.acknowledge(author, warning.id)


def _decide(moderator, content, action, reason, text=None):
    item = db.session.scalars(select(ReviewItem).where(ReviewItem.open_content_id == content.id)).one()
    decisions.decide(moderator, item.id, action, reason=reason, text=text)
