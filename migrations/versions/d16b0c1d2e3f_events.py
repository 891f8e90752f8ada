"""events: sosialisasi and meetings, registrations with a waiting list; meeting points and event notifications

One active registration per account and event through a partial unique
index (SQLite and PostgreSQL alike); desk registrations have no account.
A comment may be a point raised at a face-to-face meeting (`event_id`,
`agreed_count`); a notification may be about an event.

Revision ID: d16b0c1d2e3f
Revises: d16a0b1c2d3e
Create Date: 2026-12-06 22:47:43.076873

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd16b0c1d2e3f'
down_revision = 'd16a0b1c2d3e'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('description_html', sa.Text(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('latitude', sa.Numeric(precision=9, scale=6), nullable=True),
    sa.Column('longitude', sa.Numeric(precision=9, scale=6), nullable=True),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('policy_id', sa.Integer(), nullable=True),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('cancel_reason', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('reminded_at', sa.DateTime(), nullable=True),
    sa.Column('minutes', sa.Text(), nullable=True),
    sa.Column('minutes_html', sa.Text(), nullable=True),
    sa.Column('minutes_published_at', sa.DateTime(), nullable=True),
    sa.Column('attendance_total', sa.Integer(), nullable=True),
    sa.Column('attendance_breakdown', sa.JSON(), nullable=True),
    sa.CheckConstraint("kind IN ('sosialisasi', 'digital_literacy', 'consultation', 'musrenbang')", name=op.f('ck_event_kind_known')),
    sa.CheckConstraint("status IN ('scheduled', 'cancelled')", name=op.f('ck_event_status_known')),
    sa.CheckConstraint('capacity > 0', name=op.f('ck_event_capacity_positive')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_event_ends_after_start')),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_event_agency_id_agency')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_event_created_by_id_user')),
    sa.ForeignKeyConstraint(['district_id'], ['district.id'], name=op.f('fk_event_district_id_district')),
    sa.ForeignKeyConstraint(['policy_id'], ['policy.id'], name=op.f('fk_event_policy_id_policy')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event'))
    )
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_district_id'), ['district_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_policy_id'), ['policy_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_starts_at'), ['starts_at'], unique=False)

    op.create_table('event_registration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('guest_name', sa.String(length=120), nullable=True),
    sa.Column('guest_phone', sa.String(length=40), nullable=True),
    sa.Column('registered_by_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("status IN ('confirmed', 'waitlisted', 'cancelled')", name=op.f('ck_event_registration_status_known')),
    sa.CheckConstraint('user_id IS NOT NULL OR guest_name IS NOT NULL', name=op.f('ck_event_registration_someone')),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_event_registration_event_id_event')),
    sa.ForeignKeyConstraint(['registered_by_id'], ['user.id'], name=op.f('fk_event_registration_registered_by_id_user')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_event_registration_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_registration')),
    sa.UniqueConstraint('event_id', 'position', name=op.f('uq_event_registration_event_id_position'))
    )
    with op.batch_alter_table('event_registration', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_registration_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_registration_user_id'), ['user_id'], unique=False)
        batch_op.create_index('uq_event_registration_active_user', ['event_id', 'user_id'], unique=True, sqlite_where=sa.text("status != 'cancelled' AND user_id IS NOT NULL"), postgresql_where=sa.text("status != 'cancelled' AND user_id IS NOT NULL"))

    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('event_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('agreed_count', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_comment_event_id'), ['event_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_comment_event_id_event'), 'event', ['event_id'], ['id'])
        batch_op.create_check_constraint(batch_op.f('ck_comment_agreed_count_positive'),
                                         'agreed_count IS NULL OR agreed_count >= 0')

    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('event_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_notification_event_id'), ['event_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_notification_event_id_event'), 'event', ['event_id'], ['id'])



def downgrade():
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_notification_event_id_event'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_notification_event_id'))
        batch_op.drop_column('event_id')

    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_comment_agreed_count_positive'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_comment_event_id_event'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_comment_event_id'))
        batch_op.drop_column('agreed_count')
        batch_op.drop_column('event_id')

    with op.batch_alter_table('event_registration', schema=None) as batch_op:
        batch_op.drop_index('uq_event_registration_active_user', sqlite_where=sa.text("status != 'cancelled' AND user_id IS NOT NULL"), postgresql_where=sa.text("status != 'cancelled' AND user_id IS NOT NULL"))
        batch_op.drop_index(batch_op.f('ix_event_registration_user_id'))
        batch_op.drop_index(batch_op.f('ix_event_registration_event_id'))

    op.drop_table('event_registration')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_starts_at'))
        batch_op.drop_index(batch_op.f('ix_event_policy_id'))
        batch_op.drop_index(batch_op.f('ix_event_kind'))
        batch_op.drop_index(batch_op.f('ix_event_district_id'))
        batch_op.drop_index(batch_op.f('ix_event_agency_id'))

    op.drop_table('event')
