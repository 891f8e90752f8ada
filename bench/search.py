"""Search benchmark: `.venv/bin/python -m bench.search` prints rebuild and query figures.

A throwaway SQLite database gets DOCUMENTS generated documents (about 60
words of Indonesian civic text each, with a title, a category and a
kelurahan) stored as a bench-only Content kind, as policies and aspirations
will be. The text is seeded and deterministic: each document is about one
topic, topics drawn with Zipf-like weights (roads and floods common,
cemeteries rare), so a query word matches from a fraction of a percent to a
fifth of the documents as in a real forum, with the morphology residents use
(me-/di-/pe-an/ke-an/per-an forms of the same roots), compounds (`RT/RW`,
`Covid-19`, `e-KTP`), street names, house numbers, a little English and
occasional typos. Then:

* rebuild: `search rebuild` in a fresh process (analysing in
  SEARCH_REBUILD_PROCS worker processes, one per core): documents/s (wall,
  and per CPU-second of all its processes) and the peak memory of the
  largest; the index size on disk;
* queries: QUERIES mixed queries (one word, two words, phrase, prefix, and a
  category filter on every fifth) through `forum.search.search()` as the
  results page calls it, top 10 highlighted: p50/p99 latency. Once more with
  facet counts, as the page shows them;
* a new document: commit to findable, with the after-commit indexer;
* SQLite FTS5 on the same documents and queries (snippets of the top 10 and
  the total count), as the reference point.

The machine may be shared: CPU-time rates are printed beside wall-clock ones.
Environment: BENCH_SEARCH_DOCS (default 100000), BENCH_SEARCH_QUERIES (1000).
"""
import csv
import multiprocessing
import os
import random
import resource
import sqlite3
import statistics
import subprocess
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from markupsafe import escape
from sqlalchemy import insert

from config import DevelopmentConfig
from forum import create_app, search
from forum.extensions import db
from forum.models import Content, User
from forum.services.reference import load_reference_data
from forum.timeutil import utcnow

DOCUMENTS = int(os.environ.get("BENCH_SEARCH_DOCS", "100000"))
QUERIES = int(os.environ.get("BENCH_SEARCH_QUERIES", "1000"))
AUTHORS = 200


# -- the generated corpus ---------------------------------------------------------
DATA = Path(__file__).resolve().parent.parent / "forum" / "data"

