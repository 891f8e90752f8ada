"""desk: the service desk role, assisted submissions with receipt codes, desk survey answers

A desk officer (role `desk`) submits for residents without an account: one
`desk_submission` row per receipt. A desk survey answer has no user until
claimed, so `survey_response.user_id` becomes nullable and responses record
their channel. Downgrading deletes desk survey answers without a user and
turns desk officers into residents (the old schema can hold neither).

Revision ID: e17a0b1c2d3e
Revises: c15a0b1c2d3e
Create Date: 2026-12-06 22:48:00.700978

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e17a0b1c2d3e'
down_revision = 'c15a0b1c2d3e'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('desk_submission',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('receipt_code', sa.String(length=8), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('resident_name', sa.String(length=120), nullable=False),
    sa.Column('phone_digest', sa.String(length=64), nullable=True),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('consent_at', sa.DateTime(), nullable=False),
    sa.Column('consent_version', sa.String(length=20), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('content_id', sa.Integer(), nullable=True),
    sa.Column('survey_response_id', sa.Integer(), nullable=True),
    sa.Column('from_paper_form', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('claimed_by_id', sa.Integer(), nullable=True),
    sa.Column('claimed_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('aspiration', 'comment', 'survey')", name=op.f('ck_desk_submission_kind_known')),
    sa.CheckConstraint('(content_id IS NULL) <> (survey_response_id IS NULL)', name=op.f('ck_desk_submission_one_target')),
    sa.ForeignKeyConstraint(['claimed_by_id'], ['user.id'], name=op.f('fk_desk_submission_claimed_by_id_user')),
    sa.ForeignKeyConstraint(['content_id'], ['content.id'], name=op.f('fk_desk_submission_content_id_content')),
    sa.ForeignKeyConstraint(['district_id'], ['district.id'], name=op.f('fk_desk_submission_district_id_district')),
    sa.ForeignKeyConstraint(['officer_id'], ['user.id'], name=op.f('fk_desk_submission_officer_id_user')),
    sa.ForeignKeyConstraint(['survey_response_id'], ['survey_response.id'], name=op.f('fk_desk_submission_survey_response_id_survey_response')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_desk_submission')),
    sa.UniqueConstraint('content_id', name=op.f('uq_desk_submission_content_id')),
    sa.UniqueConstraint('receipt_code', name=op.f('uq_desk_submission_receipt_code')),
    sa.UniqueConstraint('survey_response_id', name=op.f('uq_desk_submission_survey_response_id'))
    )
    with op.batch_alter_table('desk_submission', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_desk_submission_claimed_by_id'), ['claimed_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_desk_submission_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_desk_submission_district_id'), ['district_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_desk_submission_officer_id'), ['officer_id'], unique=False)

    with op.batch_alter_table('survey_response', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=16), server_default='online', nullable=False))
        batch_op.alter_column('user_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_check_constraint('channel_known', "channel IN ('online', 'face_to_face', 'desk')")
        batch_op.create_check_constraint('someone_answered', "user_id IS NOT NULL OR channel = 'desk'")

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_user_role_known'), type_='check')
        batch_op.create_check_constraint('role_known', "role IN ('resident', 'official', 'moderator', 'admin', 'desk')")


def downgrade():
    op.execute("UPDATE \"user\" SET role = 'resident' WHERE role = 'desk'")
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_user_role_known'), type_='check')
        batch_op.create_check_constraint('role_known', "role IN ('resident', 'official', 'moderator', 'admin')")

    op.drop_table('desk_submission')
    op.execute("DELETE FROM survey_answer WHERE response_id IN "
               "(SELECT id FROM survey_response WHERE user_id IS NULL)")
    op.execute("DELETE FROM survey_response WHERE user_id IS NULL")
    with op.batch_alter_table('survey_response', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_survey_response_someone_answered'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_survey_response_channel_known'), type_='check')
        batch_op.alter_column('user_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('channel')
