"""Every export of the forum, and the feedback summaries of consultations.

`formats` is the one registry of exports: (kind, format name) -> builder
returning an `ExportFile` (forum/exports/files.py). The builders:
`consultation` (CSV, XLSX, JSON, PDF and, with `opendata`, the open-data
ZIP of a consultation's feedback), `aspirations` (an agency's forwarded
aspirations) and `surveys` (a survey's responses). For the summaries,
`summary.build_summary()` computes one `FeedbackSummary` in SQL; `scope`
decides which comments count; `terms` finds the key terms; `rows` reads the
comment rows of an export; `serialize` gives the JSON shape; `page` and
`survey_presenting` prepare what the summary and survey results pages (and
their PDFs) show. Permissions and auditing live in
forum/services/summaries.py and the views; no module here makes a response.
"""