# (weight, category, title templates, detail sentences)
TOPICS = (
    (30, "infrastruktur", ("Jalan rusak di {place}", "Perbaikan jalan {place}", "Jalan berlubang dekat {street}"), (
        "Jalan di depan {street} berlubang dan membahayakan pengendara.", "Aspal mengelupas setelah hujan deras.",
        "Sudah {n} bulan jalan rusak ini dibiarkan tanpa perbaikan.", "Pengendara motor sering terjatuh di malam hari.",
        "Pembangunan jalan lingkungan belum selesai sejak tahun lalu.", "Kami mohon pengaspalan ulang dan perbaikan bahu jalan.")),
    (22, "lingkungan", ("Banjir di {place}", "Genangan air {place}", "Drainase tersumbat di {place}"), (
        "Saat hujan deras air meluap ke rumah warga.", "Saluran air tersumbat sampah dan lumpur.",
        "Genangan setinggi {n}0 cm bertahan sampai pagi.", "Pengerukan kali terakhir dilakukan {n} tahun lalu.",
        "Drainase baru di {street} terlalu kecil untuk debit air.", "Warga RT/RW 0{n}/0{m} harus mengungsi saat banjir.")),
    (16, "lingkungan", ("Sampah menumpuk di {place}", "Pengangkutan sampah {place}", "TPS liar dekat {street}"), (
        "Petugas kebersihan jarang datang sehingga sampah menumpuk dan berbau.", "Ada pembakaran sampah yang membuat udara pengap.",
        "Bank sampah di kelurahan sudah tidak aktif.", "Truk pengangkut sampah hanya datang {n} kali sebulan.",
        "Sampah plastik menyumbat gorong-gorong.", "Mohon penambahan tempat sampah terpilah di taman.")),
    (12, "infrastruktur", ("Lampu jalan mati di {place}", "Penerangan jalan {place}"), (
        "Lampu penerangan jalan umum mati sejak {n} minggu.", "Jalan gelap sehingga rawan kejahatan dan begal.",
        "Tiang lampu miring dan kabelnya menjuntai.", "Mohon pemasangan lampu tenaga surya di gang sempit.")),
    (10, "kesehatan", ("Layanan puskesmas {place}", "Vaksinasi Covid-19 di {place}", "Posyandu {place}"), (
        "Antrean di puskesmas sangat panjang sejak pagi.", "Jadwal vaksinasi Covid-19 dan imunisasi anak perlu diumumkan.",
        "Puskesmas kekurangan tenaga kesehatan dan obat untuk lansia.", "Posyandu butuh timbangan dan alat ukur baru.",
        "Kasus demam berdarah meningkat, mohon pengasapan (fogging).", "Pelayanan BPJS Kesehatan di klinik kurang ramah.")),
    (8, "pendidikan", ("Sekolah di {place}", "Beasiswa siswa {place}", "Zonasi PPDB {place}"), (
        "Anak-anak sekolah berjalan di pinggir jalan tanpa trotoar.", "Sistem zonasi PPDB membingungkan orang tua murid.",
        "Beasiswa untuk siswa kurang mampu belum tersalurkan merata.", "Atap ruang kelas bocor ketika hujan.",
        "Guru honorer mengeluhkan gaji yang terlambat {n} bulan.")),
    (7, "kependudukan", ("Layanan e-KTP {place}", "Pengurusan KK dan akta di {place}"), (
        "Blanko e-KTP kosong sehingga warga hanya menerima surat keterangan.", "Antrean di kantor kelurahan sangat panjang.",
        "Pengurusan akta kelahiran memakan waktu {n} minggu.", "Layanan online Dukcapil sering gangguan.")),
    (6, "transportasi", ("Parkir liar di {place}", "Kemacetan {place}", "Angkutan umum {place}"), (
        "Parkir liar di bahu jalan menyebabkan kemacetan panjang.", "Angkot jarang lewat setelah jam {n} malam.",
        "Halte bus tidak beratap dan kotor.", "Please consider a pedestrian bridge because crossing the road is dangerous.",
        "Juru parkir meminta tarif di atas ketentuan.")),
    (5, "perizinan", ("Perizinan usaha di {place}", "Izin bangunan {place}"), (
        "Perizinan usaha warung kecil terasa rumit dan lama.", "Pengurusan NIB dan izin PBG membingungkan pelaku UMKM.",
        "Bangunan tanpa izin berdiri di atas saluran air.", "Mohon sosialisasi perizinan berusaha berbasis risiko.")),
    (4, "ekonomi", ("Pasar {place}", "Pedagang kaki lima di {place}"), (
        "Banyak pedagang kaki lima berjualan di trotoar.", "Retribusi pasar naik tetapi kebersihan tidak membaik.",
        "Pelatihan UMKM untuk ibu-ibu PKK sangat membantu.", "Harga sewa kios pasar terlalu mahal.")),
    (3, "sosial", ("Bantuan sosial {place}", "Data penerima bansos {place}"), (
        "Data penerima bantuan sosial tidak tepat sasaran.", "Lansia dan penyandang disabilitas belum menerima bantuan.",
        "Penyaluran BLT terlambat {n} bulan.")),
    (3, "lingkungan", ("Taman dan RTH {place}", "Penghijauan {place}"), (
        "Ruang terbuka hijau dialihfungsikan menjadi parkiran.", "Pohon tumbang setelah angin kencang belum dibersihkan.",
        "Mohon penanaman pohon peneduh di sepanjang {street}.")),
    (2, "keamanan", ("Keamanan lingkungan {place}", "CCTV di {place}"), (
        "Pencurian motor terjadi {n} kali bulan ini.", "Pos ronda tidak aktif dan CCTV rusak.")),
    (2, "layanan-digital", ("Wifi publik {place}", "Sinyal internet {place}"), (
        "Sinyal internet di balai warga lemah sehingga layanan online sulit diakses.", "Wifi publik di taman sering mati.")),
    (1, "sosial", ("Pemakaman umum {place}",), (
        "Lahan TPU hampir penuh dan aksesnya becek.", "Biaya pemakaman di TPU tidak transparan.")),
)
SUBJECTS = ("Warga", "Ibu-ibu PKK", "Karang taruna", "Pengurus RT", "Kami", "Para pedagang", "Orang tua murid",
            "Lansia", "Pengguna jalan", "Penghuni perumahan", "Saya", "Jamaah masjid")
