"""merge reviews feature

Revision ID: b5e8a3d0c6f1
Revises: 4c6d0e2b8f37, 06f3b9e1d7a2
Create Date: 2024-03-27 10:00:41.338195

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b5e8a3d0c6f1'
down_revision = ('4c6d0e2b8f37', '06f3b9e1d7a2')
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
