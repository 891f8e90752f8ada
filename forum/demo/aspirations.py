"""Demo aspirations for `seed-demo`: stories in every kecamatan and stage, and 5,000 more for `--size large`.

The small set (forum/data/demo-aspirations.toml) covers every state of the
workflow, public, anonymous and confidential ones, and some overdue. The
large set generates aspirations from a few dozen realistic themes across
all 54 kelurahan, plus "[bench] ..." with 20 comments for the benchmark.
Rows are bulk-inserted (a `content` row, then an `aspiration` row with the
same id, then its timeline), as the consultation demo does; the services
would screen, rate-limit and notify each line. Titles are the key: running
the seeder again adds nothing.
"""
import random
import tomllib
from datetime import timedelta
from functools import lru_cache
from pathlib import Path

from sqlalchemy import func, insert, select

from forum.demo.accounts import ensure_user
from forum.demo.rows import insert_comments
from forum.extensions import db
from forum.models import (
    Agency,
    Aspiration,
    AspirationEvent,
    Category,
    Content,
    District,
    Follow,
    Role,
    User,
    Vote,
)
from forum.models.content import body_hash
from forum.services import transaction
from forum.services.workdays import add_working_days
from forum.text import render_markdown
from forum.timeutil import utcnow

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "demo-aspirations.toml"
BENCH_TITLE = "[bench] Aspirasi dengan 20 komentar"
BENCH_COMMENTS = 20
LARGE_TOTAL = 5000
BATCH = 1000
STEPS = {  # the states a story passes through to reach its own
    "submitted": [], "verified": ["verified"], "declined": ["declined"],
    "forwarded": ["verified", "forwarded"], "in_progress": ["verified", "forwarded", "in_progress"],
    "answered": ["verified", "forwarded", "answered"], "closed": ["verified", "forwarded", "answered", "closed"],
    "reopened": ["verified", "forwarded", "answered", "reopened"],
}
THEMES = (
    ("Saluran air tersumbat di {place}", "Air meluap ke jalan setiap hujan deras. Mohon saluran dikeruk.",
     "complaint", "kebencanaan", "dbmsda"),
    ("Jalan berlubang di {place}", "Lubang di jalan membahayakan pengendara motor, terutama malam hari.",
     "complaint", "infrastruktur", "dbmsda"),
    ("Sampah menumpuk di TPS {place}", "Sampah tidak diangkut lebih dari seminggu dan mulai berbau.",
     "complaint", "lingkungan", "dlh"),
    ("Lampu jalan mati di {place}", "Beberapa lampu penerangan jalan mati sehingga jalan gelap dan rawan.",
     "complaint", "keamanan", "dbmsda"),
    ("Usulan taman bermain anak di {place}", "Anak-anak bermain di jalan karena tidak ada ruang terbuka.",
     "proposal", "tata-ruang", "disperkimta"),
    ("Antrean panjang layanan KTP-el untuk warga {place}", "Blangko sering habis dan antrean dibatasi.",
     "complaint", "kependudukan", "disdukcapil"),
    ("Informasi jadwal posyandu di {place}", "Mohon informasi jadwal posyandu balita dan lansia.",
     "information", "kesehatan", "dinkes"),
    ("Parkir liar mengganggu lalu lintas di {place}", "Kendaraan parkir di bahu jalan sehingga macet.",
     "complaint", "transportasi", "dishub"),
    ("Usulan Wi-Fi publik di balai warga {place}", "Pelajar membutuhkan akses internet untuk belajar.",
     "proposal", "layanan-digital", "diskominfo"),
    ("Zonasi sekolah untuk anak-anak {place}", "Mohon penjelasan zonasi penerimaan murid baru.",
     "information", "pendidikan", "dindikbud"),
    ("Pelatihan UMKM untuk warga {place}", "Pedagang kecil ingin pelatihan pemasaran daring.",
     "aspiration", "ekonomi", "diskominfo"),
    ("Bantuan sosial belum diterima warga {place}", "Beberapa keluarga terdata tetapi belum menerima bantuan.",
     "complaint", "sosial", "dinsos"),
)
LARGE_STATES = ("submitted", "verified", "declined", "forwarded", "forwarded", "in_progress", "in_progress",
                "answered", "answered", "closed", "closed", "closed", "reopened")
_content, _aspiration, _event = Content.__table__, Aspiration.__table__, AspirationEvent.__table__


@lru_cache(maxsize=1)
def stories():
    with DATA_FILE.open("rb") as handle:
        return tomllib.load(handle)["aspiration"]


