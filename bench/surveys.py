"""Survey results at volume: `python -m bench.surveys` prints how long the results take.

A throwaway database (SQLite, and PostgreSQL when one answers at
127.0.0.1:5432: database `musyawarah_bench_surveys`, dropped afterwards)
holds one survey of 20 questions (single and multiple choice, Likert,
rating, short and long text) answered by 50,000 residents spread over the
seven kecamatan, bulk-inserted. Printed: the seconds for the results as the
API and the results page compute them (every count, distribution, mean,
median, NPS, and the listed texts with their key terms), then with a
breakdown by kecamatan, by age band, by gender, and all three. Target: the
results in under 1 s. Each figure is the best of `REPEAT` runs.
"""
import os
import random
import subprocess
import tempfile
import time

from sqlalchemy import insert, text

from config import TestingConfig
from forum import create_app
from forum.extensions import db
from forum.models import District, Role, Survey, SurveyAnswer, SurveyResponse, User
from forum.services.reference import load_reference_data
from forum.services.survey_results import survey_results
from forum.services.surveys import create_survey
from forum.timeutil import utcnow

RESPONSES = int(os.environ.get("BENCH_SURVEY_RESPONSES", "50000"))
REPEAT = 3
BATCH = 5_000
PG_DATABASE = "musyawarah_bench_surveys"
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
TARGET_SECONDS = 1.0
WORDS = ("pelayanan cepat lambat antrean izin berkas unggah aplikasi sering gagal petugas ramah "
         "jaringan lemot panduan jelas bingung biaya transparan status lacak notifikasi terlambat "
         "kantor kelurahan daring mudah sulit verifikasi dokumen tanda tangan elektronik").split()
QUESTIONS = (
    [{"type": "single", "text": f"Pertanyaan pilihan {n}", "choices": ["Ya", "Tidak", "Ragu-ragu", "Tidak tahu"],
      "allow_other": n == 1} for n in range(1, 7)]
    + [{"type": "multiple", "text": f"Pertanyaan pilihan ganda {n}",
        "choices": ["Unggah", "Lacak", "Bayar", "Konsultasi", "Unduh"]} for n in range(1, 5)]
    + [{"type": "likert", "text": f"Pernyataan {n}"} for n in range(1, 5)]
    + [{"type": "rating", "text": f"Rekomendasi {n}"} for n in range(1, 4)]
    + [{"type": "short_text", "text": f"Satu kata {n}"} for n in range(1, 3)]
    + [{"type": "long_text", "text": "Saran perbaikan"}]
)


def _app(url, directory):
    return create_app(TestingConfig(
        SQLALCHEMY_DATABASE_URI=url, INSTANCE_DIR=directory, SEARCH_INDEX_DIR=f"{directory}/search",
        MAIL_DIR=f"{directory}/mail", UPLOAD_DIR=f"{directory}/uploads",
    ))


def _answer_rows(rng, survey, response_id, kecamatan_id, age_band, gender):
    rows = []

    def row(question, choice_id=None, value=None, answer_text=None):
        rows.append({"response_id": response_id, "question_id": question.id, "choice_id": choice_id,
                     "value": value, "text": answer_text, "kecamatan_id": kecamatan_id,
                     "age_band": age_band, "gender": gender})

    for question in survey.questions:
        if question.kind == "single":
            row(question, choice_id=rng.choice(question.choices).id)
        elif question.kind == "multiple":
            ticked = rng.sample(question.choices, rng.randint(1, 3))
            for choice in ticked:
                row(question, choice_id=choice.id, value=len(ticked))
        elif question.kind == "likert":
            row(question, value=min(5, max(1, round(rng.gauss(3.6, 1.0)))))
        elif question.kind == "rating":
            row(question, value=min(10, max(0, round(rng.gauss(7.5, 2.0)))))
        elif rng.random() < 0.6:
            row(question, answer_text=" ".join(rng.choices(WORDS, k=rng.randint(2, 12))))
    return rows


