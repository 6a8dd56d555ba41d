"""create orders

Revision ID: a0c4f8e3d617
Revises: 5e7c1b9d2a48
Create Date: 2024-02-19 13:26:37.015693

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = 'a0c4f8e3d617'
down_revision = '5e7c1b9d2a48'
branch_labels = None
depends_on = None


def upgrade() -> None:
    order_status = postgresql.ENUM('pending', 'paid', 'shipped', 'cancelled', name='order_status')
    op.create_table(
        'orders',
        sa.Column('id', sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column('customer_id', sa.Integer(), nullable=False),
        sa.Column('status', order_status, server_default='pending', nullable=False),
        sa.Column('placed_at', postgresql.TIMESTAMP(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.Column('total', sa.Numeric(precision=10, scale=2), server_default='0', nullable=False),
        sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name='fk_orders_customer_id_customers'),
        sa.PrimaryKeyConstraint('id', name='pk_orders'),
    )
    op.create_table(
        'order_items',
        sa.Column('order_id', sa.BigInteger(), nullable=False),
        sa.Column('book_id', sa.Integer(), nullable=False),
        sa.Column('quantity', sa.Integer(), nullable=False),
        sa.Column('unit_price', sa.Numeric(precision=8, scale=2), nullable=False),
        sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name='fk_order_items_order_id_orders', ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['book_id'], ['books.id'], name='fk_order_items_book_id_books'),
        sa.PrimaryKeyConstraint('order_id', 'book_id', name='pk_order_items'),
        sa.CheckConstraint('quantity > 0', name='ck_order_items_quantity_positive'),
    )


def downgrade() -> None:
    op.drop_table('order_items')
    op.drop_table('orders')
    op.execute('DROP TYPE order_status')
