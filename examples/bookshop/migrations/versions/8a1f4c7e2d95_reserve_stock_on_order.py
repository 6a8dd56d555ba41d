"""reserve stock on order

Revision ID: 8a1f4c7e2d95
Revises: b5e8a3d0c6f1
Create Date: 2024-04-08 11:45:19.470266

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8a1f4c7e2d95'
down_revision = 'b5e8a3d0c6f1'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE FUNCTION reserve_stock() RETURNS trigger
        LANGUAGE plpgsql AS $$
        DECLARE
            remaining integer;
        BEGIN
            UPDATE books SET stock = stock - NEW.quantity
             WHERE id = NEW.book_id AND stock >= NEW.quantity
            RETURNING stock INTO remaining;
            IF NOT FOUND THEN
                RAISE EXCEPTION 'not enough stock for book % (wanted %)', NEW.book_id, NEW.quantity;
            END IF;
            IF remaining < 5 THEN
                RAISE NOTICE 'book % is running low: % left', NEW.book_id, remaining;
            END IF;
            UPDATE orders SET total = total + NEW.quantity * NEW.unit_price WHERE id = NEW.order_id;
            RETURN NEW;
        END;
        $$
        """
    )
    op.execute(
        'CREATE TRIGGER order_items_reserve_stock BEFORE INSERT ON order_items '
        'FOR EACH ROW EXECUTE FUNCTION reserve_stock()'
    )


def downgrade() -> None:
    op.execute('DROP TRIGGER order_items_reserve_stock ON order_items')
    op.execute('DROP FUNCTION reserve_stock()')
