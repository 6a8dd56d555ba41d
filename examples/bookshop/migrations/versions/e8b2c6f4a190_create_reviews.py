"""create reviews

Revision ID: e8b2c6f4a190
Revises: 71e5a9c3b2d4
Create Date: 2024-03-18 10:31:15.772046

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = 'e8b2c6f4a190'
down_revision = '71e5a9c3b2d4'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'reviews',
        sa.Column('id', sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column('book_id', sa.Integer(), nullable=False),
        sa.Column('customer_id', sa.Integer(), nullable=False),
        sa.Column('rating', sa.SmallInteger(), nullable=False),
        sa.Column('body', sa.Text(), nullable=True),
        sa.Column('created_at', postgresql.TIMESTAMP(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.ForeignKeyConstraint(['book_id'], ['books.id'], name='fk_reviews_book_id_books', ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name='fk_reviews_customer_id_customers'),
        sa.PrimaryKeyConstraint('id', name='pk_reviews'),
        sa.UniqueConstraint('book_id', 'customer_id', name='uq_reviews_book_id_customer_id'),
        sa.CheckConstraint('rating BETWEEN 1 AND 5', name='ck_reviews_rating_range'),
    )


def downgrade() -> None:
    op.drop_table('reviews')
