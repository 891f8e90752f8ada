"""content: the channel input came through (online, face to face, desk) and its kelurahan

Revision ID: a0c1e2d3f4b5
Revises: f7c9e1a3b504
Create Date: 2026-12-06 22:50:00.000000

Existing rows are online input (server default). `input_district_id` stays
empty for them: online input is placed by its author's registered area.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a0c1e2d3f4b5'
down_revision = 'f7c9e1a3b504'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('content', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=16), server_default='online', nullable=False))
        batch_op.add_column(sa.Column('input_district_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_content_channel'), ['channel'], unique=False)
        batch_op.create_index(batch_op.f('ix_content_input_district_id'), ['input_district_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_content_input_district_id_district'), 'district',
                                    ['input_district_id'], ['id'])
        batch_op.create_check_constraint('channel_known', "channel IN ('online', 'face_to_face', 'desk')")


def downgrade():
    with op.batch_alter_table('content', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_content_channel_known'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_content_input_district_id_district'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_content_input_district_id'))
        batch_op.drop_index(batch_op.f('ix_content_channel'))
        batch_op.drop_column('input_district_id')
        batch_op.drop_column('channel')
