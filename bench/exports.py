"""Feedback summaries and exports on policies with 10,000 and 100,000 generated comments.

A throwaway SQLite instance gets two policies whose comments (stances,
clauses, helpful counts, commenters in every kelurahan, 30 days of dates)
are bulk-inserted in a few seconds. Each figure is then measured in a fresh
subprocess, so one measurement's memory never counts against the next: the
time to build the summary, and for each format the time to write the file
(summary included) and the growth of the process's peak resident memory
over its baseline (`ru_maxrss` after the app is loaded, before the work).
Wall-clock seconds are printed with the process's CPU seconds beside them:
on a busy machine the wall clock also counts time spent waiting for a core.
Run alone with `python -m bench.exports`, or by `make bench`.

Targets (issue 7), at 100,000 comments: summary < 2 s, CSV < 3 s, XLSX < 20 s,
PDF < 15 s, peak memory growth < 150 MB for any format.
"""
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import timedelta

SIZES = (10_000, 100_000)
FORMATS = ("csv", "json", "xlsx", "pdf")
TARGETS = {"summary": 2.0, "csv": 3.0, "xlsx": 20.0, "pdf": 15.0}
MEMORY_TARGET_MB = 150
RESIDENTS = 3000
BATCH = 5000
WORDS = ("taman jalan banjir drainase sampah angkutan trotoar lampu sekolah puskesmas pasar anggaran "
         "warga kelurahan perbaikan pembangunan pelayanan izin parkir pohon air bersih jembatan "
         "kebersihan keamanan kemacetan sepeda pejalan kaki difabel lansia anak ruang hijau").split()


def _flask(env, *args):
    subprocess.run([sys.executable, "-m", "flask", "--app", "run", *args], env=env, check=True,
                   capture_output=True)


def _run(env, *args):
    """Run this module in a subprocess with `args`; return its last output line as JSON."""
    found = subprocess.run([sys.executable, "-m", "bench.exports", *args], env=env, check=True,
                           capture_output=True, text=True).stdout
    return json.loads(found.strip().splitlines()[-1])


# -- generating data (in a subprocess) ----------------------------------------------------
def generate(sizes):
    """Make the residents and one policy per size; print {size: policy id}."""
    from run import app
    from forum.extensions import db
    from forum.models import Agency, Category, District, Policy, PolicyPhase, PolicyVersion, Section, User
    from forum.timeutil import utcnow

    rng = random.Random(7)
    with app.app_context():
        now = utcnow()
        kelurahan = [row.id for row in District.query.filter_by(level=District.KELURAHAN)]
        db.session.execute(db.insert(User), [
            {"email": f"bench{n}@example.test", "display_name": f"Warga {n}", "password_hash": "x",
             "role": "resident", "district_id": rng.choice(kelurahan) if n % 20 else None,
             "created_at": now - timedelta(days=rng.randint(0, 400)), "session_token": f"t{n}"}
            for n in range(RESIDENTS)])
        db.session.commit()
        users = [row for row, in db.session.execute(db.select(User.id))]
        policies = {}
        for size in sizes:
            policy = Policy(title=f"Rancangan uji ekspor {size}", summary="Uji.", summary_html="<p>Uji.</p>",
                            body_source="", body_html="", category=Category.query.first(),
                            agency=Agency.query.first(), phase=PolicyPhase.OPEN,
                            opens_at=now - timedelta(days=30), closes_at=now + timedelta(days=1),
                            published_at=now - timedelta(days=30))
            version = PolicyVersion(policy=policy, number=1)
            for number in range(1, 11):
                version.sections.append(Section(clause_key=f"c{number}", number=number, heading=f"Pasal {number}",
                                                body_source="Isi.", body_html="<p>Isi.</p>"))
            db.session.add_all([policy, version])
            db.session.commit()
            _insert_comments(db, policy, version, users, size, rng, now)
            policies[size] = policy.id
        print(json.dumps(policies))


