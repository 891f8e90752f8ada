"""moderation: audit log, flags, review queue, sanctions, appeals

Revision ID: d5a7c9e1f302
Revises: c3a1f0e5b2d4
Create Date: 2026-11-28 20:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd5a7c9e1f302'
down_revision = 'c3a1f0e5b2d4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('audit_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('content_id', sa.Integer(), nullable=True),
    sa.Column('subject_user_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=1000), nullable=True),
    sa.Column('reason_code', sa.String(length=40), nullable=True),
    sa.Column('before', sa.Text(), nullable=True),
    sa.Column('after', sa.Text(), nullable=True),
    sa.Column('details', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_audit_entry_actor_id_user')),
    sa.ForeignKeyConstraint(['content_id'], ['content.id'], name=op.f('fk_audit_entry_content_id_content')),
    sa.ForeignKeyConstraint(['subject_user_id'], ['user.id'], name=op.f('fk_audit_entry_subject_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entry'))
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entry_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_content_id'), ['content_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_subject_user_id'), ['subject_user_id'], unique=False)

    op.create_table('flag',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('content_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("outcome IS NULL OR outcome IN ('agreed', 'rejected')", name=op.f('ck_flag_outcome_known')),
    sa.CheckConstraint("reason IN ('spam', 'abusive', 'sara', 'hoax', 'off_topic', 'personal_data', 'other')", name=op.f('ck_flag_reason_known')),
    sa.ForeignKeyConstraint(['content_id'], ['content.id'], name=op.f('fk_flag_content_id_content')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_flag_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flag')),
    sa.UniqueConstraint('content_id', 'user_id', name=op.f('uq_flag_content_id_user_id'))
    )
    with op.batch_alter_table('flag', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_flag_content_id'), ['content_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_flag_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_flag_user_id'), ['user_id'], unique=False)

    op.create_table('sanction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('content_id', sa.Integer(), nullable=True),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('acknowledged_at', sa.DateTime(), nullable=True),
    sa.Column('lifted_at', sa.DateTime(), nullable=True),
    sa.Column('lifted_by_id', sa.Integer(), nullable=True),
    sa.Column('lift_reason', sa.String(length=500), nullable=True),
    sa.CheckConstraint("kind IN ('warn', 'silence', 'suspend', 'ban')", name=op.f('ck_sanction_kind_known')),
    sa.ForeignKeyConstraint(['content_id'], ['content.id'], name=op.f('fk_sanction_content_id_content')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_sanction_created_by_id_user')),
    sa.ForeignKeyConstraint(['lifted_by_id'], ['user.id'], name=op.f('fk_sanction_lifted_by_id_user')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_sanction_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sanction'))
    )
    with op.batch_alter_table('sanction', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sanction_user_id'), ['user_id'], unique=False)

    op.create_table('appeal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('content_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=1000), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.Column('decision_reason', sa.String(length=1000), nullable=True),
    sa.CheckConstraint("outcome IS NULL OR outcome IN ('granted', 'upheld')", name=op.f('ck_appeal_outcome_known')),
    sa.ForeignKeyConstraint(['content_id'], ['content.id'], name=op.f('fk_appeal_content_id_content')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_appeal_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appeal')),
    sa.UniqueConstraint('content_id', name=op.f('uq_appeal_content_id'))
    )
    with op.batch_alter_table('appeal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appeal_user_id'), ['user_id'], unique=False)

    op.create_table('review_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('content_id', sa.Integer(), nullable=False),
    sa.Column('open_content_id', sa.Integer(), nullable=True),
    sa.Column('queue', sa.String(length=16), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('flag_count', sa.Integer(), nullable=False),
    sa.Column('screen_reasons', sa.JSON(), nullable=True),
    sa.Column('appeal_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decision', sa.String(length=16), nullable=True),
    sa.Column('decision_reason', sa.String(length=1000), nullable=True),
    sa.CheckConstraint("queue IN ('pending', 'flagged', 'hidden', 'appeal')", name=op.f('ck_review_item_queue_known')),
    sa.ForeignKeyConstraint(['appeal_id'], ['appeal.id'], name=op.f('fk_review_item_appeal_id_appeal')),
    sa.ForeignKeyConstraint(['content_id'], ['content.id'], name=op.f('fk_review_item_content_id_content')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_review_item_decided_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_item')),
    sa.UniqueConstraint('open_content_id', name=op.f('uq_review_item_open_content_id'))
    )
    with op.batch_alter_table('review_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_item_content_id'), ['content_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_item_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_review_item_open_queue', ['decided_at', 'queue', 'created_at'], unique=False)


def downgrade():
    op.drop_table('review_item')
    op.drop_table('appeal')
    op.drop_table('sanction')
    op.drop_table('flag')
    op.drop_table('audit_entry')
