"""Restore drill: back up a seeded database with deploy/backup.sh, restore
it into a fresh database with deploy/restore.sh, and compare the row count of
every table. Media on local disk go into the same backup and come back too."""

import subprocess
import uuid

from bench.stack import PG_ADMIN, ROOT, drop_database, psql

COUNT_EVERY_TABLE = """
SELECT table_name || ' ' || (xpath('/row/c/text()', query_to_xml(
         format('SELECT count(*) AS c FROM %I.%I', table_schema, table_name), false, true, '')))[1]::text
FROM information_schema.tables
WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
ORDER BY table_name
"""


def row_counts(db: str) -> dict[str, int]:
    lines = psql(COUNT_EVERY_TABLE, db=db).splitlines()
    return {name: int(count) for name, count in (line.split() for line in lines)}


def test_backup_restores_every_row(scratch_db, tmp_path):
    media = tmp_path / "media"
    (media / "documents").mkdir(parents=True)
    (media / "documents" / "policy.txt").write_text("Values policy")
    backups = tmp_path / "backups"
    dump = subprocess.run(
        ["deploy/backup.sh"],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "DATABASE_URL": f"{PG_ADMIN}/{scratch_db}",
            "MEDIA_ROOT": str(media),
            "BACKUP_DIR": str(backups),
        },
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    media_archive = next(backups.glob("bewigan-media-*.tar.gz"))

    restored = f"bw_prod_restore_{uuid.uuid4().hex[:8]}"
    psql(f'CREATE DATABASE "{restored}"')
    try:
        subprocess.run(
            [
                "deploy/restore.sh",
                dump,
                f"{PG_ADMIN}/{restored}",
                str(media_archive),
                str(tmp_path / "restored-media"),
            ],
            cwd=ROOT,
            env={"PATH": "/usr/bin:/bin"},
            check=True,
            capture_output=True,
            text=True,
        )
        original = row_counts(scratch_db)
        assert len(original) > 50, "the seeded database has all the apps' tables"
        assert sum(original.values()) > 1000, "and real rows in them"
        assert original["core_user"] > 300
        assert row_counts(restored) == original
    finally:
        drop_database(restored)
    assert (tmp_path / "restored-media" / "documents" / "policy.txt").read_text() == "Values policy"
