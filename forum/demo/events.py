"""Demo events: eight across the kecamatan, the past ones with minutes, attendance and meeting points.

Past face-to-face consultations put their points (face-to-face comments) on
the demo consultations, so those summaries show the offline channel beside
the online one. Rows are written directly, as the other demo seeders do
(the services refuse events in the past for registration and would screen
each line); clause counters are then set from the rows by `recount()`.
Matched by title: running the seeder again adds nothing.
"""
from datetime import datetime, time, timedelta

from sqlalchemy import select

from forum.demo.consultations import recount
from forum.extensions import db
from forum.models import (
    Agency, Channel, Comment, ContentStatus, District, Event, EventRegistration, Policy, RegistrationStatus, Role,
    User,
)
from forum.services import transaction
from forum.text import render_markdown
from forum.timeutil import CITY_ZONE, to_city_time, utcnow

CONSULTATION_DIGITAL = "Rancangan Peraturan Wali Kota tentang Layanan Publik Digital"
CONSULTATION_WASTE = "Rancangan Peraturan Daerah tentang Pengelolaan Sampah Rumah Tangga"
CONSULTATION_PARKING = "Rancangan Peraturan Wali Kota tentang Penataan Parkir di Badan Jalan"

# (title, kind, agency, kelurahan, address, days from now, hours, capacity, consultation, minutes, attendance, points)
# points: (clause number or 0 for the whole policy, stance, agreed, text)
EVENTS = (
    ("Konsultasi tatap muka: Layanan Publik Digital di Pondok Aren", "consultation", "diskominfo",
     "pondok-aren.pondok-betung", "Aula Kantor Kelurahan Pondok Betung, Jl. Raya Pondok Betung No. 1", -12, 3, 80,
     CONSULTATION_DIGITAL,
     "Pertemuan dibuka lurah. Diskominfo memaparkan rancangan pasal demi pasal. Warga lansia meminta "
     "loket bantuan tetap ada; pelaku UMKM meminta layanan izin dapat diurus lewat ponsel.",
     {"total": 64, "gender": {"female": 35, "male": 29}, "age_band": {"25_34": 14, "35_44": 20, "45_54": 18,
                                                                      "55_64": 8, "65_plus": 4}},
     ((1, "support", 40, "Layanan daring sangat membantu warga yang bekerja, asalkan ada panduan sederhana."),
      (2, "oppose", 22, "Warga lansia dan yang tidak punya ponsel pintar jangan dipaksa daring: loket harus tetap "
                        "buka."),
      (0, "neutral", 15, "Perlu sosialisasi di tiap RW sebelum aturan berlaku."))),
    ("Konsultasi tatap muka: Pengelolaan Sampah di Serpong", "consultation", "dlh", "serpong.cilenggang",
     "Balai Warga RW 03, Jl. Cilenggang Raya", -6, 2, 60, CONSULTATION_WASTE,
     "DLH menjelaskan kewajiban memilah sampah. Warga mendukung bank sampah tetapi keberatan dengan denda.",
     {"total": 47, "gender": {"female": 28, "male": 19}},
     ((1, "support", 31, "Bank sampah di tiap RW sudah berjalan, tinggal didukung sarana angkut terpilah."),
      (2, "oppose", 25, "Denda bagi rumah tangga terlalu berat sebelum ada tempat sampah terpilah."))),
    ("Musrenbang Kelurahan Pondok Kacang Timur", "musrenbang", "dishub", "pondok-aren.pondok-kacang-timur",
     "Kantor Kelurahan Pondok Kacang Timur", -20, 4, 100, CONSULTATION_PARKING,
     "Usulan prioritas: trotoar, penataan parkir di depan pasar, dan penerangan jalan.",
     {"total": 85},
     ((1, "support", 50, "Parkir di badan jalan depan pasar perlu ditata agar angkot bisa lewat."),)),
    ("Sosialisasi perlindungan data pribadi", "sosialisasi", "diskominfo", "ciputat.cipayung",
     "Aula Kecamatan Ciputat", -3, 2, 50, None,
     "Materi: cara menjaga NIK dan kata sandi, serta cara melapor bila data bocor.",
     {"total": 38, "age_band": {"18_24": 10, "25_34": 12, "35_44": 9, "45_54": 7}}, ()),
    ("Pelatihan literasi digital untuk lansia", "digital_literacy", "diskominfo", "ciputat-timur.cempaka-putih",
     "Perpustakaan Kelurahan Cempaka Putih", 4, 3, 2, None, None, None, ()),
    ("Konsultasi tatap muka: Layanan Publik Digital di Pamulang", "consultation", "diskominfo",
     "pamulang.pamulang-barat", "Gedung Serbaguna Pamulang Barat", 9, 3, 70, CONSULTATION_DIGITAL,
     None, None, ()),
    ("Sosialisasi pemilahan sampah rumah tangga", "sosialisasi", "dlh", "setu.setu",
     "Kantor Kelurahan Setu", 14, 2, 40, None, None, None, ()),
    ("Musrenbang Kelurahan Jurang Mangu Barat", "musrenbang", "dbmsda", "pondok-aren.jurang-mangu-barat",
     "Kantor Kelurahan Jurang Mangu Barat", 21, 4, 120, None, None, None, ()),
)


