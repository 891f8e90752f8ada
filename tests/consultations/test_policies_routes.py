"""The officials' consultation pages under /dinas and attachment downloads under /lampiran."""
from datetime import timedelta
from io import BytesIO

import pytest
from tests.consultations.test_policies_services import (
    PDF,
    force_closes_at,
    make_draft,
    make_open,
    pdf_upload,
)

from forum.extensions import db
from forum.models import Agency, Attachment, Policy, PolicyPhase, Role
from forum.services import attachments as attachment_service
from forum.services import policies
from forum.timeutil import CITY_ZONE, utcnow


def city(moment):
    return moment.astimezone(CITY_ZONE).strftime("%Y-%m-%dT%H:%M")


def form_data(sections=(("Pasal 1", "Isi pertama."), ("Pasal 2", "Isi kedua.")), **overrides):
    now = utcnow()
    data = {
        "title": "Rancangan Perwali Parkir",
        "summary": "Ringkasan.",
        "category": "infrastruktur",
        "opens_at": city(now + timedelta(hours=1)),
        "closes_at": city(now + timedelta(days=14)),
    }
    for index, (heading, body) in enumerate(sections):
        data[f"sections-{index}-heading"] = heading
        data[f"sections-{index}-body"] = body
        data[f"sections-{index}-clause_key"] = ""
    data.update(overrides)
    return data


@pytest.fixture
def other_official(make_user):
    return make_user(Role.OFFICIAL, agency=Agency.query.filter_by(code="dlh").one())


def test_create_draft_through_the_form(client, login, official):
    login(official)
    response = client.post("/dinas/konsultasi/baru", data=form_data())
    assert response.status_code == 302
    policy = Policy.query.one()
    assert response.headers["Location"].endswith(f"/dinas/konsultasi/{policy.id}/pratinjau")
    assert policy.phase == PolicyPhase.DRAFT
    assert [s.heading for s in policy.current_version.sections] == ["Pasal 1", "Pasal 2"]
    # The form's Jakarta time is stored as UTC.
    assert city(policy.closes_at) == form_data()["closes_at"]


@pytest.mark.parametrize("overrides, expected_in_page", [
    ({"sections-0-heading": "x" * 201}, "sections-0-heading-error"),
    ({"category": "no-such-category"}, "category-error"),
    ({"closes_at": city(utcnow() - timedelta(days=1)), "opens_at": city(utcnow() - timedelta(days=3))},
     "closes_at-error"),
    ({"closes_at": city(utcnow() + timedelta(hours=2)), "opens_at": city(utcnow() + timedelta(days=3))},
     "closes_at-error"),
    ({"title": "\x00" * 3}, "title-error"),
])
def test_bad_drafts_re_render_with_the_text_kept(client, login, official, overrides, expected_in_page):
    login(official)
    response = client.post("/dinas/konsultasi/baru", data=form_data(**overrides))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert expected_in_page in page
    assert "Isi kedua." in page
    assert Policy.query.count() == 0


def test_fifty_one_sections_are_refused(client, login, official):
    login(official)
    sections = [(f"Pasal {n}", "Isi.") for n in range(51)]
    client.set_cookie("lang", "en")
    response = client.post("/dinas/konsultasi/baru", data=form_data(sections=sections))
    assert response.status_code == 422
    assert "at most 50 sections" in response.get_data(as_text=True)
    assert Policy.query.count() == 0


