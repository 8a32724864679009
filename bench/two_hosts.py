"""Two stateless app hosts, one PostgreSQL (issue 16): two `upstander serve` instances (gunicorn, production mode,
each with its own empty data directory and its own copy of the key files) on two loopback ports, and a bounded
load of reporter journeys that cross between them on every step that matters:

- the report is written page by page, with a file, on host X; it is submitted on host Y (the draft and the staged
  file written on X are finished on Y);
- the reporter comes back with the receipt on host X, sees the report (its file names, decrypted), and adds
  information with a second file there;
- after the load, the overseer signs in on host A (password and TOTP, over HTTP) and downloads every file from the
  host that did not receive it, with the same session on both hosts; each must be byte for byte what was sent.

Then it checks what a sweep would remove (nothing: every stored blob is named by an attachment) and runs
`upstander audit verify`. Prints journeys/s, p50/p95 latencies and errors, and the machine; results go in
docs/benchmarks.md ("Stateless hosts").

    scripts/with-postgres.sh .venv/bin/python bench/two_hosts.py                 # throwaway PostgreSQL (fsync off)
    .venv/bin/python bench/two_hosts.py --durable-postgres 55520                 # one with default durability
    .venv/bin/python bench/two_hosts.py --journeys 40 --clients 4 --workers 2 --file-kb 1536 --json

Receipts use the production Argon2id parameters unless --receipt-memlimit-kib says otherwise (the servers and this
script must agree: a receipt's lookup depends on them).
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
TOKEN = re.compile(rb'name="idempotency_token" value="([^"]+)"')
RECEIPT = re.compile(rb'id="receipt"[^>]*>([a-z ]+)<')
PAGES = [("how", {"mode": "anonymous"}), ("staff", {"reporter_type": "public"}),
         ("when", {"incident_day": "1", "incident_month": "5", "incident_year": "2024"}),
         ("where", {"place": "Central station"}), ("who", {"subject_1_name": "PC Example"}),
         ("about", {"categories": ["bullying"]}), ("your-part", {"reporter_role": "victim"})]
KEY_FILES = {"UPSTANDER_FORCE_SIGNING_KEY_FILE": "force-signing.key",
             "UPSTANDER_FORCE_SIGNING_PUBLIC_FILE": "force-signing.pub",
             "UPSTANDER_RECEIPT_PEPPER_FILE": "receipt-pepper", "UPSTANDER_KEY_PINS_FILE": "recipient-pins.json",
             "UPSTANDER_OVERSEER_PUBLIC_KEY_FILE": "overseer.pub"}


class Refused(Exception):
    pass


class Browser:
    """One person's browser: cookies kept across both ports, as behind one load balancer name (cookies are not
    separated by port). Plain HTTP on loopback; the servers run with UPSTANDER_TLS=0."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}
        self.csrf = ""

    def request(self, port: int, method: str, path: str, body: bytes = b"",
                content_type: str = "") -> tuple[int, bytes]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        if content_type:
            headers["Content-Type"] = content_type
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        try:
            conn.request(method, path, body=body or None, headers=headers)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        found = CSRF.search(data)
        if found:
            self.csrf = found.group(1).decode()
        return response.status, data

    def get(self, port: int, path: str, expect: int = 200) -> bytes:
        status, data = self.request(port, "GET", path)
        if status != expect:
            raise Refused(f"GET {path} on :{port}: {status} (expected {expect})")
        return data

    def post(self, port: int, path: str, fields: dict, files: list[tuple[str, str, bytes]] | None = None,
             expect: int = 302) -> bytes:
        fields = {**fields, "csrfmiddlewaretoken": self.csrf}
        if files:
            body, content_type = _multipart(fields, files)
        else:
            body, content_type = urlencode(fields, doseq=True).encode(), "application/x-www-form-urlencoded"
        status, data = self.request(port, "POST", path, body, content_type)
        if status != expect:
            raise Refused(f"POST {path} on :{port}: {status} (expected {expect}) {data[:300]!r}")
        return data


