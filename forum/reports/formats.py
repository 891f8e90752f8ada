"""Every export of the forum: one registry of (kind, format name) -> builder returning an ExportFile.

A builder takes its kind's subject (a consultation's `ExportJob`, an
agency's `AspirationJob`, a survey) and returns an `ExportFile`
(forum/exports/files.py); it decides nothing about who may have it
(forum/services/summaries.py and the survey views do) and makes no
response: pages and the API send the file with
`forum.exports.response.send_export`, the command line saves it. Formats are
listed in the order forms, errors and the API description name them.
"""
from dataclasses import dataclass
from typing import Callable

from forum.exports.files import ExportFile
from forum.reports import aspirations, consultation, surveys

CONSULTATION = "consultation"
ASPIRATIONS = "aspirations"
SURVEY = "survey"


@dataclass(frozen=True)
class Export:
    build: Callable[[object], ExportFile]
    final_only: bool = False  # the open-data bundle: final consultations only, and then for anyone


EXPORTS = {
    CONSULTATION: {
        "csv": Export(consultation.build_csv),
        "xlsx": Export(consultation.build_xlsx),
        "json": Export(consultation.build_json),
        "pdf": Export(consultation.build_pdf),
        "zip": Export(consultation.build_zip, final_only=True),
    },
    ASPIRATIONS: {
        "csv": Export(aspirations.build_csv),
        "xlsx": Export(aspirations.build_xlsx),
        "json": Export(aspirations.build_json),
        "pdf": Export(aspirations.build_pdf),
    },
    SURVEY: {
        "csv": Export(surveys.build_csv),
        "xlsx": Export(surveys.build_xlsx),
        "json": Export(surveys.build_json),
        "pdf": Export(surveys.build_pdf),
    },
}


def names(kind):
    """The format names of `kind`, in order."""
    return tuple(EXPORTS[kind])


def find(kind, name):
    """The Export of `kind` named `name`, or None."""
    return EXPORTS[kind].get(name)


def build(kind, name, subject):
    """The ExportFile of `subject` in format `name` (a name from `names(kind)`)."""
    return EXPORTS[kind][name].build(subject)
