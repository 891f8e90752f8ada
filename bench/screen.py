"""Screen throughput: `python -m bench.screen` prints submissions per second on one core.

A throwaway SQLite database holds 2,000 watched words across all four actions
(the shipped defaults, then generated words and phrases, and a few admin
regular expressions), a resident with a month of history, and
`MODERATION_BLOCKED_DOMAINS`. Every filter runs on each submission: watched
words, personal data, links, account state, pre-moderation and the rate and
repetition query. Comments are 500 words drawn from a vocabulary of
`VOCABULARY` words (most frequent first, like real text), with phone numbers,
e-mail addresses, links and an insult mixed in. A second figure uses words
never seen before in every comment: the screen's token cache cannot help.
Figures are per second of this process's CPU time (one core, so other
processes on the machine do not blur them), with the wall-clock rate beside.
Target: at least 2,000 submissions per second.
"""
import os
import random
import tempfile
import time
from datetime import timedelta

from config import TestingConfig
from forum import create_app
from forum.extensions import db
from forum.models import Content, Role, User
from forum.timeutil import utcnow
from moderation.filters import WATCHED_ACTIONS
from moderation.models import ModerationSetting, WatchedWord
from moderation.screen import ScreenContext, screen
from moderation.services import default_entries

WATCHED_WORDS = 2000
EXPRESSIONS = ("gacor\\w*", "\\bwa\\.me/\\d+", "s[l1]ot\\s*88", "bit\\.ly/\\w+", "\\bjp\\s+paus\\b",
               "\\bpromo\\s+\\d+%", "t\\.me/\\w+", "\\bcuan\\s+harian\\b", "\\bmaxwin\\d*", "\\bzeus\\s*slot\\b")
COMMENT_WORDS = 500
VOCABULARY = 20_000
DISTINCT_COMMENTS = 400
SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
SYLLABLES = ("ba be bi bo bu da de di do du ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu "
             "pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu ja ju ga gu ha ngan kan nya "
             "lah wan rin tar mang sung jal pan dan").split()
COMMON = ("dan yang di ke dari untuk dengan ini itu tidak ada saya kami warga jalan rusak sudah belum "
          "mohon pak bu rt rw kelurahan kecamatan dinas lampu sampah banjir air selokan macet").split()


def pseudo_word(rng):
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def build_watched_words(rng):
    rows = [(p, a, False) for p, a, _category, _name in default_entries()]
    seen = {p for p, _a, _r in rows}
    while len(rows) < WATCHED_WORDS - len(EXPRESSIONS):
        words = [pseudo_word(rng) + "x" for _ in range(1 if rng.random() < 0.9 else 2)]
        pattern = " ".join(words)
        if pattern not in seen:
            seen.add(pattern)
            rows.append((pattern, WATCHED_ACTIONS[len(rows) % len(WATCHED_ACTIONS)], False))
    rows.extend((expression, "flag", True) for expression in EXPRESSIONS)
    return rows


def build_comment(rng, vocabulary):
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    words = rng.choices(vocabulary, weights=weights, k=COMMENT_WORDS - 12)
    words += ["hubungi", f"08{rng.randint(10, 99)}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
              "atau", f"warga{rng.randint(1, 999)}@example.com", "lihat", f"https://contoh{rng.randint(1, 9)}.id/info",
              "dan", "www.tangerangselatankota.go.id", "dasar", "g0bl0kk", "plat", "B 1234 XYZ"]
    rng.shuffle(words)
    return " ".join(words)


def setup(directory, rng):
    app = create_app(TestingConfig(
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{directory}/bench.sqlite",
        INSTANCE_DIR=directory,
        SEARCH_INDEX_DIR=f"{directory}/search",
        MAIL_DIR=f"{directory}/mail",
        UPLOAD_DIR=f"{directory}/uploads",
        MODERATION_BLOCKED_DOMAINS=["judi.example", "spam.example"],
    ))
    with app.app_context():
        db.create_all()
        now = utcnow()
        author = User(email="bench@example.test", display_name="Bench", password_hash="x",
                      role=Role.RESIDENT, created_at=now - timedelta(days=30), email_verified_at=now)
        db.session.add(author)
        db.session.add_all(
            Content(author=author, body_source=f"komentar lama nomor {n}", created_at=now - timedelta(hours=n))
            for n in range(1, 40)
        )
        db.session.add_all(WatchedWord(pattern=p, action=a, is_regex=r) for p, a, r in build_watched_words(rng))
        ModerationSetting.bump_watched_words_version()
        db.session.commit()
    return app


def throughput(comments, author, context):
    """Submissions per second of this process's CPU time (one core), and per wall-clock second."""
    count, started, cpu_started = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - started < SECONDS:
        screen(comments[count % len(comments)], author, context)
        count += 1
    return count / (time.process_time() - cpu_started), count / (time.perf_counter() - started)


def main():
    rng = random.Random(5)
    with tempfile.TemporaryDirectory(prefix="musyawarah-bench-screen-") as directory:
        app = setup(directory, rng)
        with app.app_context():
            author = db.session.scalar(db.select(User))
            context = ScreenContext("comment", policy_id=1)
            started = time.perf_counter()
            screen("pemanasan", author, context)
            compile_ms = (time.perf_counter() - started) * 1000
            vocabulary = COMMON + [pseudo_word(rng) for _ in range(VOCABULARY - len(COMMON))]
            comments = [build_comment(rng, vocabulary) for _ in range(DISTINCT_COMMENTS)]
            verdict = screen(comments[0], author, context)
            for comment in comments:  # warm the token cache, as a running worker would be
                screen(comment, author, context)
            typical = throughput(comments, author, context)
            unseen = [" ".join(pseudo_word(rng) + "q" + str(n) for n in range(COMMENT_WORDS)) for _ in range(300)]
            cold = throughput(unseen, author, context)
    print(f"\nSubmission screen, one core, SQLite, {WATCHED_WORDS} watched words "
          f"({len(EXPRESSIONS)} regular expressions), {COMMENT_WORDS}-word comments, {SECONDS:.0f}s per figure")
    print(f"compile the watched words once: {compile_ms:.0f} ms")
    print(f"sample verdict: {verdict.action}, reasons: {', '.join(sorted({r.code for r in verdict.reasons}))}")
    print(f"screen throughput (vocabulary of {VOCABULARY} words): {typical[0]:,.0f} submissions/s "
          f"of CPU time on one core (target 2,000/s); {typical[1]:,.0f}/s by the wall clock")
    print(f"screen throughput (every word new, no cache help): {cold[0]:,.0f} submissions/s "
          f"of CPU time; {cold[1]:,.0f}/s by the wall clock")


if __name__ == "__main__":
    main()
