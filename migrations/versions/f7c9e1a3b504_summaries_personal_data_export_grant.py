"""summaries: the admin-granted permission to export personal data

Revision ID: f7c9e1a3b504
Revises: e8b2c4d6f801
Create Date: 2026-11-28 20:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f7c9e1a3b504'
down_revision = 'e8b2c4d6f801'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('may_export_personal_data', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('may_export_personal_data')
