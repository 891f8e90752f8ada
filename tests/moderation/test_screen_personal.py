"""Personal data is masked in the published text; the original stays in the reason for moderators."""
import pytest

from moderation.filters import MASK, PUBLISH
from moderation.screen import screen


@pytest.mark.parametrize("written, published, code", [
    ("Hubungi saya di 081234567890 ya", "Hubungi saya di 0812****7890 ya", "personal.phone"),
    ("WA 0812-3456-7890", "WA 0812-****-7890", "personal.phone"),
    ("telp 0812 3456 789", "telp 0812 ***6 789", "personal.phone"),
    ("nomor +62 812-3456-7890", "nomor +62 81*-****-7890", "personal.phone"),
    ("nomor 6281234567890.", "nomor 6281*****7890.", "personal.phone"),
    ("NIK saya 3674012345670001", "NIK saya 3674**********01", "personal.nik"),
    ("NIK 3674 0123 4567 0001", "NIK 3674 **** **** **01", "personal.nik"),
    ("No. KK: 3674012345670002", "No. KK: 3674**********02", "personal.kk"),
    ("kartu keluarga nomor 3674012345670003", "kartu keluarga nomor 3674**********03", "personal.kk"),
    ("kirim ke budi.santoso@example.com.", "kirim ke b***@example.com.", "personal.email"),
    ("Mobil B 1234 XYZ parkir di trotoar", "Mobil B **** *** parkir di trotoar", "personal.plate"),
    ("Motor AB1234CD menghalangi", "Motor AB****** menghalangi", "personal.plate"),
])
def test_personal_data_is_masked(app, veteran, comment, written, published, code):
    verdict = screen(written, veteran, comment)
    assert verdict.action == MASK and verdict.masked
    assert verdict.text == published
    [reason] = verdict.reasons
    assert reason.code == code
    assert reason.detail in written and reason.detail not in verdict.text


@pytest.mark.parametrize("text", [
    "Rapat di RT 05 RW 03 jam 19.30, dihadiri 120 warga.",
    "Anggaran Rp 1.250.000.000 untuk tahun 2026.",
    "Tanggal 08-12-2025 pukul 08.00 di Blok B 12 A.",
    "Surat nomor 800/1234/DISKOMINFO/2026.",
    "Kantor: pengaduan@tangerangselatankota.go.id",
    "Kode pos 15417, jalan nomor 12345.",
    "Nomor 12345678901234567890 bukan NIK.",
])
def test_ordinary_numbers_and_public_addresses_stay(app, veteran, comment, text):
    verdict = screen(text, veteran, comment)
    assert verdict.action == PUBLISH and verdict.text == text


def test_several_items_are_all_masked_and_the_author_told_once_per_kind(app, veteran, comment):
    text = "NIK 3674012345670001, HP 081298765432, HP istri 085711112222, email a@b.co"
    verdict = screen(text, veteran, comment)
    assert verdict.text == "NIK 3674**********01, HP 0812****5432, HP istri 0857****2222, email a***@b.co"
    assert sorted(r.code for r in verdict.reasons) == [
        "personal.email", "personal.nik", "personal.phone", "personal.phone"]
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        messages = [str(m) for m in verdict.author_messages()]
    assert messages == [
        "We hid an identity number (NIK) in your text to protect personal data.",
        "We hid a phone number in your text to protect personal data.",
        "We hid an e-mail address in your text to protect personal data.",
    ]
