"""The moderators' desk with 10,000 pending items: time per queue page, p50 and p99.

A throwaway SQLite database gets one consultation, 10,000 held comments and
their open review items (bulk inserts, as the screen would have left them),
and a moderator. The desk's queue page is then requested in-process through
the test client (signed in as the moderator), first page and a deep page,
by age and by score; the figure per request is wall-clock time including
template rendering. Target: p99 under 100 ms. Run alone with
`python -m bench.moderation_desk`, or by `make bench`.
"""
import statistics
import tempfile
import time
from datetime import timedelta

from config import TestingConfig
from forum import create_app
from forum.extensions import db
from forum.models import Agency, Category, Comment, Content, ContentStatus, Policy, PolicyVersion, Role, User
from forum.timeutil import utcnow
from moderation.models import ReviewItem

PENDING = 10_000
REQUESTS = 300
P99_TARGET_MS = 100
PAGES = (("held, oldest first", "/moderasi/?tab=pending&sort=age"),
         ("held, by score", "/moderasi/?tab=pending&sort=score"),
         ("held, page 200", "/moderasi/?tab=pending&sort=age&page=200"),
         ("all open", "/moderasi/?tab=all"))


def setup(directory):
    app = create_app(TestingConfig(
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{directory}/bench.sqlite", INSTANCE_DIR=directory,
        SEARCH_INDEX_DIR=f"{directory}/search", MAIL_DIR=f"{directory}/mail", UPLOAD_DIR=f"{directory}/uploads",
    ))
    with app.app_context():
        db.create_all()
        now = utcnow()
        agency = Agency(code="bench", short_name="Bench", name="Bench", name_en="Bench")
        category = Category(code="bench", name_id="Bench", name_en="Bench")
        moderator = User(email="mod@bench.test", display_name="Moderator", password_hash="x", role=Role.MODERATOR,
                         email_verified_at=now)
        author = User(email="warga@bench.test", display_name="Warga", password_hash="x", role=Role.RESIDENT,
                      email_verified_at=now)
        policy = Policy(title="Bench", summary="", summary_html="", body_source="", body_html="", agency=agency,
                        category=category, phase="open", opens_at=now, closes_at=now + timedelta(days=7))
        db.session.add_all([agency, category, moderator, author, policy])
        db.session.flush()
        version = PolicyVersion(policy=policy, number=1, change_note="1")
        db.session.add(version)
        db.session.flush()
        first = (db.session.scalar(db.select(db.func.max(Content.id))) or 0) + 1
        ids = range(first, first + PENDING)
        db.session.execute(Content.__table__.insert(), [
            {"id": i, "kind": "comment", "author_id": author.id, "body_source": f"Komentar ditahan nomor {i}.",
             "body_html": f"<p>Komentar ditahan nomor {i}.</p>", "status": ContentStatus.PENDING,
             "created_at": now - timedelta(minutes=i), "up_count": 0, "down_count": 0, "reply_count": 0,
             "flag_count": 0} for i in ids])
        db.session.execute(Comment.__table__.insert(), [
            {"id": i, "target_id": policy.id, "version_id": version.id, "depth": 0, "stance": "neutral",
             "is_official_response": False} for i in ids])
        db.session.execute(ReviewItem.__table__.insert(), [
            {"content_id": i, "open_content_id": i, "queue": "pending", "score": float(i % 7), "flag_count": 0,
             "screen_reasons": [{"action": "hold", "code": "watched.hold", "message": "Held"}],
             "created_at": now - timedelta(minutes=i), "version": 1} for i in ids])
        db.session.commit()
        moderator_identity = moderator.get_id()
    return app, moderator_identity


def timings(client, url):
    client.get(url)  # warm caches and compiled templates
    samples = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.99) - 1]


def main():
    with tempfile.TemporaryDirectory(prefix="musyawarah-bench-desk-") as directory:
        app, identity = setup(directory)
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = identity, True
        rows = [(name, *timings(client, url)) for name, url in PAGES]
    print(f"\nModerators' desk, {PENDING:,} pending items, SQLite, in-process, {REQUESTS} requests per page")
    print(f"{'page':<22}{'p50 ms':>9}{'p99 ms':>9}  target")
    for name, p50, p99 in rows:
        verdict = "ok" if p99 < P99_TARGET_MS else "MISSED"
        print(f"{name:<22}{p50:>9.1f}{p99:>9.1f}  p99<{P99_TARGET_MS} {verdict}")
    print()


if __name__ == "__main__":
    main()
