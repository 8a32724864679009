#!/bin/bash
# Point-in-time recovery, rehearsed on a throwaway server (loopback socket only, port 55402): WAL archiving, a base
# backup, two inserts, and a recovery to the moment between them. Run as root; it removes everything it made.
# What it shows is what docs/operations.md ("Point-in-time recovery") asks of a real server.
set -euo pipefail
B=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
P=$(mktemp -d /tmp/ops-pitr.XXXX); chmod 755 $P; chown postgres $P
as_pg() { su postgres -s /bin/bash -c "$*"; }
as_pg "mkdir $P/archive && $B/initdb -D $P/data -U postgres -A trust >/dev/null"
cat >> $P/data/postgresql.conf <<CONF
wal_level = replica
archive_mode = on
archive_command = 'test ! -f $P/archive/%f && cp %p $P/archive/%f'
archive_timeout = 60
listen_addresses = ''
unix_socket_directories = '$P'
port = 55402
CONF
as_pg "$B/pg_ctl -D $P/data -l $P/log -w start" >/dev/null
Q() { $B/psql -h $P -p 55402 -U postgres -At -c "$1" postgres; }
Q "CREATE TABLE r (id int, note text)"
as_pg "$B/pg_basebackup -h $P -p 55402 -U postgres -D $P/base -Fp -Xs -c fast"
Q "INSERT INTO r VALUES (1, 'before the moment')"
sleep 1.5; T=$(Q "SELECT now()"); sleep 1.5
Q "INSERT INTO r VALUES (2, 'after the moment')"
Q "SELECT pg_switch_wal()" >/dev/null; sleep 2
as_pg "$B/pg_ctl -D $P/data -m fast -w stop" >/dev/null
as_pg "cp -a $P/base $P/restored"
cat >> $P/restored/postgresql.conf <<CONF
restore_command = 'cp $P/archive/%f %p'
recovery_target_time = '$T'
recovery_target_action = 'promote'
archive_mode = off
CONF
as_pg "touch $P/restored/recovery.signal && $B/pg_ctl -D $P/restored -l $P/log2 -w start" >/dev/null
sleep 2
echo "target: $T"; echo "rows after recovery: $(Q 'SELECT id, note FROM r ORDER BY id' | tr '\n' ';')"
as_pg "$B/pg_ctl -D $P/restored -m immediate stop" >/dev/null; rm -rf $P