@pytest.mark.parametrize("action, expected", [
    ("add_section", ["A", "B", "C", ""]),
    ("remove_section-1", ["A", "C"]),
    ("move_up-2", ["A", "C", "B"]),
    ("move_down-0", ["B", "A", "C"]),
    ("move_up-0", ["A", "B", "C"]),
    ("remove_section-99", ["A", "B", "C"]),
])
def test_section_editor_works_without_javascript(client, login, official, action, expected):
    login(official)
    data = form_data(sections=[("A", "a text"), ("B", "b text"), ("C", "c text")], title="Judul yang diketik")
    data["action"] = action
    response = client.post("/dinas/konsultasi/baru", data=data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Judul yang diketik" in page
    for index, heading in enumerate(expected):
        assert f'name="sections-{index}-heading" required type="text" value="{heading}"' in page
    assert f'name="sections-{len(expected)}-heading"' not in page
    assert Policy.query.count() == 0  # editing the list saves nothing


def test_edit_draft_and_preview(client, login, official):
    policy = make_draft(official)
    login(official)
    page = client.get(f"/dinas/konsultasi/{policy.id}/ubah").get_data(as_text=True)
    assert policy.title in page and "Pasal 2" in page
    response = client.post(f"/dinas/konsultasi/{policy.id}/ubah", data=form_data(title="Judul diubah"))
    assert response.status_code == 302
    preview = client.get(f"/dinas/konsultasi/{policy.id}/pratinjau")
    assert preview.status_code == 200
    assert "Judul diubah" in preview.get_data(as_text=True)
    assert "<p>Isi pertama.</p>" in preview.get_data(as_text=True)


def test_other_agencies_and_residents_are_kept_out(client, login, official, other_official, resident):
    draft = make_draft(official)
    published = make_open(official)
    login(other_official)
    assert client.get(f"/dinas/konsultasi/{draft.id}/ubah").status_code == 404
    assert client.get(f"/dinas/konsultasi/{draft.id}/pratinjau").status_code == 404
    assert client.post(f"/dinas/konsultasi/{draft.id}/terbitkan").status_code == 404
    assert client.post(f"/dinas/konsultasi/{published.id}/tutup").status_code == 403
    assert client.get(f"/dinas/konsultasi/{published.id}/versi-baru").status_code == 403
    login(resident)
    assert client.get("/dinas/konsultasi").status_code == 403
    assert client.get("/dinas/konsultasi/baru").status_code == 403
    assert client.post("/dinas/konsultasi/baru", data=form_data()).status_code == 403
    assert client.post(f"/dinas/konsultasi/{published.id}/tutup").status_code == 403
    assert db.session.get(Policy, draft.id).phase == PolicyPhase.DRAFT
    assert db.session.get(Policy, published.id).phase == PolicyPhase.OPEN


def test_publish_and_close_buttons(client, login, official):
    policy = make_draft(official, opens_at=utcnow() + timedelta(days=1), closes_at=utcnow() + timedelta(days=3))
    login(official)
    assert client.post(f"/dinas/konsultasi/{policy.id}/terbitkan").status_code == 302
    policy = db.session.get(Policy, policy.id)
    assert policy.phase == PolicyPhase.OPEN and policy.is_upcoming()
    assert client.post(f"/dinas/konsultasi/{policy.id}/terbitkan").status_code == 409
    assert client.post(f"/dinas/konsultasi/{policy.id}/tutup").status_code == 302
    assert db.session.get(Policy, policy.id).phase == PolicyPhase.CLOSED


def test_agency_list_closes_overdue_and_shows_counts(client, login, official, other_official):
    overdue = make_open(official, title="Konsultasi lewat waktu")
    force_closes_at(overdue, utcnow() - timedelta(minutes=5))
    overdue.comment_count, overdue.up_count, overdue.down_count = 12, 7, 3
    db.session.commit()
    make_draft(other_official, title="Milik dinas lain")
    login(official)
    response = client.get("/dinas/konsultasi")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Konsultasi lewat waktu" in page and "Milik dinas lain" not in page
    assert "<td>12</td>" in page and "<td>7</td>" in page and "<td>3</td>" in page
    assert db.session.get(Policy, overdue.id).phase == PolicyPhase.CLOSED


def test_new_version_page_and_diff_in_preview(client, login, official):
    policy = make_open(official)
    keys = [s.clause_key for s in policy.current_version.sections]
    login(official)
    data = {
        "change_note": "Pasal 2 diperjelas.",
        "sections-0-heading": "Pasal 1", "sections-0-body": "Isi pasal 1 tentang layanan.",
        "sections-0-clause_key": keys[0],
        "sections-1-heading": "Pasal 2", "sections-1-body": "Isi pasal 2 tentang layanan daring.",
        "sections-1-clause_key": keys[1],
    }
    missing_note = client.post(f"/dinas/konsultasi/{policy.id}/versi-baru", data={**data, "change_note": ""})
    assert missing_note.status_code == 422
    assert client.post(f"/dinas/konsultasi/{policy.id}/versi-baru", data=data).status_code == 302
    policy = db.session.get(Policy, policy.id)
    assert [v.number for v in policy.versions] == [1, 2]
    page = client.get(f"/dinas/konsultasi/{policy.id}/pratinjau").get_data(as_text=True)
    assert "<ins> daring</ins>" in page


def test_outcome_page_only_when_closed(client, login, official):
    policy = make_open(official)
    section_id = policy.current_version.sections[0].id
    login(official)
    data = {"outcome": "Kami mendengar Anda.", f"clause_note-{section_id}": "Biaya dihapus."}
    assert client.post(f"/dinas/konsultasi/{policy.id}/hasil", data=data).status_code == 409
    policies.close_policy(official, db.session.get(Policy, policy.id))
    too_long = client.post(f"/dinas/konsultasi/{policy.id}/hasil",
                           data={**data, f"clause_note-{section_id}": "x" * 5001})
    assert too_long.status_code == 422 and f"clause_note-{section_id}-error" in too_long.get_data(as_text=True)
    assert client.post(f"/dinas/konsultasi/{policy.id}/hasil", data=data).status_code == 302
    policy = db.session.get(Policy, policy.id)
    assert policy.phase == PolicyPhase.FINAL
    assert policy.current_version.sections[0].outcome_note == "Biaya dihapus."


# -- attachments -----------------------------------------------------------------
def upload(client, policy, data, name="dokumen.pdf"):
    return client.post(
        f"/dinas/konsultasi/{policy.id}/lampiran",
        data={"file": (BytesIO(data), name, "application/pdf")},
        content_type="multipart/form-data",
    )


def test_upload_and_download_a_pdf(client, login, official, resident):
    policy = make_open(official)
    login(official)
    assert upload(client, policy, PDF, "Naskah Akademik.pdf").status_code == 302
    attachment = Attachment.query.one()
    login(resident)
    response = client.get(f"/lampiran/{attachment.id}")
    assert response.status_code == 200
    assert response.data == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "Naskah" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("data", [b"GIF89a not a pdf" * 100, PDF + b"\0" * (11 * 1024 * 1024)])
def test_renamed_or_too_large_files_get_a_field_error(client, login, official, data):
    policy = make_draft(official)
    login(official)
    response = upload(client, policy, data)
    assert response.status_code == 422
    assert "file-error" in response.get_data(as_text=True)
    assert Attachment.query.count() == 0


def test_draft_attachments_are_404_for_outsiders(client, login, official, other_official, resident):
    policy = make_draft(official)
    attachment = attachment_service.add_attachment(official, policy, pdf_upload())
    assert client.get(f"/lampiran/{attachment.id}").status_code == 404
    for outsider in (resident, other_official):
        login(outsider)
        assert client.get(f"/lampiran/{attachment.id}").status_code == 404
    login(official)
    assert client.get(f"/lampiran/{attachment.id}").status_code == 200
    assert client.post(f"/dinas/lampiran/{attachment.id}/hapus").status_code == 302
    assert client.get(f"/lampiran/{attachment.id}").status_code == 404
    assert client.get("/lampiran/99999999999").status_code == 404


def test_unknown_and_huge_ids_are_404(client, login, official):
    login(official)
    for url in ("/dinas/konsultasi/424242/ubah", "/dinas/konsultasi/99999999999/pratinjau"):
        assert client.get(url).status_code == 404

