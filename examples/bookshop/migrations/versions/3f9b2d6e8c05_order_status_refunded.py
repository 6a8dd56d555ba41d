"""order status refunded

Revision ID: 3f9b2d6e8c05
Revises: a0c4f8e3d617
Create Date: 2024-03-04 11:52:09.664180

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3f9b2d6e8c05'
down_revision = 'a0c4f8e3d617'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Safe inside the migration transaction as long as nothing below uses 'refunded' before commit.
    op.execute("ALTER TYPE order_status ADD VALUE 'refunded' AFTER 'shipped'")


def downgrade() -> None:
    op.execute("UPDATE orders SET status = 'cancelled' WHERE status = 'refunded'")
    op.execute('ALTER TYPE order_status RENAME TO order_status_old')
    op.execute("CREATE TYPE order_status AS ENUM ('pending', 'paid', 'shipped', 'cancelled')")
    op.execute('ALTER TABLE orders ALTER COLUMN status DROP DEFAULT')
    op.execute('ALTER TABLE orders ALTER COLUMN status TYPE order_status USING status::text::order_status')
    op.execute("ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'pending'")
    op.execute('DROP TYPE order_status_old')
