"""Demo guides: the shipped guides (forum/data/guides.toml), as `flask init` installs them."""
from forum.services.guides import install_default_guides


def seed_guides(size, progress):
    install_default_guides()