VERBS = ("mohon", "meminta", "mengusulkan", "mengeluhkan", "melaporkan", "berharap ada")
CLOSINGS = ("Mohon segera ditindaklanjuti oleh dinas terkait.", "Terima kasih atas perhatiannya.",
            "Semoga pemerintah kota dapat memperbaikinya tahun ini.", "Kami siap bergotong royong membantu.",
            "Mohon informasi jadwal pelaksanaannya.", "Semoga Tangerang Selatan makin nyaman dihuni.")
NAMES = ("Merdeka", "Pahlawan", "Melati", "Kenanga", "Cendrawasih", "Rajawali", "Siliwangi", "Diponegoro",
         "Kartini", "Sudirman", "Pinang", "Mawar", "Flamboyan", "Nusantara", "Garuda", "Pelita")
QUERIES_ONE = ("banjir", "sampah", "jalan", "pembangunan", "perizinan", "kesehatan", "drainase", "puskesmas",
               "e-KTP", "Covid-19", "lampu", "trotoar", "vaksinasi", "parkir", "beasiswa", "internet",
               "retribusi", "pedestrian", "bansos", "pemakaman", "zonasi", "CCTV", "angkot", "UMKM")
QUERIES_TWO = ("jalan rusak", "banjir hujan", "sampah pasar", "lampu jalan", "pembangunan drainase",
               "layanan puskesmas", "izin usaha", "RT/RW banjir", "anak sekolah", "angkutan umum", "pohon tumbang",
               "bantuan lansia")
QUERIES_PHRASE = ('"jalan rusak"', '"lampu jalan"', '"saluran air"', '"kaki lima"', '"ruang terbuka hijau"',
                  '"tenaga kesehatan"')
QUERIES_PREFIX = ("kesehat*", "bangun*", "sampa*", "pelay*", "drain*", "perbaik*", "vaksin*", "izin*")
FILTER_CATEGORIES = ("infrastruktur", "kesehatan", "lingkungan", "pendidikan")


def places():
    with open(DATA / "tangsel-wilayah.csv", encoding="utf-8") as handle:
        return [(row["kecamatan"], row["kelurahan"]) for row in csv.DictReader(handle)]


def district_code(kecamatan, kelurahan):
    return f"{kecamatan.lower().replace(' ', '-')}.{kelurahan.lower().replace(' ', '-')}"


def _typo(rng, word):
    if len(word) < 5 or not word.isalpha():
        return word
    position = rng.randrange(1, len(word) - 1)
    return word[:position] + word[position + 1:] if rng.random() < 0.5 else word[:position] + word[position] + word[position:]


def _fill(rng, sentence, place):
    text = sentence.format(place=place, street=f"Jalan {rng.choice(NAMES)} No. {rng.randint(1, 120)}",
                           n=rng.randint(2, 9), m=rng.randint(1, 9))
    return " ".join(_typo(rng, word) if rng.random() < 0.02 else word for word in text.split())


def documents(count, seed=6):
    """Yield (title, body, category, district code) for `count` documents."""
    rng = random.Random(seed)
    all_places = places()
    weights = [topic[0] for topic in TOPICS]
    for _number in range(count):
        kecamatan, kelurahan = rng.choice(all_places)
        _weight, category, titles, details = rng.choices(TOPICS, weights)[0]
        title = _fill(rng, rng.choice(titles), kelurahan)
        noun = title.split(" di ")[0].lower()
        sentences = [f"{rng.choice(SUBJECTS)} di Kelurahan {kelurahan} {rng.choice(VERBS)} perhatian soal {noun}."]
        sentences += [_fill(rng, detail, kelurahan) for detail in rng.sample(details, min(len(details), rng.randint(4, 6)))]
        if rng.random() < 0.6:  # a second topic in passing
            sentences.append(_fill(rng, rng.choice(rng.choices(TOPICS, weights)[0][3]), kelurahan))
        sentences.append(rng.choice(CLOSINGS))
        yield title, " ".join(sentences), category, district_code(kecamatan, kelurahan)


