"""Create the open-data plan tables.

Revision ID: 4c2a1f0d9b31
Revises:
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "4c2a1f0d9b31"
down_revision = None
branch_labels = None
depends_on = None


def _timestamps():
    return [
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("modified", sa.DateTime, nullable=False),
    ]


def upgrade():
    op.create_table(
        "vndata_plan",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("series_id", sa.Text, nullable=False, index=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("organization_id", sa.Text, nullable=False, index=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("period_start", sa.Integer),
        sa.Column("period_end", sa.Integer),
        sa.Column("decision_number", sa.Text),
        sa.Column("decision_date", sa.Date),
        sa.Column("decision_signer", sa.Text),
        sa.Column("submission_ref", sa.Text),
        sa.Column("legal_basis", sa.Text),
        sa.Column("objectives", sa.Text),
        sa.Column("contact_name", sa.Text),
        sa.Column("contact_email", sa.Text),
        sa.Column("contact_phone", sa.Text),
        sa.Column("safety_measures", sa.Text),
        sa.Column("promotion_measures", sa.Text),
        sa.Column("review_interval_months", sa.Integer, nullable=False),
        sa.Column("last_review_date", sa.Date),
        sa.Column("next_review_date", sa.Date),
        sa.Column("status", sa.Text, nullable=False, index=True),
        sa.Column("creator_user_id", sa.Text),
        *_timestamps(),
    )
    op.create_table(
        "vndata_plan_phase",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column(
            "plan_id",
            sa.Text,
            sa.ForeignKey("vndata_plan.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("start_date", sa.Date, nullable=False),
        sa.Column("end_date", sa.Date, nullable=False),
        sa.Column("min_datasets", sa.Integer),
        sa.Column("min_percent_published", sa.Float),
        sa.Column("min_stars", sa.Integer),
        sa.Column("min_percent_machine_readable", sa.Float),
        sa.Column("min_percent_api", sa.Float),
        sa.Column("min_percent_complete_metadata", sa.Float),
        sa.Column("min_percent_updated_on_schedule", sa.Float),
    )
    op.create_table(
        "vndata_plan_item",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("key", sa.Text, nullable=False, index=True),
        sa.Column(
            "plan_id",
            sa.Text,
            sa.ForeignKey("vndata_plan.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column(
            "phase_id",
            sa.Text,
            sa.ForeignKey("vndata_plan_phase.id", ondelete="SET NULL"),
        ),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("description", sa.Text),
        sa.Column("sector", sa.Text),
        sa.Column("lead_agency", sa.Text),
        sa.Column("cooperating_agencies", sa.Text),
        sa.Column("source_database", sa.Text),
        sa.Column("source_database_type", sa.Text),
        sa.Column("formats", sa.Text),
        sa.Column("channel", sa.Text),
        sa.Column("update_frequency", sa.Text),
        sa.Column("priority", sa.Text),
        sa.Column("demand_evidence", sa.Text),
        sa.Column("target_date", sa.Date),
        sa.Column("importance_class", sa.Text, nullable=False),
        sa.Column("removed_reason", sa.Text),
        *_timestamps(),
    )
    op.create_table(
        "vndata_plan_item_dataset",
        sa.Column("item_key", sa.Text, primary_key=True),
        sa.Column("package_id", sa.Text, primary_key=True, index=True),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("linked_by", sa.Text),
        sa.Column("linked_at", sa.DateTime, nullable=False),
        sa.Column("is_public", sa.Boolean, nullable=False),
        sa.Column("published_date", sa.Date),
        sa.Column("next_update_due", sa.Date),
        sa.Column("openness_stars", sa.Integer, nullable=False),
        sa.Column("machine_readable", sa.Boolean, nullable=False),
        sa.Column("has_api", sa.Boolean, nullable=False),
        sa.Column("metadata_complete", sa.Boolean, nullable=False),
        sa.Column("synced_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "vndata_plan_event",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column(
            "plan_id",
            sa.Text,
            sa.ForeignKey("vndata_plan.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("transition", sa.Text, nullable=False),
        sa.Column("from_status", sa.Text),
        sa.Column("to_status", sa.Text, nullable=False),
        sa.Column("user_id", sa.Text),
        sa.Column("comment", sa.Text),
        sa.Column("created", sa.DateTime, nullable=False),
    )


def downgrade():
    for table in (
        "vndata_plan_event",
        "vndata_plan_item_dataset",
        "vndata_plan_item",
        "vndata_plan_phase",
        "vndata_plan",
    ):
        op.drop_table(table)
