"""The ceiling: the least a Flask page can cost on this machine.

A minimal Flask app renders 50 rows from SQLite through a Jinja template,
served by the same gunicorn setup as Musyawarah. Every page figure is printed
as a ratio to this app's requests per second.
"""
import os
import sqlite3

from flask import Flask, g, render_template_string

DATABASE = os.environ.get("CEILING_DB", "/tmp/musyawarah-ceiling.sqlite")

TEMPLATE = """<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Ceiling</title></head>
<body><h1>Daftar</h1><ul>{% for row in rows %}<li><strong>{{ row[1] }}</strong> {{ row[2] }}</li>{% endfor %}</ul></body></html>"""


def ensure_database(path=DATABASE):
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE IF NOT EXISTS item (id INTEGER PRIMARY KEY, title TEXT, body TEXT)")
    if connection.execute("SELECT COUNT(*) FROM item").fetchone()[0] < 50:
        connection.executemany(
            "INSERT INTO item (title, body) VALUES (?, ?)",
            [(f"Judul {n}", "Isi singkat tentang layanan publik " * 3) for n in range(50)],
        )
        connection.commit()
    connection.close()


app = Flask(__name__)


def _db():
    if "db" not in g:
        g.db = sqlite3.connect(DATABASE)
    return g.db


@app.teardown_appcontext
def _close(_exc):
    connection = g.pop("db", None)
    if connection is not None:
        connection.close()


@app.get("/")
def rows():
    return render_template_string(TEMPLATE, rows=_db().execute("SELECT id, title, body FROM item LIMIT 50").fetchall())
