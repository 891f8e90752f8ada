"""guides: admin-edited, versioned guides (a Content kind), and the closed "how to take part" box

`guide` extends `content` (joined-table inheritance, kind "guide"), so the
search outbox and index cover guides; `guide_revision` keeps the whole text of
every save. `user.guide_intro_dismissed_at` remembers that an account closed
the box. The default guides are loaded by `flask init`, not here.

Revision ID: d16a0b1c2d3e
Revises: e17a0b1c2d3e
Create Date: 2026-12-06 22:49:33.272151

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd16a0b1c2d3e'
down_revision = 'e17a0b1c2d3e'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('guide',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('title_en', sa.String(length=120), nullable=False),
    sa.Column('summary', sa.String(length=300), nullable=False),
    sa.Column('summary_en', sa.String(length=300), nullable=False),
    sa.Column('body_en_source', sa.Text(), nullable=False),
    sa.Column('body_en_html', sa.Text(), nullable=False),
    sa.Column('illustration', sa.String(length=40), nullable=True),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('revision_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['id'], ['content.id'], name=op.f('fk_guide_id_content')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_guide')),
    sa.UniqueConstraint('slug', name=op.f('uq_guide_slug'))
    )
    op.create_table('guide_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('guide_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('editor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('restored_from', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('title_en', sa.String(length=120), nullable=False),
    sa.Column('summary', sa.String(length=300), nullable=False),
    sa.Column('summary_en', sa.String(length=300), nullable=False),
    sa.Column('body_source', sa.Text(), nullable=False),
    sa.Column('body_en_source', sa.Text(), nullable=False),
    sa.Column('illustration', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['editor_id'], ['user.id'], name=op.f('fk_guide_revision_editor_id_user')),
    sa.ForeignKeyConstraint(['guide_id'], ['guide.id'], name=op.f('fk_guide_revision_guide_id_guide')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_guide_revision')),
    sa.UniqueConstraint('guide_id', 'number', name=op.f('uq_guide_revision_guide_id_number'))
    )
    with op.batch_alter_table('guide_revision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_guide_revision_guide_id'), ['guide_id'], unique=False)

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('guide_intro_dismissed_at', sa.DateTime(), nullable=True))



def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('guide_intro_dismissed_at')

    with op.batch_alter_table('guide_revision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_guide_revision_guide_id'))

    op.drop_table('guide_revision')
    op.drop_table('guide')
    # The guides' `content` rows (and their search outbox rows) go after their table.
    guides = "SELECT id FROM content WHERE kind = 'guide'"
    op.execute(f"DELETE FROM search_outbox WHERE content_id IN ({guides})")
    op.execute("DELETE FROM content WHERE kind = 'guide'")
