"""Entry point: `flask --app run ...` and gunicorn's `run:app`."""
from forum import create_app

app = create_app()
