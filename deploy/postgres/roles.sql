-- Upstander's PostgreSQL roles and database. Run once, as a superuser:
--   sudo -u postgres psql -v ON_ERROR_STOP=1 -v owner=upstander_owner -v app=upstander_app -v db=upstander -f roles.sql
--
-- Two roles, so that the account the web application runs as cannot rewrite history:
--   owner (:owner)  owns the schema: `upstander migrate` and `upstander restore` run as it. Nothing else does.
--   app   (:app)    what `upstander serve`, `tick` and `backup` run as. It may read and write rows, but it owns no
--                   table, so it cannot ALTER or DROP one (or disable the audit table's triggers), and it is never
--                   granted TRUNCATE. On the audit tables it may only SELECT and INSERT (grants.sql).
-- Neither is a superuser. Passwords: set them with \password, or use peer authentication on the local socket.

CREATE ROLE :"owner" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
CREATE ROLE :"app" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
CREATE DATABASE :"db" OWNER :"owner" ENCODING 'UTF8' TEMPLATE template0;

\connect :"db"
-- Only the owner creates objects; nobody else (PUBLIC) may even connect unless granted.
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO :"app";
ALTER SCHEMA public OWNER TO :"owner";
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"app";

-- Tables the owner creates later (each migration) are readable and writable by the app role at once; grants.sql
-- then takes back what the app must not do on the audit tables. TRUNCATE is never in these lists.
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT EXECUTE ON FUNCTIONS TO :"app";