def _multipart(fields: dict, files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        for v in value if isinstance(value, list) else [value]:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{v}\r\n'.encode())
    for field_name, filename, data in files:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{field_name}"; filename="{filename}"\r\n'
                     "Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@dataclass
class Outcome:
    index: int
    receipt: str = ""
    files: dict[str, str] = field(default_factory=dict)  # file name -> sha256 of what was sent
    uploaded_on: int = 0
    seconds: float = 0.0
    submit_s: float = 0.0
    return_s: float = 0.0
    error: str = ""


def _payload(index: int, which: int, size: int) -> tuple[str, bytes]:
    """Bytes no cleaner changes (kept as they are, with a warning to the reporter), so they must come back equal."""
    return f"recording-{index}-{which}.bin", b"\x00\x01" + os.urandom(size - 2)


def journey(index: int, ports: tuple[int, int], size: int) -> Outcome:
    x, y = (ports[0], ports[1]) if index % 2 == 0 else (ports[1], ports[0])
    out, started = Outcome(index, uploaded_on=x), time.perf_counter()
    try:
        first, second = _payload(index, 1, size), _payload(index, 2, size)
        b = Browser()
        b.get(x, "/report/new/how")
        for page, answers in [PAGES[0], PAGES[1], ("what", {"narrative": f"Journey {index}: what happened."}),
                              *PAGES[2:]]:
            b.post(x, f"/report/new/{page}", answers)
        b.post(x, "/report/new/files", {}, files=[("attachments", *first)])
        b.post(x, "/report/new/equality", {})
        token = TOKEN.search(b.get(y, "/report/new/check"))  # the draft written on X, read on Y
        if token is None:
            raise Refused("no submit token on the check page")
        t = time.perf_counter()
        page = b.post(y, "/report/new/check", {"idempotency_token": token.group(1).decode()}, expect=200)
        out.submit_s = time.perf_counter() - t
        receipt = RECEIPT.search(page)
        if receipt is None:
            raise Refused("no receipt on the confirmation page")
        out.receipt = receipt.group(1).decode()
        back = Browser()  # coming back later, from a browser holding nothing
        back.get(x, "/report/return")
        t = time.perf_counter()
        back.post(x, "/report/return", {"receipt": out.receipt})
        status = back.get(x, "/report/status")
        out.return_s = time.perf_counter() - t
        if first[0].encode() not in status:
            raise Refused("the report opened on the other host without its file")
        back.post(x, "/report/status/information", {"information-body": "One more recording."},
                  files=[("information-attachments", *second)])
        out.files = {name: hashlib.sha256(data).hexdigest() for name, data in (first, second)}
    except (Refused, OSError, http.client.HTTPException) as exc:
        out.error = f"{type(exc).__name__}: {exc}"
    out.seconds = time.perf_counter() - started
    return out


# --- the installation and its two hosts --------------------------------------------------------------------------


def _set_up_installation(work: Path, memlimit_kib: int | None, file_store: str | None) -> tuple[dict, Path, dict]:
    """Schema, keys and staff accounts through the real set-up (upstander.testing.personas: the personas with
    passwords and TOTP secrets), in this process, against the shared database. Returns (the environment both hosts
    share, the key files' folder, the staff's passwords and TOTP secrets)."""
    for var in ("UPSTANDER_FAST_HASHES", "UPSTANDER_AUDIT_RESETTABLE", "UPSTANDER_PRODUCTION", "UPSTANDER_FILE_STORE"):
        os.environ.pop(var, None)  # production parameters throughout; the store follows the database
    if memlimit_kib:
        os.environ["UPSTANDER_RECEIPT_MEMLIMIT_KIB"] = str(memlimit_kib)
    if file_store:
        os.environ["UPSTANDER_FILE_STORE"] = file_store
    os.environ["UPSTANDER_DATA_DIR"] = str(work / "setup")
    os.environ["DJANGO_SETTINGS_MODULE"] = "upstander.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from upstander.testing.personas import create_cast

    cast = create_cast(password_for=lambda name: secrets.token_urlsafe(18))
    from upstander.lib.keyfiles import keys_dir

    keys = keys_dir(work / "setup")
    env = {k: v for k, v in os.environ.items() if not k.startswith("UPSTANDER_")}
    env.update(UPSTANDER_SECRET_KEY=secrets.token_urlsafe(50), UPSTANDER_TLS="0",
               UPSTANDER_ALLOWED_HOSTS="127.0.0.1", PATH=f"{Path(sys.executable).parent}:{env.get('PATH', '')}")
    if memlimit_kib:
        env["UPSTANDER_RECEIPT_MEMLIMIT_KIB"] = str(memlimit_kib)
    if file_store:
        env["UPSTANDER_FILE_STORE"] = file_store
    return env, keys, {"passwords": cast.passwords, "totp": cast.totp_keys}


def _host_env(base: dict, keys: Path, work: Path, name: str) -> dict:
    """A host: an empty data directory of its own and its own copy of the key files (as deployed to /etc)."""
    etc, data = work / name / "etc", work / name / "data"
    data.mkdir(parents=True)
    shutil.copytree(keys, etc)
    env = dict(base)
    env["UPSTANDER_DATA_DIR"] = str(data)
    env.update({var: str(etc / filename) for var, filename in KEY_FILES.items() if (etc / filename).exists()})
    return env


def _start(env: dict, port: int, workers: int, log: Path) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "upstander.cli", "serve", "--port", str(port), "--workers",
                             str(workers)], env=env, cwd=ROOT, stdout=open(log, "wb"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"host on :{port} exited: {log.read_text()[-2000:]}")
        try:
            if Browser().request(port, "GET", "/healthz")[0] == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"host on :{port} did not answer /healthz in time: {log.read_text()[-2000:]}")


