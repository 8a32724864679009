-- The app role's privileges. Run as the owner after every `upstander migrate` and `upstander restore` (it is
-- idempotent):
--   psql "postgres://upstander_owner@/upstander?host=/var/run/postgresql" -v ON_ERROR_STOP=1 -v app=upstander_app -f grants.sql
--
-- Every table: read and write rows, never TRUNCATE (and, owning nothing, never ALTER or DROP).
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app";
REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM :"app";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app";

-- The audit log and its checkpoints are append-only for the application: SELECT and INSERT only. (Row triggers
-- refuse UPDATE and DELETE as well, for every role; only the owner could drop them, and the app never runs as it.)
REVOKE UPDATE, DELETE ON audit_event, audit_checkpoint FROM :"app";

-- The installation record (its key fingerprints) is written by `migrate` / `keys init`, run as the owner.
REVOKE INSERT, UPDATE, DELETE ON operations_installation FROM :"app";

-- Django's record of applied migrations: the app reads it (to refuse to run on an old schema), never writes it.
REVOKE INSERT, UPDATE, DELETE ON django_migrations FROM :"app";
-- Stored files (reports_storedchunk): chunks are written once and deleted whole, never changed in place.
REVOKE UPDATE ON reports_storedchunk FROM :"app";
