"""Demo surveys for `seed-demo`: a satisfaction survey on the online licensing service, and consultation surveys.

The surveys are built through the builder service (forum/services/surveys.py);
their few hundred responses are generated (a fixed random seed) and
bulk-inserted, from demo respondent accounts spread over every kelurahan,
because the services would rightly refuse answers to a closed survey and
check each one. Matched by title, so running the seeder again adds nothing.
"""
import random
from datetime import timedelta

from sqlalchemy import insert, select, update

from forum.demo.accounts import demo_password_hash
from forum.extensions import db
from forum.models import (
    Agency,
    Demographic,
    District,
    Policy,
    QuestionType,
    Role,
    Survey,
    SurveyAnswer,
    SurveyResponse,
    User,
)
from forum.services import transaction
from forum.services.surveys import create_survey
from forum.timeutil import utcnow

RESPONDENTS = 320
RESPONDENT_EMAIL = "responden{}@demo.musyawarah.id"
CLOSED_POLICY = "Rancangan Peraturan Wali Kota tentang Penataan Parkir di Badan Jalan"

LICENSING = {
    "title": "Survei kepuasan layanan perizinan online (SIMPEL/OSS)",
    "service_name": "Layanan perizinan online (SIMPEL/OSS)",
    "agency": "diskominfo", "responses": 300, "open": True,
    "intro": "Bantu kami memperbaiki layanan perizinan online. Survei ini butuh sekitar lima menit; "
             "semua pertanyaan tentang diri Anda boleh dilewati.",
    "questions": [
        {"type": "single", "text": "Bagaimana Anda mengurus izin terakhir Anda?", "required": True,
         "choices": ["Sepenuhnya daring", "Sebagian daring, sebagian datang ke kantor", "Datang ke kantor"],
         "allow_other": True},
        {"type": "multiple", "text": "Fitur apa saja yang Anda gunakan?",
         "choices": ["Pendaftaran akun", "Unggah berkas", "Lacak status permohonan", "Pembayaran retribusi",
                     "Unduh dokumen izin"]},
        {"type": "likert", "text": "Aplikasi mudah digunakan.", "required": True},
        {"type": "likert", "text": "Persyaratan dijelaskan dengan jelas."},
        {"type": "likert", "text": "Izin selesai sesuai waktu yang dijanjikan."},
        {"type": "rating", "text": "Seberapa mungkin Anda menyarankan layanan ini kepada tetangga atau kenalan?",
         "low_label": "Sama sekali tidak", "high_label": "Sangat mungkin"},
        {"type": "short_text", "text": "Dalam satu atau dua kata, bagaimana layanan ini menurut Anda?"},
        {"type": "long_text", "text": "Apa yang paling perlu kami perbaiki?"},
    ],
}
CONSULTATION = {
    "title": "Survei: layanan publik digital yang Anda butuhkan",
    "policy": "Rancangan Peraturan Wali Kota tentang Layanan Publik Digital", "responses": 180, "open": True,
    "intro": "Survei singkat untuk melengkapi masukan Anda atas rancangan peraturan ini.",
    "questions": [
        {"type": "likert", "text": "Rancangan peraturan ini mudah dipahami.", "required": True},
        {"type": "single", "text": "Layanan digital apa yang paling sering Anda gunakan?",
         "choices": ["Kependudukan (KTP, KK)", "Perizinan", "Pengaduan", "Pajak daerah", "Kesehatan"]},
        {"type": "rating", "text": "Seberapa puas Anda dengan layanan digital kota saat ini?"},
        {"type": "long_text", "text": "Apa yang harus diatur lebih jelas dalam rancangan ini?"},
    ],
}
PARKING = {
    "title": "Survei: kebiasaan parkir di badan jalan", "policy": CLOSED_POLICY, "responses": 120, "open": False,
    "intro": "Survei ini sudah ditutup; hasilnya terbuka untuk umum.",
    "questions": [
        {"type": "single", "text": "Seberapa sering Anda parkir di badan jalan?", "required": True,
         "choices": ["Setiap hari", "Beberapa kali seminggu", "Jarang", "Tidak pernah"]},
        {"type": "likert", "text": "Parkir di badan jalan membuat jalan di lingkungan saya macet."},
        {"type": "long_text", "text": "Usul Anda untuk penataan parkir"},
    ],
}
SHORT_WORDS = ("Cepat", "Lambat", "Membantu", "Membingungkan", "Praktis", "Lumayan", "Sering error", "Mudah")
LONG_TEXTS = (
    "Unggah berkas sering gagal kalau ukurannya lebih dari 2 MB, mohon batasnya dinaikkan.",
    "Status permohonan lama tidak berubah, padahal berkas sudah lengkap.",
    "Perlu panduan langkah demi langkah dengan gambar untuk warga yang belum terbiasa.",
    "Petugas di kantor ramah, tetapi aplikasinya masih membingungkan.",
    "Tolong hubungi saya di 081298765432, akun saya terkunci sejak minggu lalu.",
    "Notifikasi lewat e-mail tidak pernah sampai, jadi saya harus mengecek terus.",
    "Sudah bagus, tinggal dipercepat proses verifikasinya.",
    "Jaringan di kelurahan lemot, sebaiknya ada layanan bantuan di kantor kelurahan.",
    "Aturan parkir harus disertai lahan parkir pengganti di dekat pasar.",
    "Penjelasan tentang data pribadi dalam rancangan perlu lebih rinci.",
)