# --- checks after the load --------------------------------------------------------------------------------------


def _staff_reads(outcomes: list[Outcome], ports: tuple[int, int], cast: dict) -> dict:
    """The overseer signs in on host A and downloads every file from the host that did not receive it."""
    from django_otp.oath import totp

    from upstander.reports.models import Attachment
    from upstander.testing.journeys import report_for

    staff = Browser()
    staff.get(ports[0], "/accounts/login")
    staff.post(ports[0], "/accounts/login", {"username": "overseer", "password": cast["passwords"]["overseer"],
                                             "otp_token": f"{totp(bytes.fromhex(cast['totp']['overseer'])):06d}"})
    checked, wrong, times = 0, [], []
    for out in outcomes:
        if out.error:
            continue
        report = report_for(out.receipt)
        attachments = list(Attachment.objects.filter(report=report).order_by("id"))
        if len(attachments) != 2:
            wrong.append(f"journey {out.index}: {len(attachments)} file(s) on its report")
        other = ports[1] if out.uploaded_on == ports[0] else ports[0]
        for attachment, (name, digest) in zip(attachments, out.files.items(), strict=False):
            t = time.perf_counter()
            try:
                data = staff.get(other, f"/cases/reports/{report.public_id}/files/{attachment.public_id}")
            except Refused as exc:
                wrong.append(f"journey {out.index}: {name}: {exc}")
                continue
            times.append(time.perf_counter() - t)
            checked += 1
            if hashlib.sha256(data).hexdigest() != digest:
                wrong.append(f"journey {out.index}: {name} came back different")
    return {"files_read": checked, "files_wrong": len(wrong), "wrong_samples": wrong[:3], "read_p50_s": _pct(times, 50),
            "read_p95_s": _pct(times, 95)}


def _nothing_to_sweep() -> dict:
    from upstander.lib import storage
    from upstander.reports.models import Attachment, PendingBlob

    stored = set(storage.inventory().pending)
    named = {n for pair in Attachment.objects.values_list("original_blob", "clean_blob") for n in pair}
    return {"store": storage.store().__class__.__name__, "blobs_stored": len(stored),
            "unnamed_blobs": len(stored - named - set(PendingBlob.objects.values_list("name", flat=True))),
            "named_but_missing": len(named - stored)}


