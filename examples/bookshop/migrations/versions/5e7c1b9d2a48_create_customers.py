"""create customers

Revision ID: 5e7c1b9d2a48
Revises: 9d3e6a0f5b12
Create Date: 2024-02-12 09:03:51.880412

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = '5e7c1b9d2a48'
down_revision = '9d3e6a0f5b12'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'customers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('email', sa.String(length=255), nullable=False),
        sa.Column('first_name', sa.String(length=100), nullable=False),
        sa.Column('last_name', sa.String(length=100), nullable=False),
        sa.Column('created_at', postgresql.TIMESTAMP(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.PrimaryKeyConstraint('id', name='pk_customers'),
    )
    op.create_index('ux_customers_email_lower', 'customers', [sa.text('lower(email)')], unique=True)


def downgrade() -> None:
    op.drop_index('ux_customers_email_lower', table_name='customers')
    op.drop_table('customers')
