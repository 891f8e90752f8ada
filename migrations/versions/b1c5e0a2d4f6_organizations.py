"""organizations: organizations and members; content, votes and survey responses may be an organization's

One vote and one survey answer per person stay unique for a person's own
votes and answers; an organization's (organization_id set) are unique per
organization, through partial unique indexes (SQLite and PostgreSQL alike).

Revision ID: b1c5e0a2d4f6
Revises: a0c1e2d3f4b5
Create Date: 2026-12-06 22:44:28.138519

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b1c5e0a2d4f6'
down_revision = 'a0c1e2d3f4b5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('organization',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('description_html', sa.Text(), nullable=False),
    sa.Column('website', sa.String(length=300), nullable=True),
    sa.Column('contact', sa.String(length=200), nullable=True),
    sa.Column('logo_file', sa.String(length=120), nullable=True),
    sa.Column('document_file', sa.String(length=120), nullable=True),
    sa.Column('document_type', sa.String(length=40), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('status_reason', sa.String(length=1000), nullable=True),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('community', 'ngo', 'neighbourhood', 'business', 'campus', 'other')", name=op.f('ck_organization_kind_known')),
    sa.CheckConstraint("status IN ('requested', 'verified', 'refused', 'suspended')", name=op.f('ck_organization_status_known')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_organization_decided_by_id_user')),
    sa.ForeignKeyConstraint(['district_id'], ['district.id'], name=op.f('fk_organization_district_id_district')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user.id'], name=op.f('fk_organization_requested_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organization')),
    sa.UniqueConstraint('slug', name=op.f('uq_organization_slug'))
    )
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organization_district_id'), ['district_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_organization_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_organization_requested_by_id'), ['requested_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_organization_status'), ['status'], unique=False)

    op.create_table('organization_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=8), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("role IN ('admin', 'member')", name=op.f('ck_organization_member_role_known')),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_organization_member_organization_id_organization')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_organization_member_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organization_member')),
    sa.UniqueConstraint('organization_id', 'user_id', name=op.f('uq_organization_member_organization_id_user_id'))
    )
    with op.batch_alter_table('organization_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organization_member_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_organization_member_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('content', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organization_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_content_organization_id'), ['organization_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_content_organization_id_organization'), 'organization', ['organization_id'], ['id'])

    with op.batch_alter_table('survey_response', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organization_id', sa.Integer(), nullable=True))
        batch_op.drop_constraint(batch_op.f('uq_survey_response_survey_id_user_id'), type_='unique')
        batch_op.create_index(batch_op.f('ix_survey_response_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index('uq_survey_response_organization', ['survey_id', 'organization_id'], unique=True, sqlite_where=sa.text('organization_id IS NOT NULL'), postgresql_where=sa.text('organization_id IS NOT NULL'))
        batch_op.create_index('uq_survey_response_person', ['survey_id', 'user_id'], unique=True, sqlite_where=sa.text('organization_id IS NULL'), postgresql_where=sa.text('organization_id IS NULL'))
        batch_op.create_foreign_key(batch_op.f('fk_survey_response_organization_id_organization'), 'organization', ['organization_id'], ['id'])

    with op.batch_alter_table('vote', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organization_id', sa.Integer(), nullable=True))
        batch_op.drop_constraint(batch_op.f('uq_vote_content_id_user_id'), type_='unique')
        batch_op.create_index(batch_op.f('ix_vote_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index('uq_vote_organization', ['content_id', 'organization_id'], unique=True, sqlite_where=sa.text('organization_id IS NOT NULL'), postgresql_where=sa.text('organization_id IS NOT NULL'))
        batch_op.create_index('uq_vote_person', ['content_id', 'user_id'], unique=True, sqlite_where=sa.text('organization_id IS NULL'), postgresql_where=sa.text('organization_id IS NULL'))
        batch_op.create_foreign_key(batch_op.f('fk_vote_organization_id_organization'), 'organization', ['organization_id'], ['id'])



def downgrade():
    with op.batch_alter_table('vote', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_vote_organization_id_organization'), type_='foreignkey')
        batch_op.drop_index('uq_vote_person', sqlite_where=sa.text('organization_id IS NULL'), postgresql_where=sa.text('organization_id IS NULL'))
        batch_op.drop_index('uq_vote_organization', sqlite_where=sa.text('organization_id IS NOT NULL'), postgresql_where=sa.text('organization_id IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_vote_organization_id'))
        batch_op.create_unique_constraint(batch_op.f('uq_vote_content_id_user_id'), ['content_id', 'user_id'])
        batch_op.drop_column('organization_id')

    with op.batch_alter_table('survey_response', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_survey_response_organization_id_organization'), type_='foreignkey')
        batch_op.drop_index('uq_survey_response_person', sqlite_where=sa.text('organization_id IS NULL'), postgresql_where=sa.text('organization_id IS NULL'))
        batch_op.drop_index('uq_survey_response_organization', sqlite_where=sa.text('organization_id IS NOT NULL'), postgresql_where=sa.text('organization_id IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_survey_response_organization_id'))
        batch_op.create_unique_constraint(batch_op.f('uq_survey_response_survey_id_user_id'), ['survey_id', 'user_id'])
        batch_op.drop_column('organization_id')

    with op.batch_alter_table('content', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_content_organization_id_organization'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_content_organization_id'))
        batch_op.drop_column('organization_id')

    with op.batch_alter_table('organization_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organization_member_user_id'))
        batch_op.drop_index(batch_op.f('ix_organization_member_organization_id'))

    op.drop_table('organization_member')
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organization_status'))
        batch_op.drop_index(batch_op.f('ix_organization_requested_by_id'))
        batch_op.drop_index(batch_op.f('ix_organization_kind'))
        batch_op.drop_index(batch_op.f('ix_organization_district_id'))

    op.drop_table('organization')