def _audit_verify(env: dict) -> dict:
    result = subprocess.run([sys.executable, "-m", "upstander.cli", "audit", "verify"], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=600)
    return {"exit": result.returncode, "says": (result.stdout + result.stderr).strip()[-400:]}


def _pct(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))], 3)


def run(args: argparse.Namespace, work: Path) -> dict:
    base, keys, cast = _set_up_installation(work, args.receipt_memlimit_kib, args.file_store)
    ports = (args.port, args.port + 1)
    envs = [_host_env(base, keys, work, name) for name in ("host-a", "host-b")]
    hosts = [_start(env, port, args.workers, work / f"{name}.log")
             for env, port, name in zip(envs, ports, ("host-a", "host-b"), strict=True)]
    try:
        started = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as pool:
            outcomes = list(pool.map(lambda i: journey(i, ports, int(args.file_kb * 1024)), range(args.journeys)))
        wall = time.perf_counter() - started
        reads = _staff_reads(outcomes, ports, cast)
    finally:
        for proc in hosts:
            proc.terminate()
        for proc in hosts:
            proc.wait(timeout=60)
    ok = [o for o in outcomes if not o.error]
    return {
        "machine": f"{platform.node()} {platform.machine()} {os.cpu_count()} cpu, Python {platform.python_version()}",
        "hosts": 2, "workers_per_host": args.workers, "clients": args.clients, "journeys": args.journeys,
        "file_kb": args.file_kb, "file_store": args.file_store or "default (database on PostgreSQL)",
        "receipt_memlimit_kib": args.receipt_memlimit_kib or "production default",
        "errors": len(outcomes) - len(ok), "error_samples": [o.error for o in outcomes if o.error][:5],
        "wall_s": round(wall, 1), "journeys_per_s": round(len(ok) / wall, 2),
        "journey_p50_s": _pct([o.seconds for o in ok], 50), "journey_p95_s": _pct([o.seconds for o in ok], 95),
        "submit_p50_s": _pct([o.submit_s for o in ok], 50), "submit_p95_s": _pct([o.submit_s for o in ok], 95),
        "return_p50_s": _pct([o.return_s for o in ok], 50), "return_p95_s": _pct([o.return_s for o in ok], 95),
        "mean_journey_s": round(statistics.mean([o.seconds for o in ok]), 2) if ok else 0,
        "staff_reads": reads, "store": _nothing_to_sweep(), "audit_verify": _audit_verify(envs[1]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--journeys", type=int, default=40)
    parser.add_argument("--clients", type=int, default=4, help="journeys at once")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per host")
    parser.add_argument("--file-kb", type=float, default=1536, help="size of each of a journey's two files")
    parser.add_argument("--port", type=int, default=55530, help="host A's port; host B's is the next one")
    parser.add_argument("--receipt-memlimit-kib", type=int, default=None)
    parser.add_argument("--file-store", choices=("database", "directory"),
                        help="override the store (directory: the control that shows what one host's disk breaks)")
    parser.add_argument("--durable-postgres", type=int, metavar="PORT",
                        help="start a throwaway PostgreSQL with default durability on this socket port")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="upstander-bench-two-hosts-"))
    folder = None
    if args.durable_postgres:
        from store_throughput import start_durable_postgres

        os.environ["DATABASE_URL"], folder = start_durable_postgres(args.durable_postgres)
    elif not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("two_hosts: needs PostgreSQL: run it under scripts/with-postgres.sh or give --durable-postgres")
    try:
        result = run(args, work)
    finally:
        if folder:
            from django.db import connections
            from store_throughput import stop_postgres

            connections.close_all()
            stop_postgres(folder)
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")
    healthy = (not result["errors"] and not result["staff_reads"]["files_wrong"] and result["audit_verify"]["exit"] == 0
               and not result["store"]["unnamed_blobs"] and not result["store"]["named_but_missing"])
    sys.exit(0 if healthy else 1)


if __name__ == "__main__":
    main()
