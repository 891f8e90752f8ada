"""Every export format parsed back and checked against the database and the summary."""
import csv
import io
import json
import zipfile

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from forum.errors import Conflict, Forbidden, ValidationFailed
from forum.exports.csvstream import BOM
from forum.extensions import db
from forum.models import Comment, ContentStatus, PolicyPhase, Role
from forum.reports.rows import COLUMNS
from forum.reports.scope import pseudonym
from forum.services import summaries
from tests.factories import make_comment, make_policy, no_post_rate  # noqa: F401  (fixture)


def published_count(policy):
    return db.session.scalar(select(func.count()).select_from(Comment).where(
        Comment.target_id == policy.id, Comment.status == ContentStatus.PUBLISHED))


def read_text(export):
    if export.chunks is not None:
        return "".join(export.chunks)
    with open(export.path, encoding="utf-8") as handle:
        return handle.read()


def export(actor, policy, name, **options):
    return summaries.export_policy(actor, policy.id, name, **options)


def csv_rows(text):
    assert text.startswith(BOM)
    return list(csv.DictReader(io.StringIO(text[len(BOM):])))


def test_csv_has_one_row_per_published_comment(app, consultation):
    policy = consultation.policy
    rows = csv_rows(read_text(export(consultation.official, policy, "csv")))
    assert len(rows) == published_count(policy) == 7
    assert list(rows[0]) == list(COLUMNS)
    by_text = {row["text"]: row for row in rows}
    strong = by_text["Taman kota harus diperbanyak untuk anak-anak."]
    assert (strong["clause_number"], strong["stance"], strong["helpful"]) == ("1", "support", "5")
    assert strong["author"] == pseudonym(policy.id, consultation.residents[0].id)
    assert strong["kecamatan"] == "Pondok Aren" and strong["kelurahan"] == "Pondok Betung"
    response = by_text["Terima kasih, kami akan menambah taman."]
    assert response["official_response"] == "True" and response["reply_to"] == strong["comment_id"]
    everything = json.dumps(rows)
    for secret in consultation.hidden_texts:
        assert secret not in everything
    for person in consultation.residents:
        assert person.email not in everything and person.display_name not in everything


def test_json_holds_the_summary_and_the_same_rows(app, consultation):
    policy = consultation.policy
    document = json.loads(read_text(export(consultation.official, policy, "json")))
    assert document["schema"] == "musyawarah.feedback-export/1"
    assert len(document["comments"]) == published_count(policy)
    assert document["participation"]["comments"] == 6
    assert document["votes"] == {"support": 2, "oppose": 1}
    assert document["columns"] == list(COLUMNS)
    assert [clause["oppose"] for clause in document["clauses"]] == [2, 0, 0]


def test_xlsx_sheets_agree_with_csv_and_summary(app, consultation):
    policy = consultation.policy
    path = export(consultation.official, policy, "xlsx").path
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["Ringkasan", "Pasal", "Komentar", "Wilayah", "Saluran", "Survei", "Organisasi"]
    comments = workbook["Komentar"]
    assert comments.max_row - 1 == published_count(policy)
    assert comments.freeze_panes == "A2" and comments.auto_filter.ref.startswith("A1:")
    figures = {row[0]: row[1] for row in workbook["Ringkasan"].iter_rows(min_row=2, values_only=True)}
    assert figures["Komentar"] == 6
    clauses = list(workbook["Pasal"].iter_rows(min_row=2, values_only=True))
    assert [row[4] for row in clauses] == [0, 2, 0, 0]  # the policy as a whole, pasal 1-3 (oppose column)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row)


def test_pdf_renders_the_summary(app, consultation):
    path = export(consultation.official, consultation.policy, "pdf").path
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_open_data_zip_only_for_final_consultations(app, consultation, resident):
    policy = consultation.policy
    with pytest.raises(Conflict):
        export(resident, policy, "zip")
    policy.phase = PolicyPhase.FINAL
    db.session.commit()
    path = export(resident, policy, "zip").path
    with zipfile.ZipFile(path) as bundle:
        assert sorted(bundle.namelist()) == ["README.txt", "channels.csv", "clauses.csv", "comments.csv", "days.csv",
                                             "districts.csv"]
        readme = bundle.read("README.txt").decode()
        assert "CC BY 4.0" in readme
        for column in COLUMNS:
            assert f"  {column}: " in readme
        rows = csv_rows(bundle.read("comments.csv").decode("utf-8"))
        assert len(rows) == published_count(policy)