def populate(rng):
    """The survey and its responses, bulk-inserted; return the survey id."""
    load_reference_data()
    official = User(email="pejabat@bench.test", display_name="Pejabat", password_hash="x", role=Role.OFFICIAL,
                    agency_id=db.session.execute(text("SELECT id FROM agency ORDER BY id LIMIT 1")).scalar(),
                    email_verified_at=utcnow())
    db.session.add(official)
    db.session.commit()
    survey = create_survey(official, title="Kepuasan layanan (bench)", service_name="SIMPEL", questions=QUESTIONS,
                           publish=True, ask_demographics=True)
    kecamatan = [district.id for district in District.query.filter_by(level=District.KECAMATAN)]
    now = utcnow()
    # Loading goes faster without the answer indexes; they are built once at the end.
    indexes = list(SurveyAnswer.__table__.indexes)
    for index in indexes:
        index.drop(bind=db.session.connection())
    for start in range(0, RESPONSES, BATCH):
        numbers = range(start, min(start + BATCH, RESPONSES))
        db.session.execute(insert(User), [
            {"email": f"warga{n}@bench.test", "display_name": f"Warga {n}", "password_hash": "x",
             "role": Role.RESIDENT, "created_at": now, "session_token": f"t{n}"} for n in numbers])
        user_ids = db.session.execute(text(
            "SELECT id FROM \"user\" WHERE email LIKE 'warga%@bench.test' ORDER BY id DESC LIMIT :n"),
            {"n": len(numbers)}).scalars().all()
        people = [(user_id, rng.choice(kecamatan), rng.choice(("18_24", "25_34", "35_44", "45_54", None)),
                   rng.choice(("female", "male", None))) for user_id in user_ids]
        db.session.execute(insert(SurveyResponse), [
            {"survey_id": survey.id, "user_id": user_id, "kecamatan_id": k, "age_band": a, "gender": g,
             "created_at": now, "updated_at": now} for user_id, k, a, g in people])
        response_ids = dict(db.session.execute(text(
            "SELECT user_id, id FROM survey_response WHERE survey_id = :s AND user_id IN ("
            + ",".join(str(user_id) for user_id, *_ in people) + ")"), {"s": survey.id}).all())
        answers = []
        for user_id, k, a, g in people:
            answers.extend(_answer_rows(rng, survey, response_ids[user_id], k, a, g))
        db.session.execute(insert(SurveyAnswer), answers)
        db.session.commit()
    for index in indexes:
        index.create(bind=db.session.connection())
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        # What autovacuum does after a bulk load: statistics, and the visibility map index-only scans need.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    else:
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    return survey.id


def best_of(work):
    timings = []
    for _ in range(REPEAT):
        db.session.expire_all()
        started = time.perf_counter()
        work()
        timings.append(time.perf_counter() - started)
    return min(timings)


def measure(label, url, directory):
    app = _app(url, directory)
    with app.app_context(), app.test_request_context():
        db.create_all()
        started = time.perf_counter()
        survey_id = populate(random.Random(8))
        seeded = time.perf_counter() - started
        answer_rows = db.session.execute(text("SELECT count(*) FROM survey_answer")).scalar()

        def results(breakdown=None):
            return lambda: survey_results(db.session.get(Survey, survey_id), breakdown=breakdown)

        figures = [("results (counts, distributions, mean, median, NPS, texts, key terms)", best_of(results()))]
        figures += [(f"results with a breakdown by {name}", best_of(results(name)))
                    for name in ("kecamatan", "age_band", "gender")]
        figures.append(("results with all three breakdowns", best_of(results("all"))))
        db.session.remove()
        db.engine.dispose()
    print(f"\nSurvey results, {label}: 20 questions, {RESPONSES:,} responses, {answer_rows:,} answer rows "
          f"(bulk insert took {seeded:.1f} s); best of {REPEAT}")
    for name, seconds in figures:
        print(f"  {name:<72}{seconds:>7.3f} s")
    verdict = "met" if figures[0][1] < TARGET_SECONDS else "MISSED"
    print(f"  target: results in under {TARGET_SECONDS:.0f} s: {verdict}")


def _postgres_available():
    return subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", "5432"], capture_output=True).returncode == 0


def _psql(sql):
    subprocess.run(["psql", PG_ADMIN_URL, "-q", "-c", sql], check=True, capture_output=True)


def main():
    with tempfile.TemporaryDirectory(prefix="musyawarah-bench-surveys-") as directory:
        measure("SQLite", f"sqlite:///{directory}/bench.sqlite", directory)
        if _postgres_available():
            _psql(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
            _psql(f"CREATE DATABASE {PG_DATABASE}")
            try:
                measure("PostgreSQL", f"postgresql://postgres@127.0.0.1:5432/{PG_DATABASE}", directory)
            finally:
                _psql(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
        else:
            print("PostgreSQL not reachable at 127.0.0.1:5432: survey results measured on SQLite only.")


if __name__ == "__main__":
    main()
