"""create authors and books

Revision ID: 2b8f4e1a7c93
Revises: 
Create Date: 2024-02-05 10:14:22.503118

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2b8f4e1a7c93'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'authors',
        sa.Column('id', sa.Integer(), sa.Identity(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('born_on', sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint('id', name='pk_authors'),
    )
    op.create_table(
        'books',
        sa.Column('id', sa.Integer(), sa.Identity(), nullable=False),
        sa.Column('isbn', sa.String(length=13), nullable=False),
        sa.Column('title', sa.Text(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=False),
        sa.Column('published_on', sa.Date(), nullable=True),
        sa.Column('price', sa.Numeric(precision=8, scale=2), nullable=False),
        sa.ForeignKeyConstraint(['author_id'], ['authors.id'], name='fk_books_author_id_authors'),
        sa.PrimaryKeyConstraint('id', name='pk_books'),
        sa.UniqueConstraint('isbn', name='uq_books_isbn'),
        sa.CheckConstraint('price >= 0', name='ck_books_price_nonnegative'),
    )
    op.create_index('ix_books_author_id', 'books', ['author_id'])


def downgrade() -> None:
    op.drop_index('ix_books_author_id', table_name='books')
    op.drop_table('books')
    op.drop_table('authors')
