"""Statistics, the statistics page and exports count desk input per channel, per kecamatan and kelurahan."""
import csv
import io
import json

from forum.models import Channel
from forum.services import aspiration_stats, summaries
from forum.services import aspirations as aspiration_service
from forum.timeutil import utcnow


def _forward(aspiration, staff):
    aspiration_service.transition(staff["moderator"], aspiration, "verified")
    aspiration_service.transition(staff["moderator"], aspiration, "forwarded", agency="diskominfo")


def test_statistics_count_each_channel_per_kecamatan_and_kelurahan(aspiration_in, desk_aspiration, staff):
    aspiration_in("verified")
    _forward(desk_aspiration().content, staff)
    _forward(desk_aspiration(district="serpong.cilenggang").content, staff)
    desk_aspiration(title="Belum diverifikasi")  # not public: not counted
    figures = aspiration_stats.compute(utcnow())
    assert dict(figures.by_channel) == {Channel.ONLINE: 1, Channel.FACE_TO_FACE: 0, Channel.DESK: 2}
    kecamatan = {district.code: counts for district, counts in figures.kecamatan_channels}
    assert kecamatan == {"pondok-aren": [1, 0, 1], "serpong": [0, 0, 1]}
    kelurahan = {district.code: counts for district, counts in figures.kelurahan_channels}
    assert kelurahan["pondok-aren.pondok-betung"] == [1, 0, 1]
    assert kelurahan["serpong.cilenggang"] == [0, 0, 1]


def test_statistics_page_shows_the_channels_side_by_side(client, aspiration_in, desk_aspiration, staff):
    aspiration_in("verified")
    _forward(desk_aspiration().content, staff)
    page = client.get("/aspirasi/statistik").get_data(as_text=True)
    assert 'id="by-channel"' in page and "chart-desk" in page and "Cilenggang" not in page
    assert "Pondok Betung" in page


def test_export_rows_and_totals_carry_the_channel(aspiration_in, desk_aspiration, staff, official):
    online = aspiration_in("forwarded")
    desk_input = desk_aspiration().content
    _forward(desk_input, staff)
    text = "".join(summaries.export_aspirations(official, "csv").chunks)[1:]
    rows = {int(row["aspiration_id"]): row for row in csv.DictReader(io.StringIO(text))}
    assert rows[online.id]["channel"] == "online" and rows[desk_input.id]["channel"] == "desk"
    assert list(rows[online.id]).index("channel") > list(rows[online.id]).index("text")  # added after the old ones
    assert rows[desk_input.id]["author"] == ""  # no account behind desk input
    document = json.loads("".join(summaries.export_aspirations(official, "json").chunks))
    assert document["totals"]["by_channel"] == {"online": 1, "face_to_face": 0, "desk": 1}
