"""Key files are created atomically: an interrupted run leaves no half key, and two processes starting together on a
fresh data dir end with one set of keys (issue 11)."""

from __future__ import annotations

import threading

from upstander.lib import keyfiles


def test_two_processes_creating_the_same_key_together_end_with_one_key(tmp_path):
    """The race: both see no key file, both generate a key, and (with a check-then-write and a shared temporary
    name) each goes on using its own, so one process's receipts or signatures do not match the other's."""
    path = keyfiles.keys_dir(tmp_path) / "receipt-pepper"
    start = threading.Barrier(8)
    results: list[bytes] = []

    def create(n: int) -> None:
        start.wait()
        results.append(keyfiles.read_or_create(path, lambda: f"key of process {n}".encode()))

    threads = [threading.Thread(target=create, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(results)) == 1 and results[0] == path.read_bytes()
    assert [p.name for p in path.parent.iterdir()] == ["receipt-pepper"]  # no temporary file left behind
    assert path.stat().st_mode & 0o777 == 0o600


def test_a_stale_temporary_file_from_an_interrupted_run_is_ignored(tmp_path):
    path = keyfiles.keys_dir(tmp_path) / "receipt-pepper"
    (path.parent / "receipt-pepper.tmp").write_bytes(b"half")
    assert keyfiles.read_or_create(path, lambda: b"whole key") == b"whole key"
