"""stock levels

Revision ID: d2a7f1c5e904
Revises: 71e5a9c3b2d4
Create Date: 2024-03-19 09:12:30.556781

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd2a7f1c5e904'
down_revision = '71e5a9c3b2d4'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('books', sa.Column('stock', sa.Integer(), server_default='0', nullable=False))
    op.create_check_constraint('ck_books_stock_nonnegative', 'books', 'stock >= 0')
    op.execute(
        """
        CREATE VIEW low_stock_books AS
        SELECT id, isbn, title, stock FROM books WHERE stock < 5
        """
    )


def downgrade() -> None:
    op.execute('DROP VIEW low_stock_books')
    op.drop_constraint('ck_books_stock_nonnegative', 'books', type_='check')
    op.drop_column('books', 'stock')
