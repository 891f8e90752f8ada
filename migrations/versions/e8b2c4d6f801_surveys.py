"""surveys: questionnaires, questions, choices, responses and answers; policy.survey_count

Revision ID: e8b2c4d6f801
Revises: b4f6a8c0d2e3
Create Date: 2026-11-28 20:23:41.242324

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e8b2c4d6f801'
down_revision = 'b4f6a8c0d2e3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('policy', schema=None) as batch_op:
        batch_op.add_column(sa.Column('survey_count', sa.Integer(), server_default='0', nullable=False))

    op.create_table('survey',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('policy_id', sa.Integer(), nullable=True),
    sa.Column('previous_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('service_name', sa.String(length=200), nullable=True),
    sa.Column('intro', sa.Text(), nullable=False),
    sa.Column('intro_html', sa.Text(), nullable=False),
    sa.Column('opens_at', sa.DateTime(), nullable=False),
    sa.Column('closes_at', sa.DateTime(), nullable=True),
    sa.Column('results_public', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('ask_demographics', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('response_count', sa.Integer(), nullable=False),
    sa.CheckConstraint('closes_at IS NULL OR closes_at > opens_at', name=op.f('ck_survey_window_ordered')),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_survey_agency_id_agency')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_survey_created_by_id_user')),
    sa.ForeignKeyConstraint(['policy_id'], ['policy.id'], name=op.f('fk_survey_policy_id_policy')),
    sa.ForeignKeyConstraint(['previous_id'], ['survey.id'], name=op.f('fk_survey_previous_id_survey')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey'))
    )
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_policy_id'), ['policy_id'], unique=False)

    op.create_table('survey_question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('text', sa.String(length=500), nullable=False),
    sa.Column('required', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('allow_other', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('low_label', sa.String(length=80), nullable=True),
    sa.Column('high_label', sa.String(length=80), nullable=True),
    sa.CheckConstraint("kind IN ('single', 'multiple', 'likert', 'rating', 'short_text', 'long_text')", name=op.f('ck_survey_question_kind_known')),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_survey_question_survey_id_survey')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_question'))
    )
    with op.batch_alter_table('survey_question', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_question_survey_id'), ['survey_id'], unique=False)

    op.create_table('survey_response',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kecamatan_id', sa.Integer(), nullable=True),
    sa.Column('age_band', sa.String(length=16), nullable=True),
    sa.Column('gender', sa.String(length=16), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['kecamatan_id'], ['district.id'], name=op.f('fk_survey_response_kecamatan_id_district')),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_survey_response_survey_id_survey')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_survey_response_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_response')),
    sa.UniqueConstraint('survey_id', 'user_id', name=op.f('uq_survey_response_survey_id_user_id'))
    )
    with op.batch_alter_table('survey_response', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_response_user_id'), ['user_id'], unique=False)

    op.create_table('survey_choice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['survey_question.id'], name=op.f('fk_survey_choice_question_id_survey_question')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_choice'))
    )
    with op.batch_alter_table('survey_choice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_choice_question_id'), ['question_id'], unique=False)

    op.create_table('survey_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('choice_id', sa.Integer(), nullable=True),
    sa.Column('value', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('kecamatan_id', sa.Integer(), nullable=True),
    sa.Column('age_band', sa.String(length=16), nullable=True),
    sa.Column('gender', sa.String(length=16), nullable=True),
    sa.ForeignKeyConstraint(['choice_id'], ['survey_choice.id'], name=op.f('fk_survey_answer_choice_id_survey_choice')),
    sa.ForeignKeyConstraint(['kecamatan_id'], ['district.id'], name=op.f('fk_survey_answer_kecamatan_id_district')),
    sa.ForeignKeyConstraint(['question_id'], ['survey_question.id'], name=op.f('fk_survey_answer_question_id_survey_question')),
    sa.ForeignKeyConstraint(['response_id'], ['survey_response.id'], name=op.f('fk_survey_answer_response_id_survey_response')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_answer'))
    )
    with op.batch_alter_table('survey_answer', schema=None) as batch_op:
        batch_op.create_index('ix_survey_answer_question_choice_value', ['question_id', 'choice_id', 'value', 'response_id'], unique=False)
        batch_op.create_index('ix_survey_answer_by_kecamatan', ['question_id', 'kecamatan_id', 'choice_id', 'value', 'response_id'], unique=False)
        batch_op.create_index('ix_survey_answer_by_age_band', ['question_id', 'age_band', 'choice_id', 'value', 'response_id'], unique=False)
        batch_op.create_index('ix_survey_answer_by_gender', ['question_id', 'gender', 'choice_id', 'value', 'response_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_answer_response_id'), ['response_id'], unique=False)


def downgrade():
    with op.batch_alter_table('survey_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_answer_response_id'))
        batch_op.drop_index('ix_survey_answer_by_gender')
        batch_op.drop_index('ix_survey_answer_by_age_band')
        batch_op.drop_index('ix_survey_answer_by_kecamatan')
        batch_op.drop_index('ix_survey_answer_question_choice_value')

    op.drop_table('survey_answer')
    with op.batch_alter_table('survey_choice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_choice_question_id'))

    op.drop_table('survey_choice')
    with op.batch_alter_table('survey_response', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_response_user_id'))

    op.drop_table('survey_response')
    with op.batch_alter_table('survey_question', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_question_survey_id'))

    op.drop_table('survey_question')
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_policy_id'))
        batch_op.drop_index(batch_op.f('ix_survey_agency_id'))

    op.drop_table('survey')
    with op.batch_alter_table('policy', schema=None) as batch_op:
        batch_op.drop_column('survey_count')
