"""identity, tokens, grants, signatures, audit chain

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 21:31:33.409902
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('access_grant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dataset_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('resources', sa.JSON(), nullable=False),
    sa.Column('valid_from', sa.DateTime(), nullable=False),
    sa.Column('valid_until', sa.DateTime(), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_reason', sa.Text(), nullable=True),
    sa.CheckConstraint('valid_until > valid_from', name=op.f('ck_access_grant_period')),
    sa.ForeignKeyConstraint(['created_by_id'], ['account.id'], name=op.f('fk_access_grant_created_by_id_account')),
    sa.ForeignKeyConstraint(['dataset_id'], ['dataset.id'], name=op.f('fk_access_grant_dataset_id_dataset')),
    sa.ForeignKeyConstraint(['user_id'], ['account.id'], name=op.f('fk_access_grant_user_id_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_grant'))
    )
    with op.batch_alter_table('access_grant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_access_grant_dataset_id'), ['dataset_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_access_grant_user_id'), ['user_id'], unique=False)

    op.create_table('api_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_used_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['account.id'], name=op.f('fk_api_token_user_id_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_token_token_hash'))
    )
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_token_user_id'), ['user_id'], unique=False)

    op.create_table('password_reset',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['account.id'], name=op.f('fk_password_reset_user_id_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_password_reset')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_password_reset_token_hash'))
    )
    with op.batch_alter_table('password_reset', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_password_reset_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('identity_encrypted', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('identity_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('identity_masked', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('agent_name', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('agent_id_encrypted', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('agent_id_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('mobile_encrypted', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('mobile_masked', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('verification', sa.String(length=12), nullable=False,
                                      server_default='unverified'))
        batch_op.add_column(sa.Column('verified_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('verification_note', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('suspended_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('suspension_reason', sa.Text(), nullable=True))
        batch_op.create_index(batch_op.f('ix_account_agent_id_hash'), ['agent_id_hash'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_account_identity_hash'), ['identity_hash'])
        batch_op.create_check_constraint(
            'verification', "verification IN ('unverified','pending','verified','rejected')")

    with op.batch_alter_table('dataset_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signature', sa.Text(), nullable=True))

    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chain_hash', sa.String(length=64), nullable=True))



def downgrade():
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_column('chain_hash')

    with op.batch_alter_table('dataset_version', schema=None) as batch_op:
        batch_op.drop_column('signature')

    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_account_verification'), type_='check')
        batch_op.drop_constraint(batch_op.f('uq_account_identity_hash'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_account_agent_id_hash'))
        batch_op.drop_column('suspension_reason')
        batch_op.drop_column('suspended_at')
        batch_op.drop_column('verification_note')
        batch_op.drop_column('verified_at')
        batch_op.drop_column('verification')
        batch_op.drop_column('mobile_masked')
        batch_op.drop_column('mobile_encrypted')
        batch_op.drop_column('agent_id_hash')
        batch_op.drop_column('agent_id_encrypted')
        batch_op.drop_column('agent_name')
        batch_op.drop_column('identity_masked')
        batch_op.drop_column('identity_hash')
        batch_op.drop_column('identity_encrypted')

    with op.batch_alter_table('password_reset', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_password_reset_user_id'))

    op.drop_table('password_reset')
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_token_user_id'))

    op.drop_table('api_token')
    with op.batch_alter_table('access_grant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_access_grant_user_id'))
        batch_op.drop_index(batch_op.f('ix_access_grant_dataset_id'))

    op.drop_table('access_grant')
