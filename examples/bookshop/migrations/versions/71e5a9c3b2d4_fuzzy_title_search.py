"""fuzzy title search

Revision ID: 71e5a9c3b2d4
Revises: 3f9b2d6e8c05
Create Date: 2024-03-11 16:08:44.309257

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '71e5a9c3b2d4'
down_revision = '3f9b2d6e8c05'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    op.create_index(
        'ix_books_title_trgm', 'books', ['title'],
        postgresql_using='gin', postgresql_ops={'title': 'gin_trgm_ops'},
    )


def downgrade() -> None:
    op.drop_index('ix_books_title_trgm', table_name='books')
    op.execute('DROP EXTENSION IF EXISTS pg_trgm')
