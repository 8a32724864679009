"""A deployment rehearsal on this machine, from the files in deploy/ (issue 16): PostgreSQL with the roles and grants
of deploy/postgres/, `upstander serve` as deploy/systemd/upstander.service runs it, nginx with deploy/nginx's
configuration and a throwaway TLS certificate, the scheduler's and the backup's ExecStart lines; then reporters
through nginx over TLS, optionally a PostgreSQL restart in the middle of it, and the memory each gunicorn worker holds.

    python bench/ops_rehearsal.py                                # 2 workers, 4 reporters at once, 12 reports
    python bench/ops_rehearsal.py --workers 4 --clients 8 --reports 40 --restart-db
    python bench/ops_rehearsal.py --json                         # one JSON document on stdout

Everything lives in a temporary prefix and on loopback ports 55401 (PostgreSQL socket only), 55410 (gunicorn) and
55443 (nginx); it is all stopped and removed at the end (--keep leaves the prefix). Run as root (PostgreSQL runs as
the `postgres` user). Needs Debian's postgresql and nginx packages. Receipts use the production Argon2id cost
(64 MiB). Results go in docs/benchmarks.md ("Operations") and docs/operations.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.ops_http import Reporter, ReporterRefused  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
PG_PORT, APP_PORT, TLS_PORT, HTTP_PORT = 55401, 55410, 55443, 55480
UNIT_BIN = "/opt/upstander/.venv/bin/upstander"


def sh(args: list[str], *, env: dict | None = None, check: bool = True, user: str = "") -> subprocess.CompletedProcess:
    if user:
        args = ["su", user, "-s", "/bin/sh", "-c", " ".join(shlex.quote(a) for a in args)]
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if check and result.returncode != 0:
        raise SystemExit(f"failed: {' '.join(args)}\n{result.stdout}\n{result.stderr}")
    return result


def pg_bin(name: str) -> str:
    return sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))[-1].as_posix()


class Rehearsal:
    def __init__(self, prefix: Path, workers: int, retry_seconds: int) -> None:
        self.prefix, self.workers, self.retry_seconds = prefix, workers, retry_seconds
        self.pgdir = prefix / "pg"
        self.etc, self.data = prefix / "etc" / "upstander", prefix / "var" / "lib" / "upstander"
        self.offline = prefix / "offline"
        self.procs: list[subprocess.Popen] = []
        self.env_file = self.etc / "upstander.env"

    # --- PostgreSQL, roles, installation ---------------------------------------------------------------------------

    def url(self, user: str, db: str = "upstander") -> str:
        return f"postgres://{user}@/{db}?host={self.pgdir}&port={PG_PORT}"

    def start_postgres(self) -> None:
        self.pgdir.mkdir(parents=True)
        shutil.chown(self.pgdir, "postgres", "postgres")
        sh([pg_bin("initdb"), "-D", f"{self.pgdir}/data", "-U", "postgres", "-A", "trust", "-E", "UTF8"], user="postgres")
        self.pg_ctl("start")
        sh([pg_bin("psql"), self.url("postgres", "postgres"), "-v", "ON_ERROR_STOP=1", "-v", "owner=upstander_owner",
            "-v", "app=upstander_app", "-v", "db=upstander", "-f", str(REPO / "deploy/postgres/roles.sql")])

    def pg_ctl(self, action: str) -> float:
        started = time.monotonic()
        opts = f"-k {self.pgdir} -p {PG_PORT} -c listen_addresses=''"
        sh([pg_bin("pg_ctl"), "-D", f"{self.pgdir}/data", "-l", f"{self.pgdir}/log", "-w", "-m", "fast", "-o", opts,
            action], user="postgres")
        return time.monotonic() - started

    def write_env_file(self) -> None:
        """deploy/upstander.env.example with this prefix's paths, loopback hosts and the rehearsal's database."""
        (self.etc / "keys").mkdir(parents=True, mode=0o700)
        self.data.mkdir(parents=True, mode=0o700)
        text = (REPO / "deploy/upstander.env.example").read_text()
        text = text.replace("postgres://upstander_app@/upstander?host=/var/run/postgresql", self.url("upstander_app"))
        text = text.replace("/etc/upstander", str(self.etc)).replace("/var/lib/upstander", str(self.data))
        text = text.replace("change-me-to-a-long-random-value-of-at-least-32-characters", os.urandom(24).hex())
        text = text.replace("change-me-to-another-long-random-value-for-monitoring", "t" * 40)
        text = text.replace("UPSTANDER_ALLOWED_HOSTS=report.example.org", "UPSTANDER_ALLOWED_HOSTS=127.0.0.1")
        text = text.replace("UPSTANDER_WORKERS=4", f"UPSTANDER_WORKERS={self.workers}")
        self.env_file.write_text(text)

    def env(self, **extra: str) -> dict[str, str]:
        env = {"PATH": "/usr/bin:/bin", "HOME": str(self.prefix), "PYTHONPATH": str(REPO), "LANG": "C.UTF-8",
               "UPSTANDER_DB_RETRY_SECONDS": str(self.retry_seconds)}
        for line in self.env_file.read_text().splitlines():
            if line.strip() and not line.startswith("#"):
                key, _, value = line.partition("=")
                env[key] = value
        env.update(extra)
        return env

    def upstander(self, args: list[str], *, owner: bool = False, check: bool = True) -> subprocess.CompletedProcess:
        env = self.env(DATABASE_URL=self.url("upstander_owner")) if owner else self.env()
        return sh([sys.executable, "-m", "upstander.cli", *args], env=env, check=check)

    def install(self) -> None:
        self.write_env_file()
        self.upstander(["migrate"], owner=True)  # sets the installation up: keys, organisations
        sh([pg_bin("psql"), self.url("upstander_owner"), "-v", "ON_ERROR_STOP=1", "-v", "app=upstander_app", "-f",
            str(REPO / "deploy/postgres/grants.sql")])
        self.offline.mkdir(mode=0o700)
        self.upstander(["keys", "backup-keypair", "--secret-out", str(self.offline / "backup-secret")])

    # --- the units' commands ----------------------------------------------------------------------------------------

    def unit_commands(self, unit: str) -> list[list[str]]:
        """ExecStart/ExecStartPost lines of deploy/systemd/UNIT, with this interpreter in place of /opt/upstander."""
        out = []
        for line in (REPO / "deploy/systemd" / unit).read_text().splitlines():
            if line.startswith(("ExecStart=", "ExecStartPost=")):
                command = line.split("=", 1)[1].replace("%%", "%")
                command = command.replace("/var/backups/upstander", str(self.prefix / "backups"))
                out.append(["sh", "-c", "exec " + command.replace(UNIT_BIN, f"{sys.executable} -m upstander.cli")])
        return out

    def serve(self) -> subprocess.Popen:
        [command] = self.unit_commands("upstander.service")
        command[-1] = command[-1].replace("--port 8000", f"--port {APP_PORT}")
        proc = subprocess.Popen(command, env=self.env(), stdout=subprocess.DEVNULL,  # noqa: S603
                                stderr=open(self.prefix / "gunicorn.log", "w"), start_new_session=True)
        self.procs.append(proc)
        return proc

    def nginx(self) -> None:
        conf = self.prefix / "nginx"
        conf.mkdir()
        sh(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
            "-keyout", str(conf / "key.pem"), "-out", str(conf / "cert.pem")])
        site = (REPO / "deploy/nginx/upstander.conf").read_text()
        for old, new in (("listen 443 ssl", f"listen 127.0.0.1:{TLS_PORT} ssl"), ("listen 80;", f"listen 127.0.0.1:{HTTP_PORT};"),
                         ("listen [::]:443 ssl http2;", ""), ("listen [::]:80;", ""),
                         ("127.0.0.1:8000", f"127.0.0.1:{APP_PORT}"), ("/var/log/nginx", str(conf)),
                         ("/etc/letsencrypt/live/report.example.org/fullchain.pem", str(conf / "cert.pem")),
                         ("/etc/letsencrypt/live/report.example.org/privkey.pem", str(conf / "key.pem"))):
            site = site.replace(old, new)
        (conf / "site.conf").write_text(site)
        temp = " ".join(f"{k}_temp_path {conf}/{k};" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        (conf / "nginx.conf").write_text(f"pid {conf}/nginx.pid;\nerror_log {conf}/main.log;\nevents {{}}\n"
                                         f"http {{ include /etc/nginx/mime.types; {temp} include {conf}/site.conf; }}\n")
        sh(["nginx", "-t", "-c", str(conf / "nginx.conf")])
        sh(["nginx", "-c", str(conf / "nginx.conf")])

    def stop(self) -> None:
        sh(["nginx", "-c", str(self.prefix / "nginx" / "nginx.conf"), "-s", "stop"], check=False)
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, 15)
                proc.wait(timeout=60)
        sh([pg_bin("pg_ctl"), "-D", f"{self.pgdir}/data", "-m", "immediate", "stop"], user="postgres", check=False)


def rss_mib(master: int) -> dict:
    """Resident memory now (VmRSS) and at its peak (VmHWM) of the gunicorn master and each worker, in MiB."""
    def status(pid: int) -> dict[str, float]:
        fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
        return {k: round(int(fields[k].split()[0]) / 1024, 1) for k in ("VmRSS", "VmHWM")}

    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    workers = [status(int(pid)) for pid in children]
    return {"master": status(master)["VmRSS"], "workers": [w["VmRSS"] for w in workers],
            "workers_peak": [w["VmHWM"] for w in workers]}


def load(base: str, clients: int, reports: int, restart=None) -> dict:
    """`clients` reporters at once until `reports` are sent; each 503 is answered as a person would: press again."""
    receipts: list[str] = []
    statuses: dict[int, int] = {}
    latencies: list[float] = []
    lock = threading.Lock()
    todo = iter(range(reports))

    def worker() -> None:
        while True:
            with lock:
                if next(todo, None) is None:
                    return
            reporter = Reporter(base)
            try:
                receipt, took = reporter.report()
            except ReporterRefused:
                receipt, took = "", 0.0
            with lock:
                if receipt:
                    receipts.append(receipt)
                    latencies.append(took)
                for status, n in reporter.statuses.items():
                    statuses[status] = statuses.get(status, 0) + n

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    restarted = restart() if restart else None
    for t in threads:
        t.join()
    took = time.monotonic() - started
    latencies.sort()
    return {"reports": len(receipts), "seconds": round(took, 1), "per_second": round(len(receipts) / took, 2),
            "submit_p50_s": round(latencies[len(latencies) // 2], 2) if latencies else None,
            "submit_p95_s": round(latencies[int(0.95 * (len(latencies) - 1))], 2) if latencies else None,
            "statuses": dict(sorted(statuses.items())), "db_restart_s": restarted, "receipts": receipts}


def rehearse(args: argparse.Namespace, prefix: Path) -> dict:
    r = Rehearsal(prefix, args.workers, args.retry_seconds)
    r.start_postgres()
    try:
        r.install()
        r.nginx()
        master = r.serve()
        base = f"https://127.0.0.1:{TLS_PORT}"
        Reporter(base).wait_until_up(timeout=120)
        idle = rss_mib(master.pid)
        restart = (lambda: (time.sleep(args.restart_after), round(r.pg_ctl("restart"), 2))[1]) \
            if args.restart_db else None
        result = load(base, args.clients, args.reports, restart)
        busy = rss_mib(master.pid)
        receipts = result.pop("receipts")
        opened = sum(Reporter(base).come_back(rc) for rc in receipts)
        ran = {unit: [sh(c, env=r.env(), check=False).returncode for c in r.unit_commands(unit)]
               for unit in ("upstander-tick.service", "upstander-backup.service")}
        verify = r.upstander(["audit", "verify"], check=False)
        metrics = Reporter(base).metrics("t" * 40)
        return {**result, "receipts_open_their_report": opened, "rss_mib_idle": idle, "rss_mib_after_load": busy,
                "units_exit_codes": ran, "audit_verify": verify.stdout.strip(), "backups": sorted(
                    p.name for p in (prefix / "backups").glob("*.upb")) if (prefix / "backups").is_dir() else [],
                "metrics_sample": [m for m in metrics.splitlines() if m.startswith((
                    "upstander_http", "upstander_job", "upstander_cases", "upstander_database", "upstander_reporter"))]}
    finally:
        r.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--reports", type=int, default=12)
    parser.add_argument("--restart-db", action="store_true", help="restart PostgreSQL while reporters are busy")
    parser.add_argument("--restart-after", type=float, default=8.0, help="seconds into the load (with --restart-db)")
    parser.add_argument("--retry-seconds", type=int, default=4, help="UPSTANDER_DB_RETRY_SECONDS for the app")
    parser.add_argument("--keep", action="store_true", help="leave the prefix (logs, data) for inspection")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    prefix = Path(tempfile.mkdtemp(prefix="upstander-rehearsal-"))
    (prefix / "backups").mkdir()
    os.chmod(prefix, 0o755)  # noqa: S103 - the postgres user reaches its socket folder through it
    try:
        result = rehearse(args, prefix)
    finally:
        if not args.keep:
            shutil.rmtree(prefix, ignore_errors=True)
    result["machine"] = f"{platform.node()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    result["settings"] = {"workers": args.workers, "clients": args.clients, "restart_db": args.restart_db,
                          "retry_seconds": args.retry_seconds}
    print(json.dumps(result, indent=None if args.json else 1))  # noqa: T201


if __name__ == "__main__":
    main()
