"""The database refuses UPDATE (and on PostgreSQL DELETE) of ledger entries, as it does for
audit events (audit/migrations/0002): SQLite gets the UPDATE trigger only, since Django's
test flush deletes rows there; DELETE is refused in Python (LedgerEntry.delete)."""

from django.db import migrations

PG_UP = [
    """
CREATE OR REPLACE FUNCTION vouchers_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ledger entries are append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql
""",
    """
CREATE TRIGGER vouchers_ledger_append_only
    BEFORE UPDATE OR DELETE ON vouchers_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION vouchers_ledger_append_only()
""",
]
PG_DOWN = [
    "DROP TRIGGER IF EXISTS vouchers_ledger_append_only ON vouchers_ledgerentry",
    "DROP FUNCTION IF EXISTS vouchers_ledger_append_only()",
]
SQLITE_UP = """
CREATE TRIGGER vouchers_ledger_no_update BEFORE UPDATE ON vouchers_ledgerentry
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only (UPDATE refused)'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS vouchers_ledger_no_update;"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for statement in PG_UP:
            schema_editor.execute(statement, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for statement in PG_DOWN:
            schema_editor.execute(statement, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("vouchers", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
