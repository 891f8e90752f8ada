"""Demo assisted intake for `seed-demo`: two kelurahan service desks and 30 submissions for residents.

Two desk officers (Pondok Betung and Cilenggang) submit through the desk
services (forum/services/desk.py): 20 aspirations taken along the workflow
by the demo moderator and agency officials (some still waiting, some
answered or declined, one confidential, one typed from a paper form, one
already claimed by a registered resident), 6 comments on an open
consultation, 4 survey answers and 3 registrations for upcoming demo events
(forum/demo/events.py seeds them first; the desk's own kecamatan first,
then the soonest, a full one: its waiting list). Runs once: a desk with
submissions is left as it is.
"""
from sqlalchemy import exists, select

from forum.demo.accounts import ensure_user
from forum.extensions import db
from forum.models import DeskSubmission, District, Policy, PolicyPhase, Role, Survey, User
from forum.services import aspirations, desk, desk_tracking, transaction

OFFICERS = (
    ("layanan.pondokbetung@demo.musyawarah.id", "Petugas Layanan Pondok Betung", "pondok-aren.pondok-betung"),
    ("layanan.cilenggang@demo.musyawarah.id", "Petugas Layanan Cilenggang", "serpong.cilenggang"),
)
RESIDENTS = ("Ibu Sumiati", "Pak Karta", "Mbah Darmi", "Pak Udin", "Ibu Yayah", "Pak Rohmat", "Ibu Enah",
             "Pak Sarip", "Ibu Warsih", "Pak Jaja")
ASPIRATIONS = (
    ("complaint", "Lampu jalan padam di gang masjid", "Sudah dua minggu lampu jalan padam, warga takut lewat malam.",
     "infrastruktur"),
    ("complaint", "Saluran air tersumbat sampah", "Setiap hujan air meluap ke jalan karena saluran penuh sampah.",
     "kebencanaan"),
    ("proposal", "Posyandu lansia sebulan dua kali", "Lansia di RW kami ingin pemeriksaan kesehatan lebih sering.",
     "kesehatan"),
    ("aspiration", "Pelatihan menjahit untuk ibu rumah tangga", "Banyak ibu ingin belajar menjahit untuk usaha kecil.",
     "ekonomi"),
    ("information", "Syarat mengurus akta kelahiran", "Warga menanyakan syarat dan lama pengurusan akta kelahiran.",
     "kependudukan"),
)
# The workflow state each aspiration is taken to, in turn (the steps: forum/services/aspirations.py).
STATES = ("submitted", "verified", "forwarded", "in_progress", "answered", "declined", "answered", "forwarded",
          "submitted", "answered")
STEPS = {
    "submitted": (),
    "verified": (("verified", {}),),
    "declined": (("declined", {"note": "Bukan kewenangan pemerintah kota; warga diarahkan ke pengelola perumahan."}),),
    "forwarded": (("verified", {}), ("forwarded", {"agency": "diskominfo"})),
    "in_progress": (("verified", {}), ("forwarded", {"agency": "diskominfo"}), ("in_progress", {})),
    "answered": (("verified", {}), ("forwarded", {"agency": "diskominfo"}),
                 ("answered", {"note": "Sudah kami tindak lanjuti; petugas datang ke lokasi minggu ini."})),
}
DEMO_PHONE = "0812 0000 1701"
DESK_POLICY = "Rancangan Peraturan Wali Kota tentang Layanan Publik Digital"  # an open demo consultation


def seed_desk(size, progress):
    officers = _officers()
    if db.session.scalar(select(exists().where(DeskSubmission.officer_id.in_([o.id for o in officers])))):
        return
    moderator = db.session.scalar(select(User).where(User.role == Role.MODERATOR).order_by(User.id))
    official = db.session.scalar(select(User).where(User.role == Role.OFFICIAL, User.agency.has(code="diskominfo")))
    with progress(range(20), "Desk aspirations") as numbers:
        for number in numbers:
            _aspiration(officers[number % 2], number, moderator, official)
    policy = db.session.scalar(select(Policy).where(Policy.title == DESK_POLICY, Policy.phase == PolicyPhase.OPEN))
    for number in range(6):
        if policy is not None:
            section = policy.current_version.sections[number % len(policy.current_version.sections)]
            desk.submit_comment(officers[number % 2], _resident(officers[number % 2], number + 3),
                                policy_id=policy.id, section_id=section.id, stance=("support", "oppose")[number % 2],
                                body="Warga menyampaikan pendapat di kantor kelurahan tentang pasal ini.")
    survey = db.session.scalar(select(Survey).where(Survey.published_at.is_not(None), Survey.policy_id.is_(None))
                               .order_by(Survey.id))
    if survey is not None and survey.accepts_responses():
        for number in range(4):
            answers = {question.id: {"choice_ids": [question.choices[0].id]} for question in survey.questions
                       if question.choices}
            answers.update({question.id: {"value": 4} for question in survey.questions if question.kind == "likert"})
            desk.submit_survey_response(officers[number % 2], _resident(officers[number % 2], number + 5), survey,
                                        answers)
    for number, (officer, event) in enumerate(_event_choices(officers)):
        desk.register_for_event(officer, _resident(officer, number + 7, phone=f"0813 0000 17{number:02d}"), event)


def _event_choices(officers):
    """Pondok Betung's desk registers for its two first upcoming events, Cilenggang's for its first."""
    return ([(officers[0], event) for event in desk.upcoming_events(officers[0], limit=2)]
            + [(officers[1], event) for event in desk.upcoming_events(officers[1], limit=1)])


@transaction()
def _officers():
    return [ensure_user(email, name, Role.DESK, district=District.query.filter_by(code=code).one())
            for email, name, code in OFFICERS]


def _resident(officer, number, **fields):
    return desk.Resident(name=RESIDENTS[number % len(RESIDENTS)], phone=fields.get("phone", ""),
                         kelurahan=officer.district.code, consent=True,
                         from_paper_form=fields.get("from_paper_form", False))


def _aspiration(officer, number, moderator, official):
    kind, title, body, category = ASPIRATIONS[number % len(ASPIRATIONS)]
    claimed = number == 4
    resident = _resident(officer, number, phone=DEMO_PHONE if claimed else "", from_paper_form=number % 7 == 3)
    submission = desk.submit_aspiration(
        officer, resident, aspiration_type=kind, title=f"{title} ({officer.district.name})", body=body,
        category=category, visibility="confidential" if number == 9 else ("anonymous" if number % 6 == 5 else "public"))
    for to, extra in STEPS[STATES[number % len(STATES)]]:
        aspirations.transition(official if to in ("in_progress", "answered") else moderator, submission.content, to,
                               **extra)
    if claimed:
        claimer = db.session.scalar(select(User).where(User.email == "warga1@demo.musyawarah.id"))
        if claimer is not None:
            _found, token = desk_tracking.start_claim(claimer, submission.receipt_code, DEMO_PHONE)
            desk_tracking.confirm_claim(claimer, token)
