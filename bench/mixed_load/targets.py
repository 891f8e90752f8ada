"""What the simulated users act on, shared by the users of one Locust process, and the text they write.

Pools of ids are read through the public API (as any client would) and
refreshed when older than their time to live, by whichever user needs them
first; writes add their new ids at once. Texts are Indonesian sentences
built from a fixed vocabulary with a serial number, so no two are the same
(the screen refuses a text posted twice) and none contains a watched word,
a link or personal data.
"""
import random
import time
from collections import deque

SUBJECTS = ["Taman kota", "Trotoar di jalan utama", "Saluran air di kelurahan kami", "Lampu jalan",
            "Jadwal angkutan sampah", "Pohon peneduh", "Jalur sepeda", "Pelayanan di kantor kelurahan",
            "Halte bus", "Pasar tradisional", "Tempat parkir sepeda motor", "Rambu lalu lintas"]
VERBS = ["perlu diperbaiki", "sudah cukup baik", "harus dijaga bersama", "sebaiknya diperluas",
         "perlu diawasi petugas", "membantu warga", "masih kurang terawat", "perlu dijadwalkan ulang"]
REASONS = ["karena banyak anak sekolah lewat setiap pagi", "supaya warga lansia merasa aman",
           "agar banjir tidak terulang saat musim hujan", "sebab pedagang kecil ikut terbantu",
           "karena jalan menjadi gelap pada malam hari", "supaya lingkungan lebih sejuk dan bersih",
           "agar antrean di loket tidak terlalu panjang", "karena warga ingin berjalan kaki dengan nyaman"]
CLOSINGS = ["Terima kasih atas perhatiannya.", "Semoga segera ditindaklanjuti.", "Mohon dipertimbangkan.",
            "Kami siap membantu kerja bakti.", "Salam dari warga."]
TOPICS = ["infrastruktur", "lingkungan", "transportasi", "kesehatan", "pendidikan"]
KINDS = ["aspiration", "complaint", "proposal", "information"]
FLAG_REASONS = ["spam", "off_topic", "abusive", "hoax"]
SEARCH_WORDS = ["sampah", "taman", "parkir", "banjir", "drainase", "layanan digital", "pohon", "trotoar",
                "lampu jalan", "pasar", "retribusi", "angkutan"]
_serial = iter(range(1, 10**9))


def sentence(rng=random):
    """A new comment-sized text, different from every other one written in this process."""
    return (f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(REASONS)}. "
            f"Catatan ke-{next(_serial)} dari warga RT {rng.randint(1, 19)}. {rng.choice(CLOSINGS)}")


def aspiration_fields(districts, rng=random):
    title = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} (laporan {next(_serial)})"
    return {"kind": rng.choice(KINDS), "title": title[:120], "body": sentence(rng),
            "category": rng.choice(TOPICS), "district": rng.choice(districts), "visibility": "public"}


class Pool:
    """A list of items re-read by `load(client)` when older than `ttl` seconds."""

    def __init__(self, ttl, load):
        self.ttl, self._load = ttl, load
        self.items, self.read_at, self._busy = [], float("-inf"), False

    def get(self, client):
        if time.monotonic() - self.read_at > self.ttl and not self._busy:
            self._busy = True
            try:
                items = self._load(client)
                if items is not None:
                    self.items, self.read_at = items, time.monotonic()
            finally:
                self._busy = False
        return self.items

    def add(self, item):
        self.items.append(item)


def _json(response):
    try:
        return response.json() if response.status_code == 200 else None
    except ValueError:
        return None


def _open_policies(client):
    data = _json(client.get("/api/v1/policies?status=open&per_page=100", name="GET api policies"))
    if data is None:
        return None
    return [{"id": p["id"], "agency": p["agency"], "sections": [s["id"] for s in p["sections"]]}
            for p in data["items"] if p.get("accepting_input")]


def _aspirations(client):
    data = _json(client.get("/api/v1/aspirations?per_page=100", name="GET api aspirations"))
    if data is None:
        return None
    return [{"id": a["id"], "status": a["status"], "agency": a["agency"], "author": _author(a)}
            for a in data["items"] if a["status"] not in ("closed", "declined")]


def _author(item):
    return (item.get("author") or {}).get("display_name")


def _districts(client):
    data = _json(client.get("/api/v1/districts?level=kelurahan&per_page=100", name="GET api districts"))
    return None if data is None else [d["code"] for d in data["items"]]


policies = Pool(60, _open_policies)
aspirations = Pool(20, _aspirations)
districts = Pool(3600, _districts)
comments = {}                      # policy id -> Pool of its comments
submitted = deque(maxlen=500)      # new aspiration ids, for the moderators to screen


def policy_comments(policy_id):
    """The Pool of `policy_id`'s recent comments (roots and replies): [{id, depth, official, author}]."""
    if policy_id not in comments:
        def load(client):
            data = _json(client.get(f"/api/v1/policies/{policy_id}/comments?sort=newest&per_page=50",
                                    name="GET api comments"))
            if data is None:
                return None
            found = []
            for root in data["items"]:
                for comment in [root, *root.get("replies", [])]:
                    if comment["status"] == "published":
                        found.append({"id": comment["id"], "depth": comment["depth"],
                                      "official": comment["is_official_response"], "author": _author(comment)})
            return found
        comments[policy_id] = Pool(15, load)
    return comments[policy_id]
