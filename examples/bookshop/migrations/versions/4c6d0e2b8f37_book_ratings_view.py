"""book ratings view

Revision ID: 4c6d0e2b8f37
Revises: e8b2c6f4a190
Create Date: 2024-03-20 14:47:58.120573

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4c6d0e2b8f37'
down_revision = 'e8b2c6f4a190'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE VIEW book_ratings AS
        SELECT b.id AS book_id,
               b.title,
               count(r.id) AS reviews,
               round(avg(r.rating), 2) AS average_rating
        FROM books b
        LEFT JOIN reviews r ON r.book_id = b.id
        GROUP BY b.id, b.title
        """
    )


def downgrade() -> None:
    op.execute('DROP VIEW book_ratings')