def test_formats_agree_with_each_other(app, consultation):
    policy, official = consultation.policy, consultation.official
    csv_ids = sorted(int(row["comment_id"]) for row in csv_rows(read_text(export(official, policy, "csv"))))
    json_ids = sorted(row["comment_id"] for row in json.loads(read_text(export(official, policy, "json")))["comments"])
    sheet = load_workbook(export(official, policy, "xlsx").path)["Komentar"]
    position = list(COLUMNS).index("comment_id")
    xlsx_ids = sorted(row[position] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert csv_ids == json_ids == xlsx_ids


HOSTILE = [
    "=HYPERLINK(\"http://evil.example\",\"klik\")",
    "+62 cmd|' /C calc'!A0",
    "-1+1",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\uff1d1+1",
    "\u202eterbalik\u202c teks dengan tanda kanan-ke-kiri \u200f",
    "Emoji 👍🏽🌳🇮🇩 juga",
    "x" * 10000,
]


def test_hostile_texts_make_correct_files(app, official, resident):
    policy = make_policy(official.agency)
    for text in HOSTILE:
        make_comment(policy, resident, body=text)
    rows = csv_rows(read_text(export(official, policy, "csv")))
    assert len(rows) == len(HOSTILE)
    for row in rows:
        assert not row["text"].startswith(("=", "+", "-", "@", "\t", "\uff1d"))
    assert any("👍🏽" in row["text"] for row in rows)
    assert any(len(row["text"]) == 10000 for row in rows)
    workbook = load_workbook(export(official, policy, "xlsx").path)
    for row in workbook["Komentar"].iter_rows():
        assert all(cell.data_type != "f" for cell in row)
    assert len(json.loads(read_text(export(official, policy, "json")))["comments"]) == len(HOSTILE)
    assert export(official, policy, "pdf").path


def test_nul_bytes_never_reach_a_file(app, official, resident, no_post_rate):
    from forum.services.comments import post_comment

    policy = make_policy(official.agency)
    post_comment(resident, policy, body="Nol\x00byte =1+1", stance="support")
    text = read_text(export(official, policy, "csv"))
    assert "\x00" not in text and "Nolbyte =1+1" in text


def test_personal_data_in_text_is_masked_again(app, official, resident):
    policy = make_policy(official.agency)
    make_comment(policy, resident, body="Hubungi saya di 081234567890 atau budi@example.com")
    row = csv_rows(read_text(export(official, policy, "csv")))[0]
    assert "081234567890" not in row["text"] and "budi@example.com" not in row["text"]
    assert "0812****7890" in row["text"]


def test_empty_policy_gives_valid_empty_files(app, official):
    policy = make_policy(official.agency)
    assert csv_rows(read_text(export(official, policy, "csv"))) == []
    document = json.loads(read_text(export(official, policy, "json")))
    assert document["comments"] == [] and document["notes"]
    assert load_workbook(export(official, policy, "xlsx").path)["Komentar"].max_row == 1
    assert export(official, policy, "pdf").path


def test_unknown_format_is_refused(app, consultation):
    with pytest.raises(ValidationFailed):
        export(consultation.official, consultation.policy, "docx")


def test_personal_data_needs_permission_and_is_audited(app, consultation, make_user, admin):
    from moderation.models import AuditEntry

    policy = consultation.policy
    with pytest.raises(Forbidden):
        export(consultation.official, policy, "csv", with_personal_data=True, reason="Undangan rapat")
    with pytest.raises(ValidationFailed):
        export(admin, policy, "csv", with_personal_data=True, reason="  ")
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0
    summaries.set_personal_data_grant(admin, consultation.official, True)
    rows = csv_rows(read_text(export(consultation.official, policy, "csv", with_personal_data=True,
                                     reason="Undangan rapat dengar pendapat")))
    assert {row["author_email"] for row in rows} >= {consultation.residents[0].email}
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "export.personal_data")).one()
    assert entry.actor_id == consultation.official.id and entry.content_id == policy.id
    assert entry.reason == "Undangan rapat dengar pendapat" and entry.details["format"] == "csv"


def test_only_admins_grant_and_only_to_officials(app, consultation, admin, resident):
    with pytest.raises(Forbidden):
        summaries.set_personal_data_grant(consultation.official, consultation.official, True)
    with pytest.raises(ValidationFailed):
        summaries.set_personal_data_grant(admin, resident, True)


def test_resident_cannot_export(app, consultation, resident):
    with pytest.raises(Forbidden):
        export(resident, consultation.policy, "csv")


def test_other_agency_official_cannot_export(app, consultation, make_user):
    from forum.models import Agency

    other = make_user(Role.OFFICIAL, agency=Agency.query.filter(Agency.code != "diskominfo").first())
    with pytest.raises(Forbidden):
        export(other, consultation.policy, "csv")
