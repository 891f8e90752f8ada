"""Every export download, fetched from a real server (gunicorn, 2 workers) and parsed back whole.

The test client reads a streamed body inside the test's app context, while
the request's database session is still open; a real server sends the body
after the request has ended. So each export is fetched here as a browser
(signed in through the login form) and an API client (bearer token) fetch
it, in every format, and what arrives is parsed, including what the body
reads through relationships (the policy's agency, the survey's choices,
area and category names). One server per kind of export.
"""
import csv
import io
import json
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from http.cookiejar import CookieJar

from openpyxl import load_workbook

from forum.exports.csvstream import BOM
from forum.extensions import db
from forum.models import PolicyPhase
from forum.reports.rows import COLUMNS, PERSONAL_COLUMNS
from forum.services import survey_answers, tokens
from tests.aspirations.conftest import aspiration_in, staff, submit  # noqa: F401  (fixtures)
from tests.factories import no_post_rate  # noqa: F401  (fixture)
from tests.surveys.conftest import full_answers, make_survey, survey  # noqa: F401  (fixtures)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {"csv": "text/csv", "json": "application/json", "xlsx": XLSX, "pdf": "application/pdf",
                 "zip": "application/zip"}


class Visitor:
    """Someone downloading from the real server: with an API token, or signed in through the login form."""

    def __init__(self, url, headers=None):
        self.url = url
        self.headers = headers or {}
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    @classmethod
    def with_token(cls, url, user):
        _row, raw = tokens.create_token(user, user, "real server downloads")
        return cls(url, {"Authorization": f"Bearer {raw}"})

    @classmethod
    def signed_in(cls, url, user, password):
        visitor = cls(url)
        landing = visitor._open("/akun/masuk", {"email": user.email, "password": password})
        assert landing.url == url("/"), f"sign-in failed: landed on {landing.url}"
        return visitor

    def _open(self, path, form=None):
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        return self.opener.open(urllib.request.Request(self.url(path), data=data, headers=self.headers),
                                timeout=120)

    def download(self, path, file_format, form=None):
        """The parsed file at `path` (GET, or POST of `form`), after checking status and content type."""
        try:
            with self._open(path, form) as response:
                status, content_type, body = response.status, response.headers.get_content_type(), response.read()
        except urllib.error.HTTPError as error:
            status, content_type, body = error.code, error.headers.get_content_type(), error.read()
        assert status == 200, f"{path}: {status} {body[:300]!r}"
        assert content_type == CONTENT_TYPES[file_format], path
        return PARSERS[file_format](body)


def _csv(body):
    text = body.decode("utf-8")
    assert text.startswith(BOM)
    return list(csv.DictReader(io.StringIO(text[len(BOM):])))


def _pdf(body):
    assert body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF")
    return body


def _zip(body):
    bundle = zipfile.ZipFile(io.BytesIO(body))
    assert bundle.testzip() is None
    return bundle


PARSERS = {"csv": _csv, "json": json.loads, "xlsx": lambda body: load_workbook(io.BytesIO(body)), "pdf": _pdf,
           "zip": _zip}


def download_all(visitor, path, formats):
    """{format: parsed file} of `path` + format for each format."""
    return {file_format: visitor.download(path + file_format, file_format) for file_format in formats}


def test_consultation_downloads(real_server, make_consultation, user_password):
    consultation = make_consultation(phase=PolicyPhase.FINAL)  # final: the open-data bundle exists too
    policy, official = consultation.policy, consultation.official
    official.may_export_personal_data = True
    db.session.commit()
    agency, title = official.agency.code, policy.title
    browser = Visitor.signed_in(real_server, official, user_password)
    for visitor, path in ((Visitor.with_token(real_server, official), f"/api/v1/policies/{policy.id}/export?format="),
                          (browser, f"/konsultasi/{policy.id}/ringkasan/unduh?format=")):
        files = download_all(visitor, path, ("json", "csv", "xlsx", "pdf", "zip"))
        document = files["json"]
        assert document["policy"]["agency"] == agency and document["policy"]["title"] == title
        assert len(document["comments"]) == 7 and document["columns"] == list(COLUMNS)
        rows = files["csv"]
        assert len(rows) == 7 and {row["policy_title"] for row in rows} == {title}
        assert {"Pondok Aren", "Serpong"} <= {row["kecamatan"] for row in rows}
        assert files["xlsx"]["Komentar"].max_row - 1 == 7
        bundle = files["zip"]
        assert title in bundle.read("README.txt").decode("utf-8")
        assert len(_csv(bundle.read("comments.csv"))) == 7
    personal = browser.download(f"/konsultasi/{policy.id}/ringkasan/data-pribadi", "json",
                                form={"format": "json", "reason": "Verifikasi peserta konsultasi publik"})
    assert personal["policy"]["agency"] == agency and personal["columns"] == list(COLUMNS + PERSONAL_COLUMNS)
    assert {row["author_email"] for row in personal["comments"]} >= {consultation.residents[0].email}


def test_aspiration_downloads(real_server, aspiration_in, official, user_password):
    aspiration_in("answered")
    aspiration_in("forwarded", title="Lampu jalan padam di Serpong", category="infrastruktur")
    browser = Visitor.signed_in(real_server, official, user_password)
    for visitor, path in ((Visitor.with_token(real_server, official), "/api/v1/aspirations/export?format="),
                          (browser, "/dinas/ekspor-aspirasi?format=")):
        files = download_all(visitor, path, ("json", "csv", "xlsx", "pdf"))
        document = files["json"]
        assert document["agency"] == official.agency.code
        assert document["totals"]["by_state"] == {"answered": 1, "forwarded": 1}
        assert len(document["aspirations"]) == 2
        rows = files["csv"]
        assert {row["title"] for row in rows} == {"Drainase tersumbat di Jalan Raya Jombang",
                                                  "Lampu jalan padam di Serpong"}
        assert {row["kecamatan"] for row in rows} == {"Pondok Aren"} and all(row["category"] for row in rows)
        assert files["xlsx"]["Aspirasi"].max_row == 3


def test_survey_downloads(real_server, survey, make_user, official, user_password):
    for _ in range(3):
        survey_answers.submit_response(make_user(), survey, full_answers(survey))
    first_question, first_choice = survey.questions[0], survey.questions[0].choices[0].label
    question_column = f"Q{first_question.position}. {first_question.text}"
    browser = Visitor.signed_in(real_server, official, user_password)
    for visitor, path in ((Visitor.with_token(real_server, official), f"/api/v1/surveys/{survey.id}/export?format="),
                          (browser, f"/dinas/survei/{survey.id}/unduh/")):
        files = download_all(visitor, path, ("json", "csv", "xlsx", "pdf"))
        document = files["json"]
        assert document["survey"]["title"] == survey.title and len(document["responses"]) == 3
        assert {record["answers"][str(first_question.id)] for record in document["responses"]} == {first_choice}
        rows = files["csv"]
        assert len(rows) == 3 and {row[question_column] for row in rows} == {first_choice}
        assert files["xlsx"].worksheets[1].max_row == 4
