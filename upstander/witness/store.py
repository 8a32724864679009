"""The witness's own data directory, on the overseer's machine:

    witness.key    the witness's (the overseer's) Ed25519 private key, mode 0600, never leaves this directory
    witness.pub    its public half: the force deploys it as UPSTANDER_OVERSEER_PUBLIC_KEY_FILE
    heads.jsonl    every head the witness has seen, one JSON object per line, each signed with witness.key:
                   {"id": N, "hash": "…", "seen_at": "…", "sig": "…"}
    .lock          held while a run is in progress, so two runs never interleave their appends
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from upstander.audit.chain import Head
from upstander.audit.witness_formats import BadHead, head_signature_ok, parse_head
from upstander.lib import crypto
from upstander.lib.keyfiles import write_private

KEY = "witness.key"
PUBLIC = "witness.pub"
HEADS = "heads.jsonl"
LOCK = ".lock"


class WitnessError(Exception):
    """Something the overseer must look at: the witness refuses to go on. Its message says what and why."""


class Store:
    def __init__(self, data_dir: Path) -> None:
        self.dir = Path(data_dir)

    @property
    def heads_path(self) -> Path:
        return self.dir / HEADS

    @property
    def public_path(self) -> Path:
        return self.dir / PUBLIC

    def initialised(self) -> bool:
        return (self.dir / KEY).exists() and self.public_path.exists()

    def init(self) -> bool:
        """Create the directory and the key pair. Returns False (and changes nothing) if they already exist."""
        self.dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(self.dir, 0o700)
        if self.initialised():
            return False
        pair = crypto.new_signing_key()
        write_private(self.dir / KEY, crypto.b64(pair.private).encode())
        write_private(self.public_path, crypto.b64(pair.public).encode())
        return True

    def _require(self) -> None:
        if not self.initialised():
            raise WitnessError(f"{self.dir} is not a witness data directory: run `upstander witness init "
                               f"--data-dir {self.dir}` first")

    def private_key(self) -> bytes:
        self._require()
        return crypto.unb64((self.dir / KEY).read_text().strip())

    def public_key(self) -> bytes:
        self._require()
        return crypto.unb64(self.public_path.read_text().strip())

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        self._require()
        with open(self.dir / LOCK, "a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise WitnessError("another run of this witness is in progress") from None
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def heads(self) -> list[dict[str, Any]]:
        """Every head kept, each checked against the witness's own key. A last line cut short by a crash is
        dropped (it was never confirmed); any other damage stops the witness."""
        if not self.heads_path.exists():
            return []
        raw = self.heads_path.read_bytes()
        if raw and not raw.endswith(b"\n"):
            raw = raw[:raw.rfind(b"\n") + 1]
            with open(self.heads_path, "r+b") as handle:
                handle.truncate(len(raw))
        public = self.public_key()
        kept = []
        for number, line in enumerate(raw.decode().splitlines(), start=1):
            try:
                head = parse_head(json.loads(line))
            except (ValueError, BadHead) as exc:
                raise WitnessError(f"{self.heads_path} line {number} is damaged ({exc}); restore it from a backup "
                                   "before the witness runs again") from None
            if not head_signature_ok(public, head):
                raise WitnessError(f"{self.heads_path} line {number} is not signed with this witness's key: the "
                                   "file has been changed; restore it from a backup")
            kept.append(head)
        return kept

    def last_head(self) -> Head | None:
        heads = self.heads()
        return Head(heads[-1]["id"], heads[-1]["hash"]) if heads else None

    def append(self, head: dict[str, Any]) -> None:
        line = (json.dumps(head, sort_keys=True) + "\n").encode()
        fd = os.open(self.heads_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "ab") as handle:
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())
