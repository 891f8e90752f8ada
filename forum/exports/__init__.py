"""Export building blocks: safe cells, streamed CSV, XLSX and PDF files, download responses.

These know nothing about policies or comments. `forum/reports/` turns a
feedback summary into rows and documents; other features (surveys,
aspirations) may use the same pieces. Every cell of a CSV or XLSX export goes
through `cells.safe_cell`, so a resident's text can never become a formula.
"""
