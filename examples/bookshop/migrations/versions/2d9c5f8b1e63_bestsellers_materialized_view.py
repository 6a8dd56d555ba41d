"""bestsellers materialized view

Revision ID: 2d9c5f8b1e63
Revises: 8a1f4c7e2d95
Create Date: 2024-04-15 15:03:27.661904

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2d9c5f8b1e63'
down_revision = '8a1f4c7e2d95'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE MATERIALIZED VIEW bestsellers AS
        SELECT oi.book_id, sum(oi.quantity) AS copies_sold
        FROM order_items oi
        JOIN orders o ON o.id = oi.order_id
        WHERE o.status IN ('paid', 'shipped')
        GROUP BY oi.book_id
        WITH DATA
        """
    )
    op.create_index('ux_bestsellers_book_id', 'bestsellers', ['book_id'], unique=True)


def downgrade() -> None:
    op.execute('DROP MATERIALIZED VIEW bestsellers')
