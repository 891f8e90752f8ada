"""organization invitations and verifiers: e-mailed invitations to join an organization; the verifier grant

Revision ID: c15a0b1c2d3e
Revises: b1c5e0a2d4f6
Create Date: 2026-12-06 22:47:35.025529

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c15a0b1c2d3e'
down_revision = 'b1c5e0a2d4f6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('organization_invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('accepted_at', sa.DateTime(), nullable=True),
    sa.Column('accepted_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['accepted_by_id'], ['user.id'], name=op.f('fk_organization_invitation_accepted_by_id_user')),
    sa.ForeignKeyConstraint(['invited_by_id'], ['user.id'], name=op.f('fk_organization_invitation_invited_by_id_user')),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_organization_invitation_organization_id_organization')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organization_invitation'))
    )
    with op.batch_alter_table('organization_invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organization_invitation_organization_id'), ['organization_id'], unique=False)

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('may_verify_organizations', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('may_verify_organizations')

    with op.batch_alter_table('organization_invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organization_invitation_organization_id'))

    op.drop_table('organization_invitation')
