"""A reporter (and an operator) over real HTTP(S) for the operations rehearsal (bench/ops_rehearsal.py): cookies, the
CSRF token and Referer as a browser sends them, and what a person does when a page says "try again" (press again).

The field names follow the reporter pages of this checkout (upstander/intake); if those pages change, so must this."""

from __future__ import annotations

import http.cookiejar
import re
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOKEN = re.compile(r'name="idempotency_token" value="([^"]+)"')
RECEIPT = re.compile(r'id="receipt"[^>]*>([a-z ]+)<')
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


class ReporterRefused(Exception):
    def __init__(self, status: int, where: str) -> None:
        super().__init__(f"{where}: HTTP {status}")
        self.status = status


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a redirect is an answer of its own, as in Django's test client
        return None


class Reporter:
    def __init__(self, base: str, *, tries: int = 6) -> None:
        self.base, self.tries = base, tries
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # the rehearsal's throwaway certificate
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context),
                                                  urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())
        self.statuses: dict[int, int] = {}

    def _send(self, path: str, data: dict | list | None = None, headers: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body,  # noqa: S310 - the rehearsal's own https URL
                                         headers={"Referer": self.base + path, **(headers or {})})
        try:
            with self.opener.open(request, timeout=120) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            status, text = exc.code, exc.read().decode(errors="replace")
        self.statuses[status] = self.statuses.get(status, 0) + 1
        return status, text

    def step(self, path: str, data: dict | None = None, ok: tuple[int, ...] = (200, 302)) -> str:
        """One page or form, pressed again (after a pause) while the service says it is briefly away (503)."""
        status, text = self._send(path, data)
        for _ in range(self.tries):
            if status != 503:
                break
            time.sleep(1.0)
            resend = HIDDEN.findall(text) if data is not None else None
            status, text = self._send(path, resend if resend else data)
        if status not in ok:
            raise ReporterRefused(status, path)
        return text

    def _csrf(self, path: str) -> str:
        match = CSRF.search(self.step(path))
        if not match:
            raise ReporterRefused(0, f"{path} has no CSRF token")
        return match.group(1)

    def report(self) -> tuple[str, float]:
        """A whole anonymous report; returns the receipt and the seconds the final submit took."""
        csrf = self._csrf("/report/new/how")
        # One question per page, in the order the reporter pages ask them (upstander/intake/answers.py).
        for page, answers in (("how", {"mode": "anonymous"}), ("staff", {"reporter_type": "public"}),
                              ("what", {"narrative": "The custody sergeant mocks the accent of every Polish "
                                                     "detainee."}),
                              ("when", {"incident_day": "1", "incident_month": "5", "incident_year": "2024"}),
                              ("where", {"place": "Central custody suite"}), ("who", {"subject_1_name": "Sgt Example"}),
                              ("about", {"categories": ["racism"]}), ("your-part", {"reporter_role": "witness"})):
            self.step(f"/report/new/{page}", {"csrfmiddlewaretoken": csrf, **answers})
        self.step("/report/new/files", {"csrfmiddlewaretoken": csrf})
        self.step("/report/new/equality", {"csrfmiddlewaretoken": csrf})
        page = self.step("/report/new/check")
        token = TOKEN.search(page).group(1)
        started = time.monotonic()
        page = self.step("/report/new/check", {"csrfmiddlewaretoken": csrf, "idempotency_token": token}, ok=(200,))
        took = time.monotonic() - started
        match = RECEIPT.search(page)
        if not match:
            raise ReporterRefused(0, "no receipt on the receipt page")
        return match.group(1), took

    def come_back(self, receipt: str) -> bool:
        csrf = self._csrf("/report/return")
        self.step("/report/return", {"csrfmiddlewaretoken": csrf, "receipt": receipt}, ok=(302,))
        return "timeline" in self.step("/report/status", ok=(200,))

    def wait_until_up(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if self._send("/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise ReporterRefused(0, "/healthz never answered ok")

    def metrics(self, token: str) -> str:
        return self._send("/metrics", headers={"Authorization": f"Bearer {token}"})[1]
