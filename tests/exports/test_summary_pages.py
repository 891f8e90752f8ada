"""The summary page, its downloads and the grants page through the client; the API and the CLI."""
import csv
import io
import json

from forum.exports.csvstream import BOM
from forum.extensions import db
from forum.models import PolicyPhase
from forum.reports.scope import pseudonym
from forum.services import tokens
from tests.factories import make_policy


def test_official_reads_the_summary_with_charts_and_tables(client, login, consultation):
    login(consultation.official)
    response = client.get(f"/konsultasi/{consultation.policy.id}/ringkasan")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.count('<svg class="chart"') == 5 and page.count('role="img"') >= 5  # 2 of them per channel
    assert "Sikap per pasal" in page and "Pondok Aren" in page
    assert pseudonym(consultation.policy.id, consultation.residents[0].id) in page
    assert consultation.residents[0].display_name not in page
    assert "style=" not in page
    for secret in consultation.hidden_texts:
        assert secret not in page


def test_summary_page_in_english(client, login, consultation):
    login(consultation.official)
    client.set_cookie("lang", "en")
    page = client.get(f"/konsultasi/{consultation.policy.id}/ringkasan").get_data(as_text=True)
    assert "Feedback summary" in page and "Stance per clause" in page


def test_filters_narrow_the_page_and_bad_filters_are_named(client, login, consultation):
    login(consultation.official)
    url = f"/konsultasi/{consultation.policy.id}/ringkasan"
    narrowed = client.get(url, query_string={"kecamatan": "serpong"})
    assert narrowed.status_code == 200
    assert 'href="/konsultasi/%d/ringkasan/unduh?format=csv&amp;kecamatan=serpong"' % consultation.policy.id \
        in narrowed.get_data(as_text=True)
    bad = client.get(url, query_string={"since": "kemarin", "kecamatan": "atlantis", "version": "99"})
    assert bad.status_code == 422
    page = bad.get_data(as_text=True)
    assert "Kecamatan tidak dikenal." in page and "2026-12-31" in page and 'value="kemarin"' in page


def test_residents_cannot_read_an_open_consultations_summary(client, login, consultation, resident):
    url = f"/konsultasi/{consultation.policy.id}/ringkasan"
    assert client.get(url).status_code == 302            # a visitor is asked to log in
    login(resident)
    assert client.get(url).status_code == 403
    assert client.get(url + "/unduh?format=csv").status_code == 403


