"""The witness's HTTP client for the force's two witness endpoints (oversight/witness_api.py). Standard library only."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from upstander.witness.store import WitnessError


class Unreachable(Exception):
    """The force's server could not be reached or failed: try again later (not a sign of tampering)."""


class ForceClient:
    def __init__(self, url: str, token: str, *, timeout: float = 60) -> None:
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise WitnessError(f"{url} is not an http:// or https:// address")
        self.base = url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def _call(self, request: urllib.request.Request) -> dict[str, Any]:
        request.add_header("Authorization", f"Bearer {self.token}")
        request.add_header("Accept", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - http(s) only
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:
            try:
                body = json.loads(exc.read())
            except ValueError:
                body = {}
            message = body.get("error") or exc.reason
            if exc.code in (401, 403):
                raise WitnessError(f"the force's server refused the witness's token: {message}") from None
            if exc.code >= 500:
                raise Unreachable(f"the force's server answered {exc.code}: {message}") from None
            raise WitnessError(f"the force's server answered {exc.code}: {message}") from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            raise Unreachable(f"cannot reach {self.base}: {getattr(exc, 'reason', exc)}") from None
        except ValueError:
            raise WitnessError(f"{self.base} did not answer with JSON: is this the force's Upstander?") from None

    def since(self, after: int, limit: int) -> dict[str, Any]:
        query = urllib.parse.urlencode({"after": after, "limit": limit})
        url = f"{self.base}/audit/api/since?{query}"
        return self._call(urllib.request.Request(url))  # noqa: S310 - the scheme was checked in __init__

    def post_head(self, head: dict[str, Any]) -> dict[str, Any]:
        request = urllib.request.Request(  # noqa: S310 - the scheme was checked in __init__
            f"{self.base}/audit/api/witness", data=json.dumps(head).encode(), method="POST",
            headers={"Content-Type": "application/json"})
        return self._call(request)
