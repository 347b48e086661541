"""postgres search: the search_document table of portal.search.postgres (PostgreSQL only)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 20:30:00.000000

On other databases (SQLite) this revision does nothing: the Whoosh backend keeps its index in
the instance folder. Index and constraint names follow PostgreSQL's own pattern
(<table>_<column>_idx, <table>_pkey) because `PostgresBackend.rebuild` creates its new table with
CREATE TABLE ... (LIKE search_document INCLUDING ALL), which names the copies the same way, and
renames them back after the swap.
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

BTREE_COLUMNS = ('department', 'domain', 'open_access', 'update_frequency')
GIN_COLUMNS = ('document', 'keywords', 'formats')


def _postgresql():
    return op.get_bind().dialect.name == 'postgresql'


def upgrade():
    if not _postgresql():
        return
    op.create_table('search_document',
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('title_sort', sa.Text(collation='C'), nullable=False),
    sa.Column('department', sa.Text(), nullable=False),
    sa.Column('domain', sa.Text(), nullable=False),
    sa.Column('open_access', sa.Text(), nullable=False),
    sa.Column('update_frequency', sa.Text(), nullable=False),
    sa.Column('keywords', postgresql.ARRAY(sa.Text()), nullable=False),
    sa.Column('formats', postgresql.ARRAY(sa.Text()), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('downloads', sa.BigInteger(), nullable=False),
    sa.Column('document', postgresql.TSVECTOR(), nullable=False),
    sa.PrimaryKeyConstraint('name', name='search_document_pkey')
    )
    for column in BTREE_COLUMNS:
        op.create_index(f'search_document_{column}_idx', 'search_document', [column], unique=False)
    for column in GIN_COLUMNS:
        op.create_index(f'search_document_{column}_idx', 'search_document', [column], unique=False,
                        postgresql_using='gin')


def downgrade():
    if not _postgresql():
        return
    # leftovers of an interrupted PostgresBackend.rebuild go too
    op.execute('DROP TABLE IF EXISTS search_document_new')
    op.execute('DROP TABLE IF EXISTS search_document_old')
    op.drop_table('search_document')
