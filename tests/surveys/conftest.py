"""Fixtures for the survey tests: a survey of every question type, built through the service."""
from datetime import timedelta

import pytest

from forum.services import surveys
from forum.timeutil import utcnow

QUESTIONS = [
    {"type": "single", "text": "Bagaimana Anda mengurus izin?", "choices": ["Daring", "Datang langsung"],
     "required": True, "allow_other": True},
    {"type": "multiple", "text": "Fitur apa yang Anda pakai?", "choices": ["Unggah berkas", "Lacak status", "Bayar"]},
    {"type": "likert", "text": "Aplikasi mudah dipakai.", "required": True,
     "low_label": "Sangat tidak setuju", "high_label": "Sangat setuju"},
    {"type": "rating", "text": "Seberapa mungkin Anda merekomendasikan layanan ini?"},
    {"type": "short_text", "text": "Satu kata untuk layanan ini"},
    {"type": "long_text", "text": "Saran perbaikan"},
]


@pytest.fixture
def make_survey(official):
    """A survey by `official` (published unless told otherwise) with QUESTIONS or the given ones."""

    def build(questions=None, publish=True, actor=None, **fields):
        fields.setdefault("title", "Kepuasan layanan perizinan daring")
        fields.setdefault("service_name", "Layanan perizinan online (SIMPEL/OSS)")
        fields.setdefault("closes_at", utcnow() + timedelta(days=7))
        return surveys.create_survey(actor or official, questions=questions or QUESTIONS, publish=publish, **fields)

    return build


@pytest.fixture
def survey(make_survey):
    return make_survey()


def full_answers(survey, **overrides):
    """A valid answer to every question of the QUESTIONS survey; `overrides` by position (q1=...)."""
    q = survey.questions
    answers = {
        q[0].id: {"choice_ids": [q[0].choices[0].id]},
        q[1].id: {"choice_ids": [q[1].choices[0].id, q[1].choices[1].id]},
        q[2].id: {"value": 4},
        q[3].id: {"value": 9},
        q[4].id: {"text": "Cepat"},
        q[5].id: {"text": "Tambahkan panduan unggah berkas."},
    }
    for key, value in overrides.items():
        answers[q[int(key[1:]) - 1].id] = value
    return answers


def english(*messages):
    """The messages as English text, joined (service messages are lazy; the default locale is Indonesian)."""
    from flask_babel import force_locale

    with force_locale("en"):
        return " ".join(str(message) for message in messages)
