"""applications, notifications

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 22:19:17.510584
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():

    op.create_table('notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=True),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('link', sa.String(length=300), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.Column('emailed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['account.id'], name=op.f('fk_notification_user_id_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification')),
    sa.UniqueConstraint('user_id', 'key', name=op.f('uq_notification_user_key'))
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_notification_user_id'), ['user_id'], unique=False)

    op.create_table('application',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('receipt', sa.String(length=32), nullable=False),
    sa.Column('dataset_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('applicant_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('scenario', sa.Text(), nullable=False),
    sa.Column('security_measures', sa.Text(), nullable=False),
    sa.Column('requested', sa.JSON(), nullable=False),
    sa.Column('period_from', sa.Date(), nullable=False),
    sa.Column('period_until', sa.Date(), nullable=False),
    sa.Column('pledge_version', sa.String(length=40), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('clock_start', sa.Date(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('deadline_provisional', sa.Boolean(), nullable=False),
    sa.Column('extension_state', sa.String(length=10), nullable=False),
    sa.Column('extension_days', sa.Integer(), nullable=True),
    sa.Column('extension_reason', sa.Text(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decision_reasons', sa.Text(), nullable=True),
    sa.Column('decision_basis', sa.Text(), nullable=True),
    sa.Column('grant_id', sa.Integer(), nullable=True),
    sa.Column('overdue_since', sa.Date(), nullable=True),
    sa.CheckConstraint("extension_state IN ('none','proposed','approved','rejected')", name=op.f('ck_application_extension_state')),
    sa.CheckConstraint("state IN ('submitted','supplement','approved','denied','withdrawn')", name=op.f('ck_application_state')),
    sa.CheckConstraint('period_until > period_from', name=op.f('ck_application_period')),
    sa.ForeignKeyConstraint(['applicant_id'], ['account.id'], name=op.f('fk_application_applicant_id_account')),
    sa.ForeignKeyConstraint(['dataset_id'], ['dataset.id'], name=op.f('fk_application_dataset_id_dataset')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['account.id'], name=op.f('fk_application_decided_by_id_account')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_application_department_id_department')),
    sa.ForeignKeyConstraint(['grant_id'], ['access_grant.id'], name=op.f('fk_application_grant_id_access_grant')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application')),
    sa.UniqueConstraint('receipt', name=op.f('uq_application_receipt'))
    )
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_applicant_id'), ['applicant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_application_dataset_id'), ['dataset_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_application_deadline'), ['deadline'], unique=False)
        batch_op.create_index(batch_op.f('ix_application_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_application_state'), ['state'], unique=False)

    op.create_table('application_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('stored_as', sa.String(length=200), nullable=False),
    sa.Column('mediatype', sa.String(length=80), nullable=False),
    sa.Column('bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_application_document_application_id_application')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_document'))
    )
    with op.batch_alter_table('application_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_document_application_id'), ['application_id'], unique=False)

    op.create_table('application_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['account.id'], name=op.f('fk_application_event_actor_id_account')),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_application_event_application_id_application')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_event'))
    )
    with op.batch_alter_table('application_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_event_application_id'), ['application_id'], unique=False)

    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=200), nullable=True))




def downgrade():

    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_column('email')

    with op.batch_alter_table('application_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_event_application_id'))

    op.drop_table('application_event')
    with op.batch_alter_table('application_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_document_application_id'))

    op.drop_table('application_document')
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_state'))
        batch_op.drop_index(batch_op.f('ix_application_department_id'))
        batch_op.drop_index(batch_op.f('ix_application_deadline'))
        batch_op.drop_index(batch_op.f('ix_application_dataset_id'))
        batch_op.drop_index(batch_op.f('ix_application_applicant_id'))

    op.drop_table('application')
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_user_id'))
        batch_op.drop_index(batch_op.f('ix_notification_created_at'))

    op.drop_table('notification')