def queries(count, seed=7):
    """Mixed queries: one word, two words, phrase, prefix; every fifth filtered by category."""
    rng = random.Random(seed)
    kinds = (QUERIES_ONE, QUERIES_TWO, QUERIES_PHRASE, QUERIES_PREFIX)
    return [(rng.choice(kinds[number % len(kinds)]), rng.choice(FILTER_CATEGORIES) if number % 5 == 4 else None)
            for number in range(count)]


# -- the benchmark ----------------------------------------------------------------
class BenchItem(Content):
    """A titled, filed and placed kind, standing in for policies and aspirations."""

    __tablename__ = "bench_item"
    __mapper_args__ = {"polymorphic_identity": "bench"}
    id = db.Column(db.Integer, db.ForeignKey("content.id"), primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    category = db.Column(db.String(60))
    district = db.Column(db.String(80))
    search_fields = Content.search_fields + ("title", "category", "district")

    def search_document(self):
        document = super().search_document()
        document.update(title=self.title, category=self.category, districts=[self.district],
                        url=f"/bench/{self.id}")
        return document


def make_app(instance, **overrides):
    return create_app(DevelopmentConfig(
        INSTANCE_DIR=instance, SECRET_KEY="bench", SEARCH_INDEX_DIR=os.path.join(instance, "search"),
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{instance}/bench.sqlite", **overrides))


def seed(instance):
    """Write the documents straight into the tables (the outbox is not needed: rebuild reads all)."""
    app = make_app(instance)
    with app.app_context():
        db.create_all()
        load_reference_data()
        authors = [User(email=f"bench{n}@example.test", display_name=f"Warga {n}", password_hash="x")
                   for n in range(AUTHORS)]
        db.session.add_all(authors)
        db.session.commit()
        author_ids = [author.id for author in authors]
        start = utcnow() - timedelta(days=730)
        contents, items = [], []
        for number, (title, body, category, district) in enumerate(documents(DOCUMENTS), start=1):
            contents.append({"id": number, "kind": "bench", "author_id": author_ids[number % AUTHORS],
                             "body_source": body, "body_html": f"<p>{escape(body)}</p>", "status": "published",
                             "created_at": start + timedelta(minutes=10 * number)})
            items.append({"id": number, "title": title, "category": category, "district": district})
            if len(contents) == 5000:
                _flush(contents, items)
        _flush(contents, items)
        db.session.commit()


def _flush(contents, items):
    if contents:
        db.session.execute(insert(Content.__table__), contents)
        db.session.execute(insert(BenchItem.__table__), items)
        contents.clear()
        items.clear()


def _cpu_seconds():
    """CPU time of this process and of its finished children (the rebuild's worker processes)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _rebuild(instance, queue):
    app = make_app(instance)
    with app.app_context():
        started, cpu = time.perf_counter(), _cpu_seconds()
        count = search.rebuild()
        queue.put((count, time.perf_counter() - started, _cpu_seconds() - cpu))


def measure_rebuild(instance):
    queue = multiprocessing.get_context("spawn").Queue()
    process = multiprocessing.get_context("spawn").Process(target=_rebuild, args=(instance, queue))
    process.start()
    count, wall, cpu = queue.get()
    process.join()
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    size = subprocess.run(["du", "-sk", os.path.join(instance, "search")], capture_output=True, text=True)
    return count, wall, cpu, peak_kb / 1024, int(size.stdout.split()[0]) / 1024


def _percentiles(samples):
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[int(len(ordered) * 0.99) - 1] * 1000


def measure_queries(app, mixed, facets=False):
    """(p50, p99 wall ms, p50, p99 CPU ms, queries that found something)."""
    with app.app_context():
        for text, category in mixed[:20]:  # warm up: open the searcher, fill the OS cache
            search.search(text, category=category, per_page=10, facets=facets)
        wall, cpu, hits = [], [], 0
        for text, category in mixed:
            started, cpu_started = time.perf_counter(), time.process_time()
            results = search.search(text, category=category, per_page=10, facets=facets)
            wall.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
            assert results.available
            hits += results.total > 0
    return (*_percentiles(wall), *_percentiles(cpu), hits)


def measure_new_document(app):
    """Commit one new document and time until a search finds it."""
    with app.app_context():
        item = BenchItem(title="Uji keterlihatan", category="kesehatan", district="ciputat.cipayung",
                         body_source="Kata unik zebrakuda untuk uji.",
                         body_html="<p>Kata unik zebrakuda untuk uji.</p>", status="published")
        started = time.perf_counter()
        db.session.add(item)
        db.session.commit()
        committed = time.perf_counter()
        while not search.search("zebrakuda").total:
            time.sleep(0.005)
        return (committed - started) * 1000, (time.perf_counter() - started) * 1000


def _fts_query(text):
    if text.startswith('"'):
        return text
    return " ".join(word if word.endswith("*") else f'"{word}"' for word in text.split())


def measure_fts5(instance, mixed):
    connection = sqlite3.connect(os.path.join(instance, "fts.sqlite"))
    connection.execute("CREATE VIRTUAL TABLE doc USING fts5(title, body, category UNINDEXED, "
                       "tokenize = 'unicode61 remove_diacritics 2')")
    started = time.perf_counter()
    rows = ((title, body, category) for title, body, category, _district in documents(DOCUMENTS))
    connection.executemany("INSERT INTO doc (title, body, category) VALUES (?, ?, ?)", rows)
    connection.commit()
    rate = DOCUMENTS / (time.perf_counter() - started)
    samples = []
    for text, category in mixed:
        match = _fts_query(text)
        where, arguments = ("doc MATCH ? AND category = ?", (match, category)) if category else ("doc MATCH ?", (match,))
        started = time.perf_counter()
        connection.execute(f"SELECT count(*) FROM doc WHERE {where}", arguments).fetchone()
        connection.execute(f"SELECT rowid, snippet(doc, 1, '<mark>', '</mark>', '…', 24) FROM doc "
                           f"WHERE {where} ORDER BY rank LIMIT 10", arguments).fetchall()
        samples.append(time.perf_counter() - started)
    connection.close()
    size = os.path.getsize(os.path.join(instance, "fts.sqlite")) / 1024 / 1024
    return rate, size, *_percentiles(samples)


def main():
    mixed = queries(QUERIES)
    with tempfile.TemporaryDirectory(prefix="musyawarah-search-bench-") as instance:
        print(f"Generating {DOCUMENTS:,} documents ...", flush=True)
        seed(instance)
        print("Rebuilding the index ...", flush=True)
        count, wall, cpu, peak_mb, size_mb = measure_rebuild(instance)
        app = make_app(instance)
        print(f"Timing {len(mixed):,} queries ...", flush=True)
        p50, p99, cpu50, cpu99, with_hits = measure_queries(app, mixed)
        facet_p50, facet_p99, facet_cpu50, facet_cpu99, _hits = measure_queries(app, mixed, facets=True)
        commit_ms, findable_ms = measure_new_document(app)
        print("Running SQLite FTS5 on the same documents ...", flush=True)
        fts_rate, fts_size, fts_p50, fts_p99 = measure_fts5(instance, mixed)

    print(f"\nSearch, {count:,} documents (~60 words), {len(mixed):,} mixed queries, top 10 highlighted")
    print(f"  rebuild            {count / wall:8.0f} docs/s wall, {count / cpu:.0f} docs/s CPU "
          f"({DevelopmentConfig.SEARCH_REBUILD_PROCS} worker processes); peak memory {peak_mb:.0f} MB")
    print(f"  index size         {size_mb:8.1f} MB")
    print(f"  query + highlight  p50 {p50:6.2f} ms   p99 {p99:6.2f} ms wall; p50 {cpu50:6.2f} ms   "
          f"p99 {cpu99:6.2f} ms CPU   ({with_hits} of {len(mixed)} found something)")
    print(f"  ... with facets    p50 {facet_p50:6.2f} ms   p99 {facet_p99:6.2f} ms wall; p50 {facet_cpu50:6.2f} ms   "
          f"p99 {facet_cpu99:6.2f} ms CPU")
    print(f"  new document       commit incl. indexing {commit_ms:.0f} ms, findable after {findable_ms:.0f} ms")
    print(f"  SQLite FTS5        insert {fts_rate:8.0f} docs/s; size {fts_size:.1f} MB; "
          f"count + top 10 snippets p50 {fts_p50:6.2f} ms   p99 {fts_p99:6.2f} ms")


if __name__ == "__main__":
    main()
