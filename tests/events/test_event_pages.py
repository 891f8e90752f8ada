"""The event pages with JavaScript off: the list and its filters, registering, the officials' forms."""
from datetime import timedelta

from forum.extensions import db
from forum.models import Comment, Event, EventRegistration, Role
from forum.services import event_registrations
from tests.factories import make_policy


def csrf(page):
    return page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def test_list_filters_by_kecamatan_kind_and_time(client, make_event):
    make_event(title="Sosialisasi Pondok Aren")
    make_event(title="Musrenbang Serpong", kind="musrenbang", kelurahan="serpong.cilenggang")
    make_event(title="Pertemuan lalu", starts_in=-timedelta(days=3))
    page = client.get("/kegiatan/").get_data(as_text=True)
    assert "Sosialisasi Pondok Aren" in page and "Musrenbang Serpong" in page and "Pertemuan lalu" not in page
    page = client.get("/kegiatan/?kecamatan=serpong").get_data(as_text=True)
    assert "Musrenbang Serpong" in page and "Sosialisasi Pondok Aren" not in page
    page = client.get("/kegiatan/?jenis=sosialisasi").get_data(as_text=True)
    assert "Sosialisasi Pondok Aren" in page and "Musrenbang Serpong" not in page
    page = client.get("/kegiatan/?waktu=past").get_data(as_text=True)
    assert "Pertemuan lalu" in page and "Sosialisasi Pondok Aren" not in page
    assert client.get("/kegiatan/?kecamatan=<script>&jenis=x&halaman=" + "9" * 5000).status_code == 200