def test_public_summary_of_a_final_consultation(client, login, consultation, resident):
    policy = consultation.policy
    policy.phase = PolicyPhase.FINAL
    db.session.commit()
    login(resident)
    response = client.get(f"/konsultasi/{policy.id}/ringkasan", query_string={"kecamatan": "serpong"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "ringkasan publik" in page
    assert pseudonym(policy.id, consultation.residents[0].id) not in page
    assert "format=csv" not in page and "format=zip" in page
    assert "spam" not in page                            # moderators' reasons stay internal
    assert client.get(f"/konsultasi/{policy.id}/ringkasan/unduh?format=zip").status_code == 200
    assert client.get(f"/konsultasi/{policy.id}/ringkasan/unduh?format=csv").status_code == 403


def test_csv_download_headers(client, login, consultation):
    login(consultation.official)
    response = client.get(f"/konsultasi/{consultation.policy.id}/ringkasan/unduh?format=csv")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    text = response.get_data().decode("utf-8")
    assert text.startswith(BOM)
    assert len(list(csv.DictReader(io.StringIO(text[1:])))) == 7


def test_download_bad_input(client, login, consultation, official):
    login(consultation.official)
    base = f"/konsultasi/{consultation.policy.id}/ringkasan/unduh"
    assert client.get(base + "?format=docx").status_code == 422
    assert client.get(base).status_code == 422
    assert client.get(base + "?format=csv&since=2026-13-45").status_code == 422
    assert client.get("/konsultasi/999999/ringkasan/unduh?format=csv").status_code == 404
    draft = make_policy(official.agency, phase=PolicyPhase.DRAFT)
    assert client.get(f"/konsultasi/{draft.id}/ringkasan/unduh?format=csv").status_code == 409
    assert client.get(f"/konsultasi/{draft.id}/ringkasan").status_code == 409


def test_personal_export_form(client, login, consultation, admin):
    url = f"/konsultasi/{consultation.policy.id}/ringkasan/data-pribadi"
    login(consultation.official)
    assert client.get(url).status_code == 403                     # not allowed yet: refused and logged
    login(admin)
    refused = client.post(url, data={"format": "csv", "reason": ""})
    assert refused.status_code == 422
    kept = client.post(url, data={"format": "csv", "reason": "x" * 600})
    assert kept.status_code == 422 and "x" * 600 in kept.get_data(as_text=True)
    response = client.post(url, data={"format": "csv", "reason": "Undangan rapat dengar pendapat"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert consultation.residents[0].email in response.get_data().decode("utf-8")


def test_admin_grants_personal_data_exports(client, login, consultation, admin):
    login(admin)
    page = client.get("/admin/izin-ekspor").get_data(as_text=True)
    assert consultation.official.display_name in page
    response = client.post("/admin/izin-ekspor", data={"user_id": consultation.official.id, "allowed": "1"})
    assert response.status_code == 302
    db.session.refresh(consultation.official)
    assert consultation.official.may_export_personal_data
    assert client.post("/admin/izin-ekspor", data={"user_id": "abc", "allowed": "1"}).status_code == 302


# -- API ------------------------------------------------------------------------------
def token_for(user):
    _row, raw = tokens.create_token(user, user, "test")
    return {"Authorization": f"Bearer {raw}"}


def test_api_summary_and_export(client, consultation):
    headers = token_for(consultation.official)
    policy_id = consultation.policy.id
    summary = client.get(f"/api/v1/policies/{policy_id}/summary", headers=headers)
    assert summary.status_code == 200
    data = summary.get_json()
    assert data["participation"]["comments"] == 6 and data["audience"] == "staff"
    exported = client.get(f"/api/v1/policies/{policy_id}/export?format=json", headers=headers)
    assert exported.status_code == 200 and exported.headers["Cache-Control"] == "no-store"
    assert len(json.loads(exported.get_data())["comments"]) == 7
    xlsx = client.get(f"/api/v1/policies/{policy_id}/export?format=xlsx", headers=headers)
    assert xlsx.status_code == 200 and xlsx.get_data()[:2] == b"PK"
    pdf = client.get(f"/api/v1/policies/{policy_id}/export?format=pdf", headers=headers)
    assert pdf.status_code == 200 and pdf.get_data()[:4] == b"%PDF"


def test_api_errors(client, consultation, resident, official, admin):
    policy_id = consultation.policy.id
    assert client.get(f"/api/v1/policies/{policy_id}/summary").status_code == 401
    answer = client.get(f"/api/v1/policies/{policy_id}/export?format=csv", headers=token_for(resident))
    assert answer.status_code == 403 and answer.get_json()["error"]["code"] == "forbidden"
    staff = token_for(official)
    unknown = client.get(f"/api/v1/policies/{policy_id}/export?format=docx", headers=staff)
    assert unknown.status_code == 422 and "format" in unknown.get_json()["error"]["fields"]
    assert client.get("/api/v1/policies/999999/summary", headers=staff).status_code == 404
    draft = make_policy(official.agency, phase=PolicyPhase.DRAFT)
    assert client.get(f"/api/v1/policies/{draft.id}/export?format=csv", headers=staff).status_code == 409
    personal = client.get(f"/api/v1/policies/{policy_id}/export?format=csv&with_personal_data=true&reason=x",
                          headers=staff)
    assert personal.status_code == 403
    allowed = client.get(f"/api/v1/policies/{policy_id}/export?format=csv&with_personal_data=true",
                         headers=token_for(admin))
    assert allowed.status_code == 422 and "reason" in allowed.get_json()["error"]["fields"]
    bad = client.get(f"/api/v1/policies/{policy_id}/summary?until=2026-01-01&since=2026-02-01", headers=staff)
    assert bad.status_code == 422


def test_api_public_summary_once_final(client, consultation):
    consultation.policy.phase = PolicyPhase.FINAL
    db.session.commit()
    data = client.get(f"/api/v1/policies/{consultation.policy.id}/summary").get_json()
    assert data["audience"] == "public"
    assert all(quote["author"] is None for clause in data["clauses"] for quote in clause["top_oppose"])


def test_api_empty_policy_export(client, official):
    policy = make_policy(official.agency)
    exported = client.get(f"/api/v1/policies/{policy.id}/export?format=csv", headers=token_for(official))
    assert exported.status_code == 200 and exported.get_data().decode("utf-8").startswith(BOM + "policy_id,")


# -- CLI ------------------------------------------------------------------------------
def test_cli_export(runner, consultation, tmp_path):
    out = tmp_path / "ringkasan.csv"
    result = runner.invoke(args=["export", "policy", str(consultation.policy.id), "--format", "csv",
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")[1:])))
    assert len(rows) == 7 and "author_email" not in rows[0]
    xlsx = tmp_path / "ringkasan.xlsx"
    assert runner.invoke(args=["export", "policy", str(consultation.policy.id), "--format", "xlsx",
                               "--out", str(xlsx)]).exit_code == 0
    assert xlsx.read_bytes()[:2] == b"PK"


def test_cli_personal_export_is_audited(runner, consultation, tmp_path):
    from moderation.models import AuditEntry

    out = tmp_path / "pribadi.json"
    result = runner.invoke(args=["export", "policy", str(consultation.policy.id), "--format", "json",
                                 "--out", str(out), "--with-personal-data", "--reason", "Rapat"])
    assert result.exit_code == 0, result.output
    assert consultation.residents[0].email in out.read_text(encoding="utf-8")
    entry = db.session.scalars(db.select(AuditEntry)).one()
    assert entry.details["via"] == "command line" and entry.reason == "Rapat"


def test_cli_export_errors(runner, official, tmp_path):
    draft = make_policy(official.agency, phase=PolicyPhase.DRAFT)
    out = str(tmp_path / "x.csv")
    assert runner.invoke(args=["export", "policy", "999999", "--format", "csv", "--out", out]).exit_code == 1
    assert runner.invoke(args=["export", "policy", str(draft.id), "--format", "csv", "--out", out]).exit_code == 1
    assert runner.invoke(args=["export", "policy", "1", "--format", "docx", "--out", out]).exit_code == 2


def test_a_final_consultation_links_to_its_public_summary(client, consultation):
    policy = consultation.policy
    policy.phase, policy.outcome_html = PolicyPhase.FINAL, "<p>Hasil konsultasi.</p>"
    db.session.commit()
    page = client.get(f"/konsultasi/{policy.id}").get_data(as_text=True)
    assert f'href="/konsultasi/{policy.id}/ringkasan"' in page
    assert client.get(f"/konsultasi/{policy.id}/ringkasan").status_code == 200
