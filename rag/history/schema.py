"""The history file's schema: numbered migration steps, applied in order when a file is opened."""

from __future__ import annotations

import sqlite3

# Each step brings the schema from version i to i + 1; a new step is appended, never edited,
# so a file written by any earlier release is brought up to date when it is opened.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE conversations (
        id TEXT PRIMARY KEY,
        user TEXT NOT NULL DEFAULT '',
        title TEXT NOT NULL,
        created REAL NOT NULL,
        updated REAL NOT NULL
    );
    CREATE TABLE messages (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        question TEXT NOT NULL,
        answer TEXT NOT NULL,
        document_hashes TEXT NOT NULL DEFAULT '{}',
        feedback INTEGER,
        comment TEXT NOT NULL DEFAULT '',
        created REAL NOT NULL
    );
    """,
    # Collections arrived after the first schema: every earlier conversation is the default's.
    """
    ALTER TABLE conversations ADD COLUMN collection TEXT NOT NULL DEFAULT 'default';
    CREATE INDEX conversations_by_owner ON conversations(user, collection, updated);
    CREATE INDEX messages_by_conversation ON messages(conversation_id, id);
    """,
    # The answer's JSON names the generator, not the model an export must name too.
    """
    ALTER TABLE messages ADD COLUMN model TEXT NOT NULL DEFAULT '';
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(db: sqlite3.Connection) -> None:
    """Bring a file of any earlier schema up to date, in WAL mode; inside a transaction."""
    if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        db.execute("COMMIT")  # the journal mode cannot change inside a transaction
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("BEGIN IMMEDIATE")
    db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
    row = db.execute("SELECT version FROM schema_version").fetchone()
    version = row[0] if row else 0
    if version > SCHEMA_VERSION:
        raise sqlite3.DatabaseError(
            f"written by a newer release (schema {version}, this one reads {SCHEMA_VERSION})"
        )
    for step in MIGRATIONS[version:]:
        for statement in filter(str.strip, step.split(";")):
            db.execute(statement)
    if row is None:
        db.execute("INSERT INTO schema_version VALUES (?)", (SCHEMA_VERSION,))
    else:
        db.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION,))
