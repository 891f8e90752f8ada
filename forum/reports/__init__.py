"""Feedback summaries of consultations and their renderers.

`summary.build_summary()` computes one `FeedbackSummary` in SQL; `scope`
decides which comments count; `terms` finds the key terms; `rows` reads the
comment rows of an export; `serialize` gives the JSON shape; `formats` is
the registry of export formats (CSV, XLSX, JSON, PDF, open-data ZIP) and
`opendata` writes the ZIP. Permissions and auditing live in
forum/services/summaries.py, which is what views, the API and the CLI call.
"""
