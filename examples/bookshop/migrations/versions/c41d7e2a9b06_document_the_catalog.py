"""document the catalog

Revision ID: c41d7e2a9b06
Revises: 2d9c5f8b1e63
Create Date: 2024-04-22 09:38:50.014377

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c41d7e2a9b06'
down_revision = '2d9c5f8b1e63'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table_comment('books', 'One row per edition (ISBN)')
    op.alter_column('books', 'stock', existing_type=sa.Integer(), comment='Copies on the shelf, net of open orders', existing_nullable=False, existing_server_default=sa.text('0'))
    op.execute("COMMENT ON VIEW low_stock_books IS 'Reorder list for the purchasing team'")
    op.execute("COMMENT ON MATERIALIZED VIEW bestsellers IS 'Refreshed hourly'")


def downgrade() -> None:
    op.execute('COMMENT ON MATERIALIZED VIEW bestsellers IS NULL')
    op.execute('COMMENT ON VIEW low_stock_books IS NULL')
    op.alter_column('books', 'stock', existing_type=sa.Integer(), comment=None, existing_comment='Copies on the shelf, net of open orders', existing_nullable=False, existing_server_default=sa.text('0'))
    op.drop_table_comment('books', existing_comment='One row per edition (ISBN)')
