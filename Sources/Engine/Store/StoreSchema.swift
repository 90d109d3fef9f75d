import GRDB

/// Named, append-only migrations. Never edit a registered migration: add a new one.
enum StoreSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: workflow versions, runs, steps, events") { db in
            try db.execute(
                sql: """
                    CREATE TABLE workflow_version (
                        version TEXT PRIMARY KEY,
                        name TEXT NOT NULL,
                        file TEXT NOT NULL,
                        source TEXT NOT NULL,
                        first_loaded_at REAL NOT NULL
                    );
                    CREATE TABLE run (
                        id TEXT PRIMARY KEY,
                        seq INTEGER NOT NULL,
                        workflow TEXT NOT NULL,
                        version TEXT NOT NULL REFERENCES workflow_version(version),
                        status TEXT NOT NULL,
                        trigger_type TEXT NOT NULL,
                        trigger_key TEXT,
                        trigger_json TEXT NOT NULL,
                        input_json TEXT NOT NULL,
                        concurrency_key TEXT,
                        created_at REAL NOT NULL,
                        started_at REAL,
                        ended_at REAL,
                        error TEXT,
                        output_json TEXT,
                        retry_of TEXT,
                        deadline REAL
                    );
                    CREATE INDEX run_by_status ON run(status);
                    CREATE INDEX run_by_seq ON run(seq);
                    CREATE INDEX run_by_workflow ON run(workflow, seq);
                    CREATE TABLE step_run (
                        run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                        step_id TEXT NOT NULL,
                        type TEXT NOT NULL,
                        status TEXT NOT NULL,
                        attempts INTEGER NOT NULL DEFAULT 0,
                        started_at REAL,
                        ended_at REAL,
                        output_json TEXT,
                        error TEXT,
                        wake_at REAL,
                        PRIMARY KEY (run_id, step_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX step_run_wake ON step_run(wake_at) WHERE wake_at IS NOT NULL;
                    CREATE TABLE run_event (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        at REAL NOT NULL,
                        type TEXT NOT NULL,
                        run_id TEXT NOT NULL,
                        workflow TEXT NOT NULL,
                        step TEXT,
                        attempt INTEGER,
                        status TEXT,
                        error TEXT,
                        output_json TEXT
                    );
                    CREATE INDEX run_event_by_run ON run_event(run_id, seq);
                    CREATE TABLE item_run (
                        run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                        step_id TEXT NOT NULL,
                        idx INTEGER NOT NULL,
                        status TEXT NOT NULL,
                        attempts INTEGER NOT NULL DEFAULT 0,
                        output_json TEXT,
                        error TEXT,
                        PRIMARY KEY (run_id, step_id, idx)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v2: schedule ledger, deliveries, events, waits, approvals") { db in
            try db.execute(
                sql: """
                    CREATE TABLE schedule_ledger (
                        workflow TEXT NOT NULL,
                        trigger_key TEXT NOT NULL,
                        scheduled_at REAL NOT NULL,
                        fired_at REAL NOT NULL,
                        run_id TEXT,
                        outcome TEXT NOT NULL,
                        PRIMARY KEY (workflow, trigger_key, scheduled_at)
                    ) WITHOUT ROWID;
                    CREATE TABLE delivery (
                        id TEXT PRIMARY KEY,
                        workflow TEXT NOT NULL,
                        path TEXT NOT NULL,
                        dedupe_key TEXT,
                        received_at REAL NOT NULL,
                        outcome TEXT NOT NULL,
                        reason TEXT,
                        run_id TEXT,
                        event_id TEXT,
                        headers_json TEXT,
                        body BLOB
                    );
                    CREATE UNIQUE INDEX delivery_dedupe ON delivery(workflow, dedupe_key) WHERE dedupe_key IS NOT NULL;
                    CREATE INDEX delivery_by_time ON delivery(received_at);
                    CREATE TABLE event (
                        id TEXT PRIMARY KEY,
                        seq INTEGER NOT NULL,
                        name TEXT NOT NULL,
                        key TEXT,
                        data_json TEXT NOT NULL,
                        received_at REAL NOT NULL,
                        source TEXT NOT NULL
                    );
                    CREATE INDEX event_by_name_key ON event(name, key, received_at);
                    CREATE INDEX event_by_time ON event(received_at);
                    CREATE TABLE wait (
                        run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                        step_id TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        event_name TEXT,
                        key TEXT,
                        created_at REAL NOT NULL,
                        not_before REAL,
                        deadline REAL,
                        spec_json TEXT NOT NULL,
                        PRIMARY KEY (run_id, step_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX wait_by_event ON wait(event_name, key);
                    CREATE TABLE approval_decision (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                        step_id TEXT NOT NULL,
                        user TEXT NOT NULL,
                        uid INTEGER NOT NULL,
                        approved INTEGER NOT NULL,
                        comment TEXT,
                        at REAL NOT NULL
                    );
                    CREATE INDEX approval_by_run ON approval_decision(run_id, step_id);
                    """)
        }
        migrator.registerMigration("v3: approvals listed without scanning event waits") { db in
            // `triggerctl approvals` asks for approval waits oldest first; with 100,000 runs parked on events the
            // listing scanned them all.
            try db.execute(sql: "CREATE INDEX wait_by_kind ON wait(kind, created_at)")
        }
        migrator.registerMigration("v4: event waits found by name and key again") { db in
            // v3's wait_by_kind(kind, created_at) also matched the `kind = 'event'` of the lookups every emit makes,
            // and SQLite preferred it to wait_by_event(event_name, key): each emit scanned every parked event wait
            // (parking fell from ~900/s to 93/s by 22,000 parked). A partial index holding approval waits only
            // serves the listing and nothing else. Key-less event waits look back by name and time.
            try db.execute(
                sql: """
                    DROP INDEX wait_by_kind;
                    CREATE INDEX wait_approval_by_time ON wait(created_at) WHERE kind = 'approval';
                    CREATE INDEX event_by_name_time ON event(name, received_at);
                    """)
        }
        migrator.registerMigration("v5: console tokens") { db in
            // Only the SHA-256 of a token is kept: the token itself is printed once by `triggerctl token create`.
            try db.execute(
                sql: """
                    CREATE TABLE console_token (
                        name TEXT PRIMARY KEY,
                        role TEXT NOT NULL,
                        hash TEXT NOT NULL UNIQUE,
                        created_at REAL NOT NULL,
                        created_by TEXT NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v6: ledger reasons, runs listed by trigger kind and status in order") { db in
            // Every ledger row says why (a skip, a catch-up, a missed slot); rows written before keep NULL and get a
            // reason derived from their outcome when read (ScheduleSlot.derivedReason).
            //
            // `run.trigger_type` becomes the run's trigger *kind*: `retry` for retries and `replay` for replays of a
            // delivery (whose trigger JSON keeps the original `type`), so `GET /v1/runs?trigger=` is one index range.
            // (status) alone made `?status=completed ORDER BY seq DESC LIMIT 50` sort every completed run; with seq
            // in the index each filter reads one page of index entries, whatever the number of runs. "Failed runs of
            // one workflow" is common enough for its own index: without it SQLite walked every failed run.
            try db.execute(
                sql: """
                    ALTER TABLE schedule_ledger ADD COLUMN reason TEXT;
                    UPDATE run SET trigger_type = 'replay'
                        WHERE trigger_type = 'webhook' AND json_extract(trigger_json, '$.replay_of') IS NOT NULL;
                    UPDATE run SET trigger_type = 'retry' WHERE retry_of IS NOT NULL;
                    DROP INDEX run_by_status;
                    CREATE INDEX run_by_status ON run(status, seq);
                    CREATE INDEX run_by_trigger ON run(trigger_type, seq);
                    CREATE INDEX run_by_workflow_status ON run(workflow, status, seq);
                    """)
        }
        migrator.registerMigration("v7: work queue") { db in
            // Accepting work writes the run row only, as `pending` with `claim_seq = 0`; starting it is a claim
            // that raises `claim_seq` in the transaction that writes its steps. Rows from before the queue were
            // all started, so they count as claimed. `owner` names the node holding the claim. The partial index
            // holds only unclaimed rows: the claimer's scan per workflow never touches the history.
            try db.execute(
                sql: """
                    ALTER TABLE run ADD COLUMN claim_seq INTEGER NOT NULL DEFAULT 1;
                    ALTER TABLE run ADD COLUMN owner TEXT;
                    CREATE INDEX run_queue ON run(workflow, seq) WHERE claim_seq = 0;
                    """)
        }
        return migrator
    }
}
