"""content activity revisions: the key under which rendered pages are cached

Revision ID: c3a1f0e5b2d4
Revises: db9c3fdf92cc
Create Date: 2026-11-28 20:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3a1f0e5b2d4'
down_revision = 'db9c3fdf92cc'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('content_activity',
    sa.Column('content_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('revision', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('content_id', name=op.f('pk_content_activity'))
    )


def downgrade():
    op.drop_table('content_activity')
