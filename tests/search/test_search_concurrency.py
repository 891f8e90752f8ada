"""Two processes write content at the same time, each indexing after its commits; then verify.

Each process is the app as a gunicorn worker runs it: its own engine on the
test database, the after-commit indexer taking the writer lock without
waiting. Whoever holds the lock applies everyone's rows and looks again after
releasing it, so no `sync` is needed for the index to end in step.
"""
import subprocess
import sys
import textwrap

from forum import search
from forum.extensions import db
from forum.models import Content

WRITES_PER_PROCESS = 15

SCRIPT = textwrap.dedent("""
    import sys
    from config import TestingConfig
    from forum import create_app
    from forum.extensions import db
    from forum.models import Content
    from forum.text import render_markdown

    url, instance, index_dir, author_id, label, count = sys.argv[1:7]
    app = create_app(TestingConfig(SQLALCHEMY_DATABASE_URI=url, INSTANCE_DIR=instance, SEARCH_INDEX_DIR=index_dir))
    with app.app_context():
        for number in range(int(count)):
            body = f"Laporan {label} nomor {number}: saluran air tersumbat."
            content = Content(author_id=int(author_id), body_source=body, body_html=render_markdown(body))
            db.session.add(content)
            db.session.commit()
            if number % 5 == 4:  # hides interleave with the other process's writes
                content.status = "hidden"
                db.session.commit()
""")


def test_two_processes_writing_at_once_leave_the_index_in_step(app, resident, migrated_database, tmp_path):
    search.sync()  # the index exists before the workers start, as in production
    processes = [
        subprocess.Popen([sys.executable, "-c", SCRIPT, migrated_database, str(tmp_path / f"instance-{label}"),
                          app.config["SEARCH_INDEX_DIR"], str(resident.id), label, str(WRITES_PER_PROCESS)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for label in ("A", "B")
    ]
    for process in processes:
        _out, err = process.communicate(timeout=240)
        assert process.returncode == 0, err[-3000:]
    db.session.expire_all()
    assert db.session.query(Content).count() == 2 * WRITES_PER_PROCESS
    result = search.verify()
    assert result.ok and result.pending == 0, result
    public = search.search("saluran", per_page=100)
    assert public.total == 2 * (WRITES_PER_PROCESS - WRITES_PER_PROCESS // 5)


def test_each_node_keeps_its_own_index_from_the_shared_outbox(app, write, tmp_path):
    """A second machine: its own SEARCH_INDEX_DIR, fed by `search sync --follow`, no shared disk."""
    write("Sebelum node kedua bergabung: lampu taman mati.")
    other_node = str(tmp_path / "node-2" / "search")
    assert search.sync(index_dir=other_node) == 0  # no index yet: built from the database
    later = write("Sesudah: trotoar pecah.")  # only this node's index applies it after the commit
    assert search.search("trotoar", index_dir=other_node).items == []
    search.sync(follow_seconds=0.3, index_dir=other_node)
    assert [hit.id for hit in search.search("trotoar", index_dir=other_node).items] == [later.id]
    assert search.verify(index_dir=other_node).ok and search.verify().ok