def _insert_comments(db, policy, version, users, size, rng, now):
    from forum.models import Comment, Content

    sections = [section.id for section in version.sections] + [None]
    first_id = (db.session.scalar(db.select(db.func.max(Content.id))) or 0) + 1
    for start in range(0, size, BATCH):
        ids = range(first_id + start, first_id + min(start + BATCH, size))
        contents, comments = [], []
        for content_id in ids:
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 60)))
            contents.append({"id": content_id, "kind": "comment", "author_id": rng.choice(users),
                             "body_source": text, "body_html": f"<p>{text}</p>", "status": "published",
                             "created_at": now - timedelta(minutes=rng.randint(0, 30 * 24 * 60)),
                             "up_count": rng.choice((0, 0, 0, 1, 2, 5, 20)), "down_count": rng.choice((0, 0, 1)),
                             "reply_count": 0, "flag_count": 0})
            comments.append({"id": content_id, "target_id": policy.id, "version_id": version.id,
                             "section_id": rng.choice(sections), "depth": 0,
                             "stance": rng.choice(("support", "oppose", "neutral")),
                             "is_official_response": False})
        db.session.execute(db.insert(Content.__table__), contents)
        db.session.execute(db.insert(Comment.__table__), comments)
        db.session.commit()
    db.session.execute(db.update(Content).where(Content.id == policy.id).values(up_count=size // 3))


# -- measuring (each in its own subprocess) ------------------------------------------------
def _usage():
    """(peak resident MB, CPU seconds) of this process so far."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def measure(policy_id, what):
    """Time `what` (summary or a format) on one policy; print seconds and peak memory growth."""
    from run import app
    from forum.extensions import db
    from forum.models import Policy
    from forum.reports.summary import build_summary
    from forum.services import summaries

    with app.app_context(), tempfile.TemporaryDirectory() as directory:
        policy = db.session.get(Policy, policy_id)
        build_summary(policy).comments  # warm caches, imports and the connection
        baseline, cpu_before = _usage()
        started = time.perf_counter()
        if what == "summary":
            build_summary(policy)
        else:
            summaries.operator_export(policy_id, what).save(os.path.join(directory, f"out.{what}"))
        seconds = time.perf_counter() - started
        peak, cpu_after = _usage()
        print(json.dumps({"seconds": seconds, "cpu": cpu_after - cpu_before, "growth_mb": peak - baseline}))


def main():
    with tempfile.TemporaryDirectory(prefix="musyawarah-bench-exports-") as instance:
        env = {**os.environ, "MUSYAWARAH_INSTANCE_DIR": instance, "MUSYAWARAH_ENV": "development",
               "DATABASE_URL": f"sqlite:///{instance}/bench.sqlite"}
        _flask(env, "db", "upgrade", "heads")
        _flask(env, "init")
        started = time.monotonic()
        policies = _run(env, "generate", *map(str, SIZES))
        print(f"\nFeedback exports, SQLite: {sum(SIZES):,} comments generated in "
              f"{time.monotonic() - started:.1f} s")
        print(f"{'comments':>10}  {'what':<8}{'seconds':>9}{'cpu s':>8}{'target':>8}{'peak MB +':>11}")
        for size in SIZES:
            for what in ("summary", *FORMATS):
                result = _run(env, "measure", str(policies[str(size)]), what)
                target = f"{TARGETS[what]:.0f} s" if what in TARGETS and size == max(SIZES) else ""
                print(f"{size:>10,}  {what:<8}{result['seconds']:>9.2f}{result['cpu']:>8.2f}{target:>8}"
                      f"{result['growth_mb']:>11.1f}", flush=True)
        print(f"Memory target: peak growth under {MEMORY_TARGET_MB} MB for any format.")


if __name__ == "__main__":
    if sys.argv[1:2] == ["generate"]:
        generate([int(size) for size in sys.argv[2:]])
    elif sys.argv[1:2] == ["measure"]:
        measure(int(sys.argv[2]), sys.argv[3])
    else:
        main()
