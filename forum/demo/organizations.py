"""Demo organizations for `seed-demo`: six verified ones across the kecamatan, of different kinds, and one
request waiting in the verifiers' queue.

Each is requested by a demo resident (its founder and admin) through the
service, with a small generated PDF as its supporting document and a
generated logo, then verified by the demo admin (so the audit log and the
founder's notifications are real). A few other demo residents are members,
one of them a second admin. Matched by name, so running the seeder again
adds nothing. Posts written as organizations come with issue 15's posting part.
"""
import io

from PIL import Image, ImageDraw
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from forum.extensions import db
from forum.models import MemberRole, Organization, OrganizationMember, User
from forum.services import organizations as service
from forum.services import transaction

ADMIN_EMAIL = "admin@demo.musyawarah.id"
RESIDENT = "warga{}@demo.musyawarah.id"
DOCUMENT = b"%PDF-1.4\n% Surat keterangan terdaftar (contoh demo)\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

# name, kind, place code, description, website, founder, [(member, role)], logo colour
VERIFIED = (
    ("Komunitas Peduli Situ Gintung", "community", "ciputat-timur.cireundeu",
     "Relawan yang membersihkan **Situ Gintung** setiap bulan dan mengajak warga menjaga sempadan situ.\n\n"
     "Terbuka untuk siapa saja; kumpul setiap Minggu pertama pukul 07.00 di dermaga.",
     "https://situgintung.example.org", 1, [(2, MemberRole.ADMIN), (3, MemberRole.MEMBER), (4, MemberRole.MEMBER)],
     (20, 110, 160)),
    ("LSM Sahabat Difabel Tangsel", "ngo", "pamulang",
     "Mendampingi warga difabel mengakses layanan publik dan memantau aksesibilitas trotoar, halte dan gedung "
     "pemerintahan di Pamulang.", "https://sahabatdifabel.example.org", 5,
     [(6, MemberRole.MEMBER), (7, MemberRole.MEMBER)], (150, 60, 120)),
    ("RW 05 Pondok Betung", "neighbourhood", "pondok-aren.pondok-betung",
     "Pengurus RW 05 Kelurahan Pondok Betung: menyampaikan aspirasi warga tentang drainase, keamanan lingkungan "
     "dan fasilitas umum.", "", 8, [(9, MemberRole.MEMBER), (10, MemberRole.MEMBER)], None),
    ("Asosiasi UMKM Serpong", "business", "serpong",
     "Wadah pelaku usaha mikro, kecil dan menengah di Serpong: perizinan, pasar rakyat dan pelatihan pemasaran "
     "daring.", "https://umkmserpong.example.org", 11, [(12, MemberRole.MEMBER), (13, MemberRole.ADMIN)],
     (200, 120, 20)),
    ("BEM Kampus Pamulang Peduli Kota", "campus", "pamulang.pamulang-barat",
     "Mahasiswa yang meneliti dan mendiskusikan kebijakan kota, serta mengadakan kelas literasi digital untuk "
     "warga lanjut usia.", "", 14, [(15, MemberRole.MEMBER), (16, MemberRole.MEMBER), (17, MemberRole.MEMBER)],
     (30, 90, 40)),
    ("Forum Warga Peduli Sampah Setu", "other", "setu",
     "Forum warga yang mendorong bank sampah di setiap RW dan mengawasi TPA Cipeucang.", "", 18,
     [(19, MemberRole.MEMBER)], None),
)
PENDING = ("Komunitas Sepeda Serpong Utara", "community", "serpong-utara.pakualam",
           "Pesepeda harian yang mengusulkan jalur sepeda aman dari BSD ke stasiun.", "", 20)


def _file(data, name):
    return FileStorage(stream=io.BytesIO(data), filename=name)


def _logo(colour, name):
    image = Image.new("RGB", (320, 320), colour)
    draw = ImageDraw.Draw(image)
    draw.ellipse((60, 60, 260, 260), outline=(255, 255, 255), width=18)
    draw.text((140, 150), name[0], fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return _file(buffer.getvalue(), "logo.png")


def _resident(number):
    return db.session.scalars(select(User).where(User.email == RESIDENT.format(number))).one()


def _request(name, kind, place, description, website, founder, logo=None):
    return service.request_organization(
        _resident(founder), name=name, kind=kind, district=place, description=description, website=website,
        contact=f"0812-5555-{founder:04d}", document=_file(DOCUMENT, "surat-keterangan.pdf"), logo=logo)


@transaction()
def seed_organizations(size, progress):
    admin = db.session.scalars(select(User).where(User.email == ADMIN_EMAIL)).one()
    existing = set(db.session.scalars(select(Organization.name)))
    with progress(VERIFIED, "Organizations") as entries:
        for name, kind, place, description, website, founder, members, colour in entries:
            if name in existing:
                continue
            organization = _request(name, kind, place, description, website, founder,
                                    logo=_logo(colour, name) if colour else None)
            for number, role in members:
                organization.members.append(OrganizationMember(user=_resident(number), role=role))
            service.decide(admin, organization, "verify")
    if PENDING[0] not in existing:
        _request(*PENDING)
