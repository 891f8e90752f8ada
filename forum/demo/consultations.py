"""Demo consultations: realistic drafts for `seed-demo`, and benchmark volume for `--size large`.

The small set (forum/data/demo-consultations.toml) tells a story in every
phase: open, upcoming, closed, final with an outcome, and one open draft with
two versions, each with stance-tagged comments, replies, official responses
and votes. Rows are written directly rather than through the services: the
services rightly refuse comments on closed consultations and would screen,
rate-limit and notify each line of demo text. Counters are then set from the
rows by `recount()`, the same rule the services keep (published comments
only; up = helpful or support, down = unhelpful or oppose).

The large set adds generated consultations, two of them for the benchmark
("[bench] ..."), with comments bulk-inserted in batches (a `content` row,
then a `comment` row with the same id). Everything is matched by title, so
running the seeder again adds nothing.
"""
import random
import tomllib
from datetime import timedelta
from functools import cache, lru_cache
from pathlib import Path

from sqlalchemy import func, insert, or_, select, text, update

from forum.demo.rows import insert_comments
from forum.extensions import db
from forum.models import (
    Agency,
    Category,
    Comment,
    Content,
    ContentStatus,
    Follow,
    Policy,
    PolicyPhase,
    PolicyVersion,
    Section,
    User,
    Vote,
    VoteValue,
)
from forum.models.content import body_hash
from forum.services import transaction
from forum.text import render_markdown
from forum.timeutil import utcnow

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "demo-consultations.toml"
BENCH_TITLE_LARGE = "[bench] Konsultasi dengan 10.000 komentar"
BENCH_TITLE_SMALL = "[bench] Konsultasi dengan 100 komentar"
BENCH_COMMENTS = (10_000, 100)  # the large and the small benchmark policy
GENERATED_POLICIES = 48
GENERATED_COMMENTS = 250  # per generated policy: 48 x 250 + 10,100 > 20,000 comments
BATCH = 1000
PUBLISHED = ContentStatus.PUBLISHED
_content, _comment, _vote = Content.__table__, Comment.__table__, Vote.__table__


@lru_cache(maxsize=1)
def stories():
    """The small set's policies, as read from the TOML file."""
    with DATA_FILE.open("rb") as handle:
        return tomllib.load(handle)["policy"]


def seed_consultations(size, progress):
    """`SEEDERS` entry: the stories always; benchmark volume when `size` is large."""
    now = utcnow()
    residents = _residents()
    with progress(stories(), "Consultations") as items:
        for spec in items:
            if not _exists(spec["title"]):
                with transaction():
                    _Story(spec, now, residents).write()
    if size == "large":
        _seed_large(now, progress)


def _exists(title):
    return db.session.scalar(select(Policy.id).where(Policy.title == title)) is not None


def _residents():
    """Demo residents by number: warga1 is residents[0]."""
    users = User.query.filter(User.email.like("warga%@demo.musyawarah.id")).all()
    return sorted(users, key=lambda user: int(user.email[5:].split("@")[0]))


# -- counters ----------------------------------------------------------------------
def _published_count(*conditions):
    counted = _content.alias("counted")
    return (
        select(func.count()).select_from(_comment.join(counted, counted.c.id == _comment.c.id))
        .where(counted.c.status == PUBLISHED, *conditions).scalar_subquery()
    )


def _vote_count(values):
    return (
        select(func.count()).select_from(_vote)
        .where(_vote.c.content_id == _content.c.id, _vote.c.value.in_(values)).scalar_subquery()
    )


def recount(policy_ids):
    """Set every counter of these policies, their clauses and comments from the rows they count."""
    policy_table, section_table = Policy.__table__, Section.__table__
    db.session.execute(
        update(policy_table).where(policy_table.c.id.in_(policy_ids))
        .values(comment_count=_published_count(_comment.c.target_id == policy_table.c.id))
    )
    in_section = _comment.c.section_id == section_table.c.id
    db.session.execute(
        update(section_table)
        .where(section_table.c.version_id.in_(
            select(PolicyVersion.id).where(PolicyVersion.policy_id.in_(policy_ids))))
        .values(
            comment_count=_published_count(in_section),
            support_count=_published_count(in_section, _comment.c.stance == "support"),
            oppose_count=_published_count(in_section, _comment.c.stance == "oppose"),
            neutral_count=_published_count(in_section, _comment.c.stance == "neutral"),
        )
    )
    db.session.execute(
        update(_content)
        .where(or_(_content.c.id.in_(policy_ids),
                   _content.c.id.in_(select(_comment.c.id).where(_comment.c.target_id.in_(policy_ids)))))
        .values(
            reply_count=_published_count(_comment.c.parent_id == _content.c.id),
            up_count=_vote_count((VoteValue.UP, VoteValue.SUPPORT)),
            down_count=_vote_count((VoteValue.DOWN, VoteValue.OPPOSE)),
        )
        .execution_options(synchronize_session=False)
    )
    db.session.expire_all()


