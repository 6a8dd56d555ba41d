"""genres lookup

Revision ID: 9d3e6a0f5b12
Revises: 2b8f4e1a7c93
Create Date: 2024-02-07 15:40:03.227940

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9d3e6a0f5b12'
down_revision = '2b8f4e1a7c93'
branch_labels = None
depends_on = None


def upgrade() -> None:
    genres = op.create_table(
        'genres',
        sa.Column('code', sa.String(length=20), nullable=False),
        sa.Column('label', sa.String(length=60), nullable=False),
        sa.PrimaryKeyConstraint('code', name='pk_genres'),
    )
    op.bulk_insert(
        genres,
        [
            {'code': 'fiction', 'label': 'Fiction'},
            {'code': 'mystery', 'label': 'Mystery & Crime'},
            {'code': 'scifi', 'label': 'Science Fiction'},
            {'code': 'history', 'label': 'History'},
            {'code': 'children', 'label': "Children's Books"},
        ],
    )
    op.create_table(
        'book_genres',
        sa.Column('book_id', sa.Integer(), nullable=False),
        sa.Column('genre_code', sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(['book_id'], ['books.id'], name='fk_book_genres_book_id_books', ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['genre_code'], ['genres.code'], name='fk_book_genres_genre_code_genres'),
        sa.PrimaryKeyConstraint('book_id', 'genre_code', name='pk_book_genres'),
    )


def downgrade() -> None:
    op.drop_table('book_genres')
    op.drop_table('genres')