def _official(agency_code):
    agency = db.session.scalar(select(Agency).where(Agency.code == agency_code))
    return db.session.scalar(select(User).where(User.role == Role.OFFICIAL, User.agency_id == agency.id)
                             .order_by(User.id))


@transaction()
def seed_events(size, progress):
    today = to_city_time(utcnow()).date()
    existing = set(db.session.scalars(select(Event.title)))
    residents = db.session.scalars(select(User).where(User.role == Role.RESIDENT).order_by(User.id).limit(6)).all()
    touched = set()
    with progress(EVENTS, "Events") as rows:
        for (title, kind, agency_code, kelurahan, address, days, hours, capacity, consultation, minutes,
             attendance, points) in rows:
            if title in existing:
                continue
            official = _official(agency_code)
            district = db.session.scalar(select(District).where(District.code == kelurahan))
            policy = db.session.scalar(select(Policy).where(Policy.title == consultation)) if consultation else None
            starts = datetime.combine(today + timedelta(days=days), time(9), tzinfo=CITY_ZONE)
            event = Event(title=title, kind=kind, district_id=district.id, address=address, starts_at=starts,
                          ends_at=starts + timedelta(hours=hours), capacity=capacity,
                          policy_id=policy.id if policy else None, agency_id=official.agency_id,
                          created_by_id=official.id, description="", description_html="")
            db.session.add(event)
            db.session.flush()
            if minutes:
                event.minutes, event.minutes_html = minutes, render_markdown(minutes)
                event.minutes_published_at = event.ends_at + timedelta(days=1)
                breakdown = {part: counts for part, counts in attendance.items() if part != "total"}
                event.attendance_total = attendance["total"]
                event.attendance_breakdown = breakdown or None
            if days > 0:
                _registrations(event, residents)
            if policy is not None and points:
                _points(event, policy, official, points)
                touched.add(policy.id)
    if touched:
        recount(sorted(touched))


def _registrations(event, residents):
    """The first residents take the seats; the rest of them wait (a small event shows a waiting list)."""
    for position, resident in enumerate(residents[:4], start=1):
        status = RegistrationStatus.CONFIRMED if position <= event.capacity else RegistrationStatus.WAITLISTED
        db.session.add(EventRegistration(event_id=event.id, user_id=resident.id, status=status, position=position))


def _points(event, policy, official, points):
    version = policy.current_version
    sections = {section.number: section for section in version.sections}
    for number, stance, agreed, text in points:
        section = sections.get(number)
        db.session.add(Comment(
            author_id=official.id, target_id=policy.id, body_source=text, body_html=render_markdown(text),
            status=ContentStatus.PUBLISHED, stance=stance, channel=Channel.FACE_TO_FACE,
            input_district_id=event.district_id, event_id=event.id, agreed_count=agreed, version_id=version.id,
            section_id=section.id if section else None, created_at=event.ends_at + timedelta(hours=2)))