def test_resident_registers_and_cancels(client, login, make_event, resident):
    event = make_event(capacity=5, latitude="-6.2886", longitude="106.7178")
    login(resident)
    page = client.get(f"/kegiatan/{event.id}").get_data(as_text=True)
    assert "Sisa 5 dari 5 kursi" in page and "-6.288600, 106.717800" in page and f"/kegiatan/{event.id}.ics" in page
    response = client.post(f"/kegiatan/{event.id}/daftar", data={"csrf_token": csrf(page)}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "kursi Anda terkonfirmasi" in page and "Sisa 4 dari 5 kursi" in page
    response = client.post(f"/kegiatan/{event.id}/daftar", data={"csrf_token": csrf(page)}, follow_redirects=True)
    assert "sudah terdaftar" in response.get_data(as_text=True)
    response = client.post(f"/kegiatan/{event.id}/batal-daftar", data={"csrf_token": csrf(page)},
                           follow_redirects=True)
    assert "Pendaftaran Anda dibatalkan" in response.get_data(as_text=True)
    assert event_registrations.own_registration(resident, event) is None


def test_full_event_says_waiting_list_plainly(client, login, make_event, make_user):
    event = make_event(capacity=1)
    event_registrations.register(event, make_user(Role.RESIDENT))
    resident = make_user(Role.RESIDENT)
    login(resident)
    page = client.get(f"/kegiatan/{event.id}").get_data(as_text=True)
    assert "Masuk daftar tunggu" in page
    page = client.post(f"/kegiatan/{event.id}/daftar", data={"csrf_token": csrf(page)},
                       follow_redirects=True).get_data(as_text=True)
    assert "daftar tunggu (nomor 1)" in page and "Anda dalam daftar tunggu, nomor 1" in page


def test_register_needs_an_account(client, make_event):
    event = make_event()
    response = client.post(f"/kegiatan/{event.id}/daftar")
    assert response.status_code == 302 and "/akun/masuk" in response.headers["Location"]
    assert EventRegistration.query.count() == 0


def test_official_schedules_with_errors_kept(client, login, official):
    login(official)
    page = client.get("/kegiatan/baru").get_data(as_text=True)
    form = {"csrf_token": csrf(page), "title": "Sosialisasi aplikasi", "kind": "sosialisasi",
            "kelurahan": "pondok-aren.pondok-betung", "address": "Aula", "starts_at": "2031-05-02T10:00",
            "ends_at": "2031-05-02T09:00", "capacity": "40"}
    response = client.post("/kegiatan/baru", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "harus selesai sesudah dimulai" in page
    assert 'value="Sosialisasi aplikasi"' in page and Event.query.count() == 0
    form["ends_at"] = "2031-05-02T12:00"
    response = client.post("/kegiatan/baru", data=form)
    assert response.status_code == 302
    event = Event.query.one()
    assert event.starts_at.hour == 3  # 10:00 in Jakarta is 03:00 UTC


def test_official_cancels_edits_and_lists_registrations(client, login, official, make_event, resident):
    event = make_event()
    event_registrations.register(event, resident)
    login(official)
    page = client.get(f"/kegiatan/{event.id}/pendaftar").get_data(as_text=True)
    assert resident.display_name in page and "Kursi terkonfirmasi" in page
    page = client.get(f"/kegiatan/{event.id}/ubah").get_data(as_text=True)
    assert 'value="Sosialisasi layanan digital"' in page
    response = client.post(f"/kegiatan/{event.id}/batalkan", data={"csrf_token": csrf(page), "reason": "Banjir"})
    assert response.status_code == 302
    assert db.session.get(Event, event.id).status == "cancelled"
    assert "Alasan: Banjir" in client.get(f"/kegiatan/{event.id}").get_data(as_text=True)


def test_minutes_and_a_meeting_point_shown_as_from_the_meeting(client, login, official, agency, make_event):
    policy = make_policy(agency)
    event = make_event(starts_in=-timedelta(days=1), kind="consultation", policy_id=policy.id,
                       address="Aula Pondok Betung")
    login(official)
    page = client.get(f"/kegiatan/{event.id}/hasil").get_data(as_text=True)
    response = client.post(f"/kegiatan/{event.id}/hasil", data={
        "csrf_token": csrf(page), "minutes": "Notulen rapat.", "attendance_total": "20", "gender_female": "30"})
    assert response.status_code == 422 and "melebihi" in response.get_data(as_text=True)
    response = client.post(f"/kegiatan/{event.id}/hasil", data={
        "csrf_token": csrf(page), "minutes": "Notulen rapat.", "attendance_total": "20", "gender_female": "12"})
    assert response.status_code == 302
    section = policy.current_version.sections[0]
    response = client.post(f"/kegiatan/{event.id}/poin", data={
        "csrf_token": csrf(page), "body": "", "stance": "support", "section_id": str(section.id),
        "agreed_count": "7"})
    assert response.status_code == 422
    response = client.post(f"/kegiatan/{event.id}/poin", data={
        "csrf_token": csrf(page), "body": "Perlu loket bantuan.", "stance": "support",
        "section_id": str(section.id), "agreed_count": "7"})
    assert response.status_code == 302 and Comment.query.filter_by(event_id=event.id).count() == 1
    client.post("/akun/keluar", data={"csrf_token": csrf(page)})
    page = client.get(f"/konsultasi/{policy.id}").get_data(as_text=True)
    assert "Dari pertemuan di Aula Pondok Betung, Pondok Betung" in page and "7 peserta setuju" in page
    assert official.display_name not in page
    assert "Pertemuan tatap muka tentang rancangan ini" in page
    event_page = client.get(f"/kegiatan/{event.id}").get_data(as_text=True)
    assert "Notulen rapat." in event_page and "20 orang hadir." in event_page and "Perlu loket bantuan." in event_page


def test_minutes_page_before_the_end_says_409_reason(client, login, official, make_event):
    event = make_event()
    login(official)
    page = client.get(f"/kegiatan/{event.id}/hasil").get_data(as_text=True)
    response = client.post(f"/kegiatan/{event.id}/hasil", data={"csrf_token": csrf(page), "minutes": "Notulen"})
    assert response.status_code == 422 and "belum selesai" in response.get_data(as_text=True)


def test_residents_and_other_agencies_cannot_manage(client, login, make_event, make_user):
    from forum.models import Agency

    event = make_event()
    login(make_user(Role.RESIDENT))
    assert client.get(f"/kegiatan/{event.id}/pendaftar").status_code == 403
    assert client.get("/kegiatan/baru").status_code == 403
    login(make_user(Role.OFFICIAL, agency=Agency.query.filter(Agency.code != "diskominfo").first()))
    assert client.get(f"/kegiatan/{event.id}/ubah").status_code == 403
    assert client.get("/kegiatan/999999").status_code == 404


def test_seat_notification_links_to_the_event(client, login, make_event, make_user):
    event = make_event(capacity=1, title="Pelatihan ponsel")
    first, second = make_user(Role.RESIDENT), make_user(Role.RESIDENT)
    seat = event_registrations.register(event, first)
    event_registrations.register(event, second)
    event_registrations.cancel_registration(first, seat)
    login(second)
    page = client.get("/notifikasi/").get_data(as_text=True)
    assert 'kursi Anda di "Pelatihan ponsel" kini terkonfirmasi' in page.replace("&#34;", '"')
    assert f'href="/kegiatan/{event.id}"' in page
