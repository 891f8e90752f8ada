"""desk event registrations: a desk submission may be a resident's seat at an event

`desk_submission.event_registration_id` (unique) is the third target: the
check `one_target` now asks for exactly one of content, survey response and
event registration, and `kind` knows `event`. Downgrading deletes the desk's
event receipts (the registrations themselves stay with the event).

Revision ID: f17b0c1d2e3f
Revises: d16b0c1d2e3f
Create Date: 2026-12-06 23:58:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f17b0c1d2e3f'
down_revision = 'd16b0c1d2e3f'
branch_labels = None
depends_on = None

ONE_TARGET = ("(CASE WHEN content_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN survey_response_id IS NULL THEN 0 ELSE 1 END)"
              " + (CASE WHEN event_registration_id IS NULL THEN 0 ELSE 1 END) = 1")


def upgrade():
    with op.batch_alter_table('desk_submission', schema=None) as batch_op:
        batch_op.add_column(sa.Column('event_registration_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_desk_submission_event_registration_id'),
                                          ['event_registration_id'])
        batch_op.create_foreign_key(batch_op.f('fk_desk_submission_event_registration_id_event_registration'),
                                    'event_registration', ['event_registration_id'], ['id'])
        batch_op.drop_constraint(batch_op.f('ck_desk_submission_kind_known'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_desk_submission_one_target'), type_='check')
        batch_op.create_check_constraint('kind_known', "kind IN ('aspiration', 'comment', 'survey', 'event')")
        batch_op.create_check_constraint('one_target', ONE_TARGET)


def downgrade():
    op.execute("DELETE FROM desk_submission WHERE event_registration_id IS NOT NULL")
    with op.batch_alter_table('desk_submission', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_desk_submission_one_target'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_desk_submission_kind_known'), type_='check')
        batch_op.create_check_constraint('kind_known', "kind IN ('aspiration', 'comment', 'survey')")
        batch_op.create_check_constraint('one_target', '(content_id IS NULL) <> (survey_response_id IS NULL)')
        batch_op.drop_constraint(batch_op.f('fk_desk_submission_event_registration_id_event_registration'),
                                 type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_desk_submission_event_registration_id'), type_='unique')
        batch_op.drop_column('event_registration_id')