class _References:
    """Ids the rows need: residents, the moderator, officials per agency, codes to ids."""

    def __init__(self):
        self.residents = db.session.scalars(
            select(User.id).where(User.email.like("warga%@demo.musyawarah.id")).order_by(User.id)).all()
        self.moderator = db.session.scalar(select(User.id).where(User.email == "moderator@demo.musyawarah.id"))
        self.agencies = dict(db.session.execute(select(Agency.code, Agency.id)).all())
        self.officials = dict(db.session.execute(
            select(User.agency_id, func.min(User.id)).where(User.agency_id.is_not(None)).group_by(User.agency_id)
        ).all())
        self.categories = dict(db.session.execute(select(Category.code, Category.id)).all())
        self.kelurahan = {row.code: row for row in db.session.scalars(
            select(District).where(District.level == District.KELURAHAN).order_by(District.code))}


def seed_aspirations(size, progress):
    """`SEEDERS` entry: the stories always; 5,000 generated and the benchmark one when large."""
    _ensure_officials()
    refs = _References()
    if not refs.residents:
        return
    now = utcnow()
    existing = set(db.session.scalars(select(Aspiration.title)))
    plans = [_plan(spec, number, now, refs) for number, spec in enumerate(stories())
             if spec["title"] not in existing]
    if size == "large":
        plans += _generated(now, refs, existing, LARGE_TOTAL)
        if BENCH_TITLE not in existing:
            plans.append(_bench_plan(now, refs))
    with progress(range(0, len(plans), BATCH), "Aspirations") as starts:
        for start in starts:
            with transaction():
                _write(plans[start:start + BATCH], refs)


def _ensure_officials():
    """A demo official for every agency an aspiration goes to, so each answer has its author."""
    codes = {spec.get("agency") for spec in stories()} | {theme[4] for theme in THEMES}
    with transaction():
        for agency in db.session.scalars(select(Agency).where(Agency.code.in_(codes - {None}))):
            ensure_user(f"{agency.code}@demo.musyawarah.id", f"Petugas {agency.short_name}", Role.OFFICIAL,
                         agency=agency)


# -- plans: one dict per aspiration, with its timeline -----------------------------------------
def _plan(spec, number, now, refs, rng=None):
    rng = rng or random.Random(spec["title"])
    created = now - timedelta(days=spec.get("days_ago", 0), hours=rng.randint(1, 8), minutes=rng.randint(0, 59))
    visibility = spec.get("visibility") or ("anonymous" if spec.get("anonymous") else "public")
    kelurahan = refs.kelurahan[spec["district"]]
    plan = {
        "title": spec["title"], "body": spec["body"].strip(), "type": spec["kind"], "created": created,
        "category_id": refs.categories[spec["category"]], "district_id": kelurahan.id,
        "kecamatan_id": kelurahan.parent_id, "location": spec.get("location", ""), "visibility": visibility,
        "author_id": refs.residents[number % len(refs.residents)], "state": spec["state"],
        "supporters": min(spec.get("supporters", 0), len(refs.residents) - 1), "comments": 0,
        "verify_due": add_working_days(created, 3), "agency_id": None, "events": [], "answer": None,
    }
    _timeline(plan, spec, now, refs)
    return plan


def _timeline(plan, spec, now, refs):
    """Events from `submitted` to the plan's state, spread over the time since it was raised."""
    created, state = plan["created"], plan["state"]
    age = now - created
    steps = STEPS[state]
    plan["events"].append(("submitted", None, plan["author_id"], "resident", None, None, "", created))
    agency_id = refs.agencies.get(spec.get("agency") or "diskominfo")
    official = refs.officials.get(agency_id)
    at = created
    times = {}
    for index, step in enumerate(steps, start=1):
        at = created + age * index / (len(steps) + 1)
        times[step] = at
        previous = ([None, "submitted"] + steps)[index]
        if step in ("verified", "declined"):
            note = spec.get("decline_reason", "Aspirasi ini di luar kewenangan pemerintah kota.") \
                if step == "declined" else ""
            plan["events"].append((step, previous, refs.moderator, "moderator", None, None, note, at))
        elif step == "forwarded":
            plan["agency_id"] = agency_id
            plan["events"].append((step, previous, refs.moderator, "moderator", None, agency_id, "", at))
        elif step in ("in_progress", "answered"):
            note = spec.get("answer", "Sudah kami tindak lanjuti bersama kelurahan.") if step == "answered" else ""
            plan["events"].append((step, previous, official, "official", agency_id, None, note, at))
            if step == "answered":
                plan["answer"] = (note, official, agency_id, at)
        else:  # closed or reopened: the author
            note = spec.get("reopen_reason", "Masalahnya belum selesai.") if step == "reopened" else ""
            plan["events"].append((step, previous, plan["author_id"], "resident", None, None, note, at))
    plan["times"] = times