# -- the small set: one story per policy ------------------------------------------------
class _Story:
    """Writes one policy of the TOML file with its versions, comments, votes and follows."""

    def __init__(self, spec, now, residents):
        self.spec, self.now, self.residents = spec, now, residents
        self.official = User.query.filter_by(email=spec["official"]).one()
        self.rng = random.Random(spec["title"])
        self.followers = set()

    def write(self):
        spec, now = self.spec, self.now
        opens_at, closes_at = now + timedelta(days=spec["opens"]), now + timedelta(days=spec["closes"])
        phase = PolicyPhase.OPEN if spec["phase"] == "upcoming" else spec["phase"]
        policy = Policy(
            author=self.official, agency=Agency.query.filter_by(code=spec["agency"]).one(),
            category=Category.query.filter_by(code=spec["category"]).one(),
            title=spec["title"], summary=spec["summary"].strip(), summary_html=render_markdown(spec["summary"]),
            body_source="", phase=phase, opens_at=opens_at, closes_at=closes_at,
            created_at=min(opens_at, now) - timedelta(days=3), published_at=min(opens_at, now) - timedelta(days=1),
        )
        if phase in (PolicyPhase.CLOSED, PolicyPhase.FINAL):
            policy.closed_at = closes_at
        if phase == PolicyPhase.FINAL:
            policy.outcome_source = spec["outcome"].strip()
            policy.outcome_html = render_markdown(spec["outcome"])
            policy.outcome_published_at = now + timedelta(days=spec["outcome_days"])
        self.policy = policy
        self.versions = [self._version(1, spec["sections"], "", policy.published_at)]
        for number, revision in enumerate(spec.get("revision", ()), start=2):
            sections = [self._revised(entry) for entry in revision["sections"]]
            self.versions.append(self._version(number, sections, revision["change_note"], now - timedelta(days=7)))
        db.session.add(policy)
        db.session.flush()
        self._write_comments()
        self._cast_policy_votes()
        db.session.add_all(Follow(user_id=user_id, content_id=policy.id) for user_id in sorted(self.followers))
        db.session.flush()
        recount([policy.id])
        return policy

    def _revised(self, entry):
        """A version-2 section: `clause` keeps a version-1 clause (and its key), edited where given."""
        if "clause" not in entry:
            return entry
        base = dict(self.spec["sections"][entry["clause"] - 1], key=f"pasal-{entry['clause']}")
        base.update({name: value for name, value in entry.items() if name in ("heading", "body")})
        return base

    def _version(self, number, sections, change_note, created_at):
        version = PolicyVersion(number=number, change_note=change_note, created_at=created_at,
                                created_by_id=self.official.id)
        for index, data in enumerate(sections, start=1):
            key = data.get("key") or (f"pasal-{index}" if number == 1 else f"pasal-v{number}-{index}")
            version.sections.append(Section(
                number=index, clause_key=key, heading=data["heading"], body_source=data["body"].strip(),
                body_html=render_markdown(data["body"]), outcome_note=data.get("note"),
            ))
        self.policy.versions.append(version)
        return version

    def _write_comments(self):
        entries = self.spec.get("comments", ())
        start = self.policy.opens_at
        span = (min(self.policy.closes_at, self.now) - start) / (len(entries) + 1)
        for index, entry in enumerate(entries, start=1):
            version = self.versions[entry.get("version", len(self.versions)) - 1]
            clause = entry.get("clause", 0)
            root = self._comment(entry, start + span * index, version=version,
                                 section=version.sections[clause - 1] if clause else None)
            thread = []
            for number, reply in enumerate(entry.get("replies", ()), start=1):
                parent = thread[reply["reply_to"] - 1] if "reply_to" in reply else root
                when = root.created_at + timedelta(hours=3 * number)
                thread.append(self._comment(reply, when, version=version, section=root.section, parent=parent))

    def _comment(self, entry, created_at, version, section, parent=None):
        official = entry.get("official", False)
        author = self.official if official else self.residents[entry["author"] - 1]
        comment = Comment(
            author=author, target=self.policy, version=version, section=section,
            body_source=entry["body"].strip(), body_html=render_markdown(entry["body"]), status=PUBLISHED,
            stance=entry.get("stance"), is_official_response=official,
            agency_id=self.official.agency_id if official else None, created_at=created_at,
            parent=parent, depth=parent.depth + 1 if parent is not None else 0,
        )
        db.session.add(comment)
        db.session.flush()
        comment.root_id = (parent.root_id or parent.id) if parent is not None else None
        self.followers.add(author.id)
        voters = self.rng.sample([r for r in self.residents if r.id != author.id],
                                 entry.get("helpful", 0) + entry.get("unhelpful", 0))
        for position, voter in enumerate(voters):
            value = VoteValue.UP if position < entry.get("helpful", 0) else VoteValue.DOWN
            db.session.add(Vote(content_id=comment.id, user_id=voter.id, value=value, created_at=created_at))
        return comment

    def _cast_policy_votes(self):
        support, oppose = self.spec.get("support", 0), self.spec.get("oppose", 0)
        for position, voter in enumerate(self.rng.sample(self.residents, support + oppose)):
            value = VoteValue.SUPPORT if position < support else VoteValue.OPPOSE
            db.session.add(Vote(content_id=self.policy.id, user_id=voter.id, value=value))


