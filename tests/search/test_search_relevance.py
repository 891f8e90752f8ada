"""A relevance set: Indonesian queries and the documents each must (and must not) find.

Covers morphology (affixed forms meet their root), compounds, phrases, prefixes,
OR and exclusion, English passages, accents, and filters. Every query is
checked and every miss reported at once.
"""
from forum import search

DOCUMENTS = {
    "jalan": ("Jalan rusak parah di Raya Ciputat, banyak lubang besar yang membahayakan pengendara motor.",
              {"title": "Perbaikan jalan Raya Ciputat", "category": "infrastruktur",
               "districts": ["ciputat.ciputat"], "agency": "dbmsda"}),
    "drainase": ("Pembangunan drainase di Pamulang belum selesai sejak tahun lalu.",
                 {"category": "infrastruktur", "districts": ["pamulang.pamulang-barat"]}),
    "bangunan": ("Bangunan liar berdiri di atas saluran air di Serpong.",
                 {"category": "tata-ruang", "districts": ["serpong.serpong"]}),
    "izin_usaha": ("Perizinan usaha warung kecil terlalu rumit, mohon dipermudah.", {"category": "perizinan"}),
    "izin_pbg": ("Izin mendirikan bangunan (PBG) butuh waktu tiga bulan.", {"category": "perizinan"}),
    "banjir": ("Banjir setinggi lutut merendam rumah warga RT/RW 03/05 setiap hujan deras.",
               {"category": "kebencanaan", "districts": ["pondok-aren.pondok-betung"]}),
    "sampah": ("Sampah menumpuk dan berbau busuk, petugas kebersihan jarang datang.", {"category": "lingkungan"}),
    "covid": ("Jadwal vaksinasi Covid-19 di puskesmas Setu dan Dinas Kesehatan perlu diumumkan lebih awal.",
              {"category": "kesehatan", "districts": ["setu.setu"], "agency": "dinkes"}),
    "ektp": ("Blanko e-KTP habis, warga hanya mendapat surat keterangan.", {"category": "kependudukan"}),
    "lampu": ("Lampu penerangan jalan umum mati sejak dua minggu, jalan gelap dan rawan.",
              {"category": "infrastruktur"}),
    "sekolah": ("Anak-anak sekolah menyeberang jalan tanpa zebra cross di depan SD.", {"category": "pendidikan"}),
    "english": ("Please build pedestrian bridges: crossing the road near the market is dangerous.",
                {"category": "transportasi"}),
    "taman": ("Taman kota butuh lebih banyak pohon peneduh dan bangku.", {"category": "lingkungan"}),
    "air": ("Air PDAM keruh dan sering mati di perumahan.", {"category": "infrastruktur"}),
    "kafe": ("Café di Jalan Merdeka memutar musik keras sampai larut malam.", {"category": "keamanan"}),
    "bansos": ("Penyaluran bantuan sosial tidak tepat sasaran di Kelurahan Jombang.",
               {"category": "sosial", "districts": ["ciputat.jombang"]}),
    "parkir": ("Parkir liar di bahu jalan dekat pasar menyebabkan kemacetan panjang setiap sore.",
               {"category": "transportasi"}),
    "pasar": ("Sampah pasar tradisional belum diangkut, retribusi kebersihan tetap ditarik.",
              {"category": "lingkungan"}),
}

# (query, search options, must find, must not find)
QUERIES = [
    ("pembangunan", {}, {"drainase", "bangunan", "izin_pbg"}, {"jalan"}),
    ("membangun", {}, {"drainase", "bangunan", "izin_pbg"}, set()),
    ("dibangun", {}, {"drainase", "bangunan"}, set()),
    ("bangunan", {}, {"drainase", "bangunan", "izin_pbg"}, set()),
    ("izin", {}, {"izin_usaha", "izin_pbg"}, set()),
    ("perizinan", {}, {"izin_usaha", "izin_pbg"}, set()),
    ("diizinkan", {}, {"izin_usaha", "izin_pbg"}, set()),
    ("kebersihan", {}, {"sampah", "pasar"}, set()),
    ("dibersihkan", {}, {"sampah", "pasar"}, set()),
    ("Covid-19", {}, {"covid"}, set()),
    ("covid 19", {}, {"covid"}, set()),
    ("COVID19", {}, {"covid"}, set()),
    ("e-KTP", {}, {"ektp"}, set()),
    ("eKTP", {}, {"ektp"}, set()),
    ("KTP", {}, {"ektp"}, set()),
    ("RT/RW", {}, {"banjir"}, set()),
    ('"jalan rusak"', {}, {"jalan"}, {"lampu", "sekolah"}),
    ('"bantuan sosial"', {}, {"bansos"}, set()),
    ("berlubang", {}, {"jalan"}, set()),
    ("kesehat*", {}, {"covid"}, set()),
    ("penyeberangan", {}, {"sekolah"}, set()),
    ("banjir hujan", {}, {"banjir"}, {"sampah"}),
    ("banjir OR sampah", {}, {"banjir", "sampah", "pasar"}, {"jalan"}),
    ("sampah -pasar", {}, {"sampah"}, {"pasar"}),
    ("pasar -sampah", {}, {"parkir"}, {"pasar", "sampah"}),
    ("macet", {}, {"parkir"}, set()),
    ("anak", {}, {"sekolah"}, set()),
    ("mati", {}, {"lampu", "air"}, set()),
    ("pohon peneduh", {}, {"taman"}, set()),
    ("PDAM keruh", {}, {"air"}, set()),
    ("cafe", {}, {"kafe"}, set()),
    ("CAFÉ", {}, {"kafe"}, set()),
    ("bridge", {}, {"english"}, set()),
    ("pedestrians crossing", {}, {"english"}, set()),
    ("Jombang", {}, {"bansos"}, set()),
    ("jalan", {"district": "ciputat"}, {"jalan"}, {"lampu", "parkir", "sekolah"}),
    ("lampu", {"category": "infrastruktur"}, {"lampu"}, set()),
    ("", {"category": "perizinan"}, {"izin_usaha", "izin_pbg"}, {"jalan"}),
    ("", {"agency": "dinkes"}, {"covid"}, {"jalan"}),
    ("sampah", {"kind": "content"}, {"sampah", "pasar"}, set()),
    ("jalan", {"category": "infrastruktur", "agency": "dbmsda"}, {"jalan"}, {"lampu"}),
]


def test_relevance_set(write_filed):
    ids = {name: write_filed(body, **fields).id for name, (body, fields) in DOCUMENTS.items()}
    names = {content_id: name for name, content_id in ids.items()}
    misses = []
    for query, options, must, must_not in QUERIES:
        results = search.search(query, per_page=100, **options)
        found = {names[hit.id] for hit in results.items}
        if not must <= found or found & must_not:
            misses.append(f"{query!r} {options}: missing {sorted(must - found)}, unwanted {sorted(found & must_not)}")
    assert len(QUERIES) >= 30
    assert not misses, "\n".join(misses)


def test_title_matches_rank_first(write_filed):
    in_body = write_filed("Keluhan soal trotoar yang sempit dan rusak di dekat stasiun.")
    in_title = write_filed("Mohon segera diperbaiki.", title="Trotoar rusak")
    assert [hit.id for hit in search.search("trotoar").items] == [in_title.id, in_body.id]
