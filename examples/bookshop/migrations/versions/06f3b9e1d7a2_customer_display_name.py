"""customer display name

Revision ID: 06f3b9e1d7a2
Revises: d2a7f1c5e904
Create Date: 2024-03-25 17:20:06.903422

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '06f3b9e1d7a2'
down_revision = 'd2a7f1c5e904'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('customers', sa.Column('display_name', sa.String(length=201), nullable=True))
    conn = op.get_bind()
    conn.execute(
        sa.text(
            "UPDATE customers SET display_name = first_name || ' ' || last_name "
            "WHERE display_name IS NULL"
        )
    )
    op.alter_column('customers', 'display_name', existing_type=sa.String(length=201), nullable=False)


def downgrade() -> None:
    op.drop_column('customers', 'display_name')