def seed_surveys(size, progress):
    """`SEEDERS` entry: the three demo surveys with their responses (the same for both sizes)."""
    specs = [spec for spec in (LICENSING, CONSULTATION, PARKING)
             if db.session.scalar(select(Survey.id).where(Survey.title == spec["title"])) is None]
    if not specs:
        return
    respondents = _respondents()
    rng = random.Random(31)
    with progress(specs, "Surveys") as items:
        for spec in items:
            survey = _build(spec)
            if survey is not None:
                with transaction():  # the responses, and the demo dates `_build` set after the service's commit
                    _answer(survey, spec, respondents, rng)


def _respondents():
    """(user id, kecamatan id) of the demo respondents, created on first use (one shared password hash)."""
    existing = db.session.scalar(select(User.id).where(User.email == RESPONDENT_EMAIL.format(1)))
    if existing is None:
        kelurahan = db.session.scalars(
            select(District.id).where(District.level == District.KELURAHAN).order_by(District.code)).all()
        now = utcnow()
        db.session.execute(insert(User), [
            {"email": RESPONDENT_EMAIL.format(n), "display_name": f"Responden {n}", "role": Role.RESIDENT,
             "password_hash": demo_password_hash(), "district_id": kelurahan[n * 13 % len(kelurahan)],
             "email_verified_at": now, "consent_at": now, "consent_version": "demo", "created_at": now,
             "session_token": f"demo-respondent-{n}"}
            for n in range(1, RESPONDENTS + 1)])
    parent = select(District.parent_id).where(District.id == User.district_id).scalar_subquery()
    return db.session.execute(
        select(User.id, parent).where(User.email.like("responden%@demo.musyawarah.id")).order_by(User.id)).all()


def _build(spec):
    """The survey of `spec`, built through the service as a demo official of its agency (None without one)."""
    policy = None
    if "policy" in spec:
        policy = db.session.scalar(select(Policy).where(Policy.title == spec["policy"]))
        if policy is None:
            return None
        agency_id = policy.agency_id
    else:
        agency_id = db.session.scalar(select(Agency.id).where(Agency.code == spec["agency"]))
    official = db.session.scalar(select(User).where(User.role == Role.OFFICIAL, User.agency_id == agency_id,
                                                    User.email.like("%@demo.musyawarah.id")))
    if official is None:
        return None
    now = utcnow()
    survey = create_survey(
        official, policy=policy, title=spec["title"], service_name=spec.get("service_name"), intro=spec["intro"],
        questions=spec["questions"], publish=True, results_public=True, ask_demographics=True,
        closes_at=now + timedelta(days=30),
    )
    survey.opens_at = now - timedelta(days=14)
    if not spec["open"]:
        survey.closed_at = now
    return survey


def _answer(survey, spec, respondents, rng):
    """Bulk-insert `spec["responses"]` responses with answers that lean the way real ones do."""
    chosen = rng.sample(respondents, min(spec["responses"], len(respondents)))
    now = utcnow()
    rows = []
    for index, (user_id, kecamatan_id) in enumerate(chosen):
        age_band = rng.choice(Demographic.AGE_BANDS[1:] + (None,))
        gender = rng.choice(Demographic.GENDERS[:2] + (None,))
        answered_at = now - timedelta(minutes=rng.randint(10, 14 * 24 * 60))
        rows.append(({"survey_id": survey.id, "user_id": user_id, "kecamatan_id": kecamatan_id,
                      "age_band": age_band, "gender": gender, "created_at": answered_at,
                      "updated_at": answered_at}, (kecamatan_id, age_band, gender)))
    db.session.execute(insert(SurveyResponse), [row for row, _ in rows])
    response_ids = dict(db.session.execute(
        select(SurveyResponse.user_id, SurveyResponse.id).where(SurveyResponse.survey_id == survey.id)).all())
    answers = []
    for (row, (kecamatan_id, age_band, gender)) in rows:
        for question in survey.questions:
            for choice_id, value, text in _generated(question, rng):
                answers.append({"response_id": response_ids[row["user_id"]], "question_id": question.id,
                                "choice_id": choice_id, "value": value, "text": text,
                                "kecamatan_id": kecamatan_id, "age_band": age_band, "gender": gender})
    db.session.execute(insert(SurveyAnswer), answers)
    db.session.execute(update(Survey).where(Survey.id == survey.id).values(response_count=len(rows)))


def _generated(question, rng):
    """[(choice_id, value, text)] of one generated answer (empty when skipped)."""
    if not question.required and rng.random() < 0.15:
        return []
    if question.kind == QuestionType.SINGLE:
        if question.allow_other and rng.random() < 0.05:
            return [(None, None, "Dibantu petugas kelurahan")]
        weights = [len(question.choices) - n for n in range(len(question.choices))]
        return [(rng.choices(question.choices, weights=weights)[0].id, None, None)]
    if question.kind == QuestionType.MULTIPLE:  # `value`: the response's number of rows (forum/models/surveys.py)
        ticked = rng.sample(question.choices, rng.randint(1, 3))
        return [(choice.id, len(ticked), None) for choice in ticked]
    if question.kind == QuestionType.LIKERT:
        return [(None, min(5, max(1, round(rng.gauss(3.4, 1.1)))), None)]
    if question.kind == QuestionType.RATING:
        return [(None, min(10, max(0, round(rng.gauss(7.0, 2.2)))), None)]
    if question.kind == QuestionType.SHORT_TEXT:
        return [(None, None, rng.choice(SHORT_WORDS))] if rng.random() < 0.6 else []
    return [(None, None, rng.choice(LONG_TEXTS))] if rng.random() < 0.4 else []