def _generated(now, refs, existing, total):
    have = sum(1 for title in existing if title.startswith("#")) if existing else 0
    kelurahan = list(refs.kelurahan)
    plans = []
    for number in range(have, total):
        rng = random.Random(number)
        title, body, kind, category, agency = THEMES[number % len(THEMES)]
        district = kelurahan[(number * 7) % len(kelurahan)]
        state = LARGE_STATES[rng.randrange(len(LARGE_STATES))]
        days_ago = {"submitted": rng.randint(0, 6), "answered": rng.randint(4, 12)}.get(state, rng.randint(3, 200))
        spec = {"title": f"#{number + 1} " + title.format(place=refs.kelurahan[district].name), "body": body,
                "kind": kind, "category": category, "district": district, "agency": agency, "state": state,
                "days_ago": days_ago, "supporters": rng.choice((0, 0, 1, 2, 3, 5, 8, 13)),
                "visibility": rng.choice(("public",) * 8 + ("anonymous", "confidential"))}
        plans.append(_plan(spec, number, now, refs, rng))
    return plans


def _bench_plan(now, refs):
    spec = {"title": BENCH_TITLE, "body": "Aspirasi untuk mengukur halaman dengan 20 komentar.",
            "kind": "aspiration", "category": "infrastruktur", "district": "pondok-aren.pondok-aren",
            "agency": "dbmsda", "state": "forwarded", "days_ago": 2, "supporters": 5}
    plan = _plan(spec, 0, now, refs)
    plan["comments"] = BENCH_COMMENTS
    return plan


# -- writing ------------------------------------------------------------------------------------
def _write(plans, refs):
    content_rows = [{
        "kind": "aspiration", "author_id": plan["author_id"], "body_source": plan["body"],
        "body_html": render_markdown(plan["body"]), "body_hash": body_hash(plan["body"]), "status": "published",
        "created_at": plan["created"], "up_count": plan["supporters"], "down_count": 0, "reply_count": 0,
        "flag_count": 0,
    } for plan in plans]
    ids = db.session.execute(insert(_content).returning(_content.c.id, sort_by_parameter_order=True),
                             content_rows).scalars().all()
    aspiration_rows, event_rows, follow_rows, vote_rows, comment_rows = [], [], [], [], []
    for aspiration_id, plan in zip(ids, plans):
        times = plan["times"]
        responded = times.get("in_progress") or times.get("answered")
        aspiration_rows.append({
            "id": aspiration_id, "title": plan["title"], "aspiration_type": plan["type"],
            "category_id": plan["category_id"], "district_id": plan["district_id"],
            "kecamatan_id": plan["kecamatan_id"], "location_text": plan["location"],
            "visibility": plan["visibility"], "state": plan["state"], "agency_id": plan["agency_id"],
            "verify_due_at": plan["verify_due"], "verified_at": times.get("verified"),
            "forwarded_at": times.get("forwarded"),
            "response_due_at": add_working_days(times["forwarded"], 5) if "forwarded" in times else None,
            "first_response_at": responded,
            "answered_at": times.get("answered") if plan["state"] in ("answered", "closed") else None,
            "closed_at": times.get("closed"), "state_changed_at": plan["events"][-1][-1],
            "reopen_count": 1 if plan["state"] == "reopened" else 0,
            "comment_count": plan["comments"] + (1 if plan["answer"] else 0),
        })
        for to, frm, actor, role, actor_agency, agency, note, at in plan["events"]:
            event_rows.append({"aspiration_id": aspiration_id, "from_state": frm, "to_state": to, "actor_id": actor,
                               "actor_role": role, "actor_agency_id": actor_agency, "agency_id": agency,
                               "note": note, "created_at": at})
        follow_rows.append({"user_id": plan["author_id"], "content_id": aspiration_id, "created_at": plan["created"]})
        supporters = [user for user in refs.residents if user != plan["author_id"]][:plan["supporters"]]
        vote_rows += [{"content_id": aspiration_id, "user_id": user, "value": "up", "created_at": plan["created"],
                       "updated_at": plan["created"]} for user in supporters]
        comment_rows += _comment_rows(aspiration_id, plan, refs)
    db.session.execute(insert(_aspiration), aspiration_rows)
    db.session.execute(insert(_event), event_rows)
    db.session.execute(insert(Follow.__table__), follow_rows)
    if vote_rows:
        db.session.execute(insert(Vote.__table__), vote_rows)
    if comment_rows:
        insert_comments(comment_rows, BATCH)


def _comment_rows(aspiration_id, plan, refs):
    rows = []
    common = {"kind": "comment", "status": "published", "target_id": aspiration_id, "version_id": None,
              "section_id": None, "parent_id": None, "root_id": None, "depth": 0, "stance": None}
    if plan["answer"]:
        text, official, agency_id, at = plan["answer"]
        rows.append({**common, "author_id": official, "body_source": text, "body_html": render_markdown(text),
                     "body_hash": body_hash(text), "created_at": at, "is_official_response": True,
                     "agency_id": agency_id})
    for number in range(plan["comments"]):
        text = f"Saya juga mengalami hal yang sama di sekitar sini (komentar {number + 1})."
        rows.append({**common, "author_id": refs.residents[(number + 1) % len(refs.residents)], "body_source": text,
                     "body_html": render_markdown(text), "body_hash": body_hash(text),
                     "created_at": plan["created"] + timedelta(minutes=number + 1), "is_official_response": False,
                     "agency_id": None})
    return rows
