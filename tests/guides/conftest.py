"""Guides fixtures: the shipped guides, and a form's worth of guide values."""
import pytest

from forum.services import guides


@pytest.fixture
def shipped_guides(app):
    """The default guides as `flask init` installs them, by slug."""
    guides.install_default_guides()
    return {guide.slug: guide for guide in guides.published_guides()}


@pytest.fixture
def guide_values():
    return {
        "slug": "cara-baru", "title": "Cara baru", "title_en": "A new way",
        "summary": "Ringkasan panduan.", "summary_en": "Guide summary.",
        "body_source": "## Langkah pertama {#langkah}\nIsi langkah.",
        "body_en_source": "## First step {#langkah}\nStep text.",
        "illustration": "daftar", "position": "5", "note": "Pertama",
    }