# -- the large set: bulk rows for the benchmark ------------------------------------------
TOPICS = (
    ("Penataan Pedagang Kaki Lima di Trotoar", "satpolpp", "keamanan"),
    ("Layanan Posyandu dan Kesehatan Lansia", "dinkes", "kesehatan"),
    ("Zonasi Penerimaan Peserta Didik Baru", "dindikbud", "pendidikan"),
    ("Perbaikan Jalan Lingkungan dan Trotoar", "dbmsda", "infrastruktur"),
    ("Perizinan Usaha Mikro secara Daring", "dpmptsp", "perizinan"),
    ("Bantuan Sosial Tepat Sasaran", "dinsos", "sosial"),
    ("Kesiapsiagaan Bencana di Tingkat RW", "bpbd", "kebencanaan"),
    ("Rute dan Halte Angkutan Kota Terintegrasi", "dishub", "transportasi"),
    ("Pengurangan Sampah Plastik di Pasar", "dlh", "lingkungan"),
    ("Pelayanan Akta dan KTP Keliling", "disdukcapil", "kependudukan"),
    ("Pendampingan UMKM dan Pasar Kreatif", "bappeda", "ekonomi"),
    ("Penataan Permukiman Padat", "disperkimta", "tata-ruang"),
)
PHRASES = (
    "Saya setuju dengan arah rancangan ini, tetapi pelaksanaannya perlu diawasi.",
    "Mohon diperjelas siapa yang bertanggung jawab di tingkat kelurahan.",
    "Di lingkungan kami masalah ini sudah lama dikeluhkan warga.",
    "Anggarannya dari mana? Jangan sampai membebani warga kecil.",
    "Sebaiknya ada masa sosialisasi minimal tiga bulan sebelum berlaku.",
    "Pasal ini sudah baik, tinggal konsistensi penegakannya.",
    "Tolong libatkan pengurus RT/RW sejak awal, mereka paling tahu kondisi lapangan.",
    "Saya khawatir aturan ini sulit diterapkan di perumahan lama.",
)
STANCES = ("support", "oppose", "neutral")


@cache
def _body(number):
    """One of a few hundred distinct comment texts, rendered once."""
    text = f"{PHRASES[number % len(PHRASES)]} {PHRASES[(number // len(PHRASES)) % len(PHRASES)]} (#{number % 97})"
    return {"body_source": text, "body_html": render_markdown(text), "body_hash": body_hash(text)}


def _large_plan():
    """(title, topic, number of comments) for every large-set policy."""
    plan = [(BENCH_TITLE_LARGE, TOPICS[0], BENCH_COMMENTS[0]), (BENCH_TITLE_SMALL, TOPICS[1], BENCH_COMMENTS[1])]
    for number in range(GENERATED_POLICIES):
        topic = TOPICS[number % len(TOPICS)]
        plan.append((f"Rancangan Perwali tentang {topic[0]} (Kajian {number // len(TOPICS) + 1})",
                     topic, GENERATED_COMMENTS))
    return plan


