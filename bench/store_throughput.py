"""What keeping uploaded files in the database costs (issue 16, stateless app hosts): write and read MB/s of the
encrypted file store (lib/storage.py) in the database (chunk rows) against the data directory, through the real
code (XChaCha20-Poly1305 per 1 MiB chunk, the name/index/last bound as associated data), and the most memory a
write or a read of one large file holds (tracemalloc peak: streaming means about two chunks, whatever the size).

    # the database store on a throwaway PostgreSQL with production durability (fsync and synchronous commit on):
    .venv/bin/python bench/store_throughput.py --durable-postgres 55510
    # against whatever DATABASE_URL says (scripts/with-postgres.sh turns fsync off: say so when quoting it):
    scripts/with-postgres.sh .venv/bin/python bench/store_throughput.py
    .venv/bin/python bench/store_throughput.py --files 10 --mb 10 --rounds 3 --json

Without a PostgreSQL database it measures the database store on SQLite. The directory store writes to a fresh
data directory on this machine's disk (with an fsync per file, as in production). Crypto alone (sealing and
opening the same bytes with no store) is measured too, so the store's own share can be read off. Prints what it
measured and the machine; results go in docs/benchmarks.md ("Stateless hosts").
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator

MB = 1024 * 1024


def start_durable_postgres(port: int) -> tuple[str, str]:
    """A throwaway PostgreSQL cluster with the server's default durability, on a socket only (no TCP). Returns
    (DATABASE_URL, data folder); stop it with stop_postgres."""
    bindir = sorted(os.listdir("/usr/lib/postgresql"), key=lambda v: [int(x) for x in v.split(".")])[-1]
    bindir = f"/usr/lib/postgresql/{bindir}/bin"
    folder = tempfile.mkdtemp(prefix="upstander-bench-pg-")
    as_pg = ["su", "postgres", "-s", "/bin/sh", "-c"] if os.geteuid() == 0 else ["sh", "-c"]
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    subprocess.run([*as_pg, f"'{bindir}/initdb' -D '{folder}/data' -U postgres -A trust -E UTF8"], check=True,
                   capture_output=True)
    subprocess.run([*as_pg, f"'{bindir}/pg_ctl' -D '{folder}/data' -l '{folder}/log' -w -o \"-k '{folder}' -p {port} "
                    "-c listen_addresses=''\" start"], check=True, capture_output=True)
    subprocess.run([f"{bindir}/createdb", "-h", folder, "-p", str(port), "-U", "postgres", "upstander"], check=True)
    return f"postgres://postgres@/upstander?host={folder}&port={port}", folder


def stop_postgres(folder: str) -> None:
    bindir = sorted(os.listdir("/usr/lib/postgresql"), key=lambda v: [int(x) for x in v.split(".")])[-1]
    as_pg = ["su", "postgres", "-s", "/bin/sh", "-c"] if os.geteuid() == 0 else ["sh", "-c"]
    subprocess.run([*as_pg, f"'/usr/lib/postgresql/{bindir}/bin/pg_ctl' -D '{folder}/data' -m fast stop"],
                   capture_output=True)
    shutil.rmtree(folder, ignore_errors=True)


def _setup() -> None:
    os.environ["UPSTANDER_DATA_DIR"] = tempfile.mkdtemp(prefix="upstander-bench-store-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "upstander.settings")
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "reports", interactive=False, verbosity=0)


def _database() -> dict:
    from django.db import connection

    info = {"vendor": connection.vendor}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for setting in ("server_version", "fsync", "synchronous_commit"):
                cursor.execute(f"SHOW {setting}")
                info[setting] = cursor.fetchone()[0]
    return info


def _pieces(data: bytes, size: int = 64 * 1024) -> Iterator[bytes]:
    """The file as an upload handler would hand it over: small pieces, never the whole."""
    for start in range(0, len(data), size):
        yield data[start:start + size]


TEXT_BINDING = "database, Django's text binding"


def _text_binding_store():
    """The database store as it would be through Django's own cursors (client-side binding: each chunk as hex
    text), to show what sending chunks in binary saves. PostgreSQL only."""
    from upstander.lib import storage

    class TextBindingStore(storage.DatabaseStore):
        @staticmethod
        def _binary_cursor():
            return None

    return TextBindingStore()


def _measure(kind: str, files: int, size: int) -> dict:
    from upstander.lib import crypto, storage

    store = _text_binding_store() if kind == TEXT_BINDING else storage.store(kind)
    key = crypto.new_data_key()
    payloads = [os.urandom(size) for _ in range(files)]
    names = [storage.new_name() for _ in payloads]
    started = time.perf_counter()
    for name, data in zip(names, payloads, strict=True):
        store.put(name, storage.seal_chunks(name, key, _pieces(data)))
    written = time.perf_counter() - started
    started = time.perf_counter()
    for name, data in zip(names, payloads, strict=True):
        digest = hashlib.sha256()
        for index, last, chunk in store.sealed_chunks(name):
            digest.update(storage.open_chunk(name, key, index, last, chunk))
        assert digest.digest() == hashlib.sha256(data).digest(), "a file did not read back identical"
    read = time.perf_counter() - started
    for name in names:
        store.delete(name)
    total = files * size / MB
    return {"store": kind, "files": files, "mb_each": size / MB, "write_mb_s": round(total / written, 1),
            "read_mb_s": round(total / read, 1), "write_ms_per_file": round(written / files * 1000, 1),
            "read_ms_per_file": round(read / files * 1000, 1)}


def _crypto_only(files: int, size: int) -> dict:
    from upstander.lib import crypto, storage

    key, data, name = crypto.new_data_key(), os.urandom(size), storage.new_name()
    started = time.perf_counter()
    sealed = [list(storage.seal_chunks(name, key, data)) for _ in range(files)]
    written = time.perf_counter() - started
    started = time.perf_counter()
    for chunks in sealed:
        for index, last, chunk in chunks:
            storage.open_chunk(name, key, index, last, chunk)
    read = time.perf_counter() - started
    total = files * size / MB
    return {"store": "none (crypto only)", "files": files, "mb_each": size / MB,
            "write_mb_s": round(total / written, 1), "read_mb_s": round(total / read, 1)}


def _rounds(rounds: int, files: int, size: int) -> list[dict]:
    """Each measurement `rounds` times, interleaved (a shared machine's load comes and goes); the median of each."""
    from django.db import connection

    kinds = ["directory", "database"] + ([TEXT_BINDING] if connection.vendor == "postgresql" else [])
    runs = [[_crypto_only(files, size)] + [_measure(k, files, size) for k in kinds] for _ in range(rounds)]
    medians = []
    for i, row in enumerate(runs[0]):
        merged = dict(row)
        for metric in ("write_mb_s", "read_mb_s", "write_ms_per_file", "read_ms_per_file"):
            if metric in row:
                merged[metric] = round(statistics.median(run[i][metric] for run in runs), 1)
        medians.append(merged)
    return medians


def _peak_memory(kind: str, size: int) -> dict:
    """tracemalloc peak above the file itself while writing it from pieces and while streaming it back."""
    from upstander.lib import crypto, storage

    store, key, name = storage.store(kind), crypto.new_data_key(), storage.new_name()
    data = os.urandom(size)
    tracemalloc.start()
    tracemalloc.reset_peak()
    store.put(name, storage.seal_chunks(name, key, _pieces(data)))
    write_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.reset_peak()
    for index, last, chunk in store.sealed_chunks(name):
        storage.open_chunk(name, key, index, last, chunk)
    read_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    store.delete(name)
    return {"store": kind, "file_mb": size / MB, "write_peak_mb": round(write_peak / MB, 1),
            "read_peak_mb": round(read_peak / MB, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--mb", type=float, default=10.0, help="size of each file (the default upload limit)")
    parser.add_argument("--memory-mb", type=float, default=50.0, help="size of the file for the memory peak")
    parser.add_argument("--durable-postgres", type=int, metavar="PORT",
                        help="start a throwaway PostgreSQL with default durability on this loopback socket port")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    folder = None
    if args.durable_postgres:
        os.environ["DATABASE_URL"], folder = start_durable_postgres(args.durable_postgres)
    try:
        _setup()
        size = int(args.mb * MB)
        results = {"machine": f"{platform.node()} {platform.machine()} {os.cpu_count()} cpu, "
                              f"Python {platform.python_version()}", "database": _database(),
                   "rounds": args.rounds, "throughput": _rounds(args.rounds, args.files, size),
                   "memory": [_peak_memory(k, int(args.memory_mb * MB)) for k in ("directory", "database")]}
    finally:
        if folder:
            from django.db import connections

            connections.close_all()
            stop_postgres(folder)
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"machine: {results['machine']}; database: {results['database']}")
    for row in results["throughput"]:
        print(f"  {row['store']:<32} {row['files']} x {row['mb_each']:.0f} MB: write {row['write_mb_s']:>7} MB/s, "
              f"read {row['read_mb_s']:>7} MB/s")
    for row in results["memory"]:
        print(f"  {row['store']:<32} one {row['file_mb']:.0f} MB file: peak {row['write_peak_mb']} MB writing, "
              f"{row['read_peak_mb']} MB reading")


if __name__ == "__main__":
    main()