def _seed_large(now, progress):
    residents = [user_id for (user_id,) in db.session.execute(
        select(User.id).where(User.email.like("warga%@demo.musyawarah.id")).order_by(User.id))]
    sections = [section for spec in stories() for section in spec["sections"]]
    officials = {user.agency_id: user.id for user in User.query.filter(User.agency_id.isnot(None))}
    plan = [entry for entry in _large_plan() if not _exists(entry[0])]
    with progress(plan, "Consultations (large)") as items:
        for number, (title, (topic, agency_code, category_code), comments) in enumerate(items):
            agency = Agency.query.filter_by(code=agency_code).one()
            author_id = officials.get(agency.id, residents[0])
            rng = random.Random(title)
            policy = Policy(
                author_id=author_id, agency=agency, category=Category.query.filter_by(code=category_code).one(),
                title=title, summary=f"Rancangan pengaturan tentang {topic.lower()} di Kota Tangerang Selatan.",
                summary_html=render_markdown(f"Rancangan pengaturan tentang {topic.lower()}."),
                phase=PolicyPhase.OPEN, opens_at=now - timedelta(days=20), closes_at=now + timedelta(days=10 + number),
                published_at=now - timedelta(days=20), created_at=now - timedelta(days=21),
            )
            version = PolicyVersion(number=1, created_by_id=author_id, created_at=policy.created_at)
            for index in range(5):
                data = sections[(number + index) % len(sections)]
                version.sections.append(Section(number=index + 1, clause_key=f"pasal-{index + 1}",
                                                heading=data["heading"], body_source=data["body"].strip(),
                                                body_html=render_markdown(data["body"])))
            policy.versions.append(version)
            with transaction():
                db.session.add(policy)
                db.session.flush()
                _bulk_comments(policy, version, comments, residents, author_id, rng)
                _refresh_statistics()
                recount([policy.id])


def _refresh_statistics():
    """Let PostgreSQL's planner see the rows just inserted.

    Right after a bulk insert its statistics still describe near-empty
    tables, and it plans recount()'s correlated counts as sequential scans:
    minutes instead of a fraction of a second.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("ANALYZE content, comment, vote"))


def _bulk_comments(policy, version, count, residents, official_id, rng):
    """`count` comments on `policy`: 60% roots, the rest replies, two per root from the newest down."""
    roots = count * 3 // 5
    sections = [None] + [section.id for section in version.sections]
    start = policy.opens_at
    base = {"kind": "comment", "status": PUBLISHED, "target_id": policy.id, "version_id": version.id,
            "parent_id": None, "root_id": None, "depth": 0, "is_official_response": False, "agency_id": None}
    root_rows = [
        {**base, **_body(number), "author_id": residents[rng.randrange(len(residents))],
         "created_at": start + timedelta(minutes=number), "section_id": sections[number % len(sections)],
         "stance": STANCES[rng.randrange(3)]}
        for number in range(roots)
    ]
    root_ids = insert_comments(root_rows, BATCH)
    reply_rows = []
    for number in range(count - roots):
        index = roots - 1 - (number // 2) % roots
        official = number % 10 == 9
        reply_rows.append({
            **base, **_body(number + 7), "parent_id": root_ids[index], "root_id": root_ids[index], "depth": 1,
            "section_id": root_rows[index]["section_id"], "stance": None if official else STANCES[number % 3],
            "author_id": official_id if official else residents[rng.randrange(len(residents))],
            "is_official_response": official, "agency_id": policy.agency_id if official else None,
            "created_at": root_rows[index]["created_at"] + timedelta(minutes=5 + number % 2),
        })
    insert_comments(reply_rows, BATCH)
    _bulk_votes(policy.id, root_ids, root_rows, residents, rng)


def _bulk_votes(policy_id, root_ids, root_rows, residents, rng):
    """An overall vote from a tenth of the residents, and a few helpful votes on every third root."""
    votes = [{"content_id": policy_id, "user_id": user_id, "value": rng.choice(("support", "oppose"))}
             for user_id in rng.sample(residents, len(residents) // 10)]
    for comment_id, row in list(zip(root_ids, root_rows))[::3]:
        for user_id in rng.sample(residents, rng.randint(1, 5)):
            if user_id != row["author_id"]:
                votes.append({"content_id": comment_id, "user_id": user_id,
                              "value": VoteValue.UP if rng.random() < 0.8 else VoteValue.DOWN})
    for start in range(0, len(votes), BATCH):
        db.session.execute(insert(_vote), votes[start:start + BATCH])
