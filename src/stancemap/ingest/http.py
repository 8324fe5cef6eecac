"""A polite HTTP client: robots.txt, a per-host rate limit, retries with backoff and
Retry-After, conditional GET, a clear User-Agent, timeouts and a size cap per response.

:class:`Fetcher` only downloads; what to do with a page or a feed is the job's
(:mod:`stancemap.jobs.fetching`). ``sleep`` and ``clock`` are passed in so that a caller
(``watch``) can stop between requests.
"""

from __future__ import annotations

import email.utils
import threading
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

import httpx

from stancemap import __version__
from stancemap.errors import FetchError

USER_AGENT = f"stancemap/{__version__} (+https://pypi.org/project/stancemap/; research crawler)"
RETRY_STATUS = {408, 425, 429, 500, 502, 503, 504}


@dataclass(frozen=True)
class Politeness:
    user_agent: str = USER_AGENT
    timeout: float = 20.0            # seconds: connect, and between bytes read
    max_bytes: int = 10 << 20        # per response
    retries: int = 3                 # after the first try
    backoff: float = 1.0             # seconds, doubled each retry
    max_wait: float = 120.0          # a longer Retry-After gives up instead
    min_interval: float = 1.0        # seconds between requests to one host
    max_redirects: int = 5
    robots: bool = True


@dataclass
class Response:
    url: str                         # after redirects
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def etag(self) -> str:
        return self.headers.get("etag", "")

    @property
    def last_modified(self) -> str:
        return self.headers.get("last-modified", "")

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (a number of seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


class Fetcher:
    def __init__(self, policy: Politeness | None = None, *, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic, transport: httpx.BaseTransport | None = None,
                 stop: threading.Event | None = None):
        """``stop``: once set, waits end at once and no further request is made."""
        self.policy = policy or Politeness()
        self._stop = stop
        self._sleep = stop.wait if stop is not None else sleep
        self._clock = clock
        self._last: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._client = httpx.Client(
            headers={"User-Agent": self.policy.user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(self.policy.timeout), follow_redirects=True,
            max_redirects=self.policy.max_redirects, transport=transport, trust_env=False)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ public
    def get(self, url: str, *, etag: str = "", last_modified: str = "") -> Response:
        """GET ``url`` politely; 304 when the validators still match. Raises FetchError."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(url, "not an http(s) URL")
        if self.policy.robots and not self.allowed(url):
            raise FetchError(url, "robots.txt forbids it")
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._with_retries(url, headers)

    def allowed(self, url: str) -> bool:
        rp = self._robots_for(url)
        return rp is None or rp.can_fetch(self.policy.user_agent, url)

    # ----------------------------------------------------------------- private
    def _with_retries(self, url: str, headers: dict[str, str]) -> Response:
        p = self.policy
        last_error = ""
        for attempt in range(p.retries + 1):
            try:
                resp = self._once(url, headers)
            except httpx.TooManyRedirects:
                raise FetchError(url, f"more than {p.max_redirects} redirects (a redirect loop?)") from None
            except httpx.TimeoutException:
                last_error, wait = f"timed out after {p.timeout:g} s", p.backoff * 2 ** attempt
            except httpx.TransportError as e:
                last_error, wait = f"connection failed ({type(e).__name__})", p.backoff * 2 ** attempt
            else:
                if resp.status not in RETRY_STATUS:
                    if resp.status >= 400:
                        raise FetchError(url, f"HTTP {resp.status}", resp.status)
                    return resp
                last_error = f"HTTP {resp.status}"
                wait = retry_after(resp.headers.get("retry-after"))
                if wait is None:
                    wait = p.backoff * 2 ** attempt
                elif wait > p.max_wait:
                    raise FetchError(url, f"HTTP {resp.status}; Retry-After {wait:.0f} s is longer than {p.max_wait:g} s",
                                     resp.status)
            if attempt < p.retries:
                self._sleep(wait)
        raise FetchError(url, f"{last_error}, {p.retries + 1} tries")

    def _once(self, url: str, headers: dict[str, str]) -> Response:
        self._wait_turn(url)
        if self._stop is not None and self._stop.is_set():
            raise FetchError(url, "stopped before it was fetched")
        with self._client.stream("GET", url, headers=headers) as r:
            declared = r.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > self.policy.max_bytes:
                raise FetchError(url, f"response of {int(declared):,} bytes is over the cap of {self.policy.max_bytes:,}")
            body = bytearray()
            for chunk in r.iter_bytes():
                body += chunk
                if len(body) > self.policy.max_bytes:
                    raise FetchError(url, f"response is over the cap of {self.policy.max_bytes:,} bytes")
            return Response(str(r.url), r.status_code, bytes(body), {k.lower(): v for k, v in r.headers.items()})

    def _wait_turn(self, url: str) -> None:
        host = urlsplit(url).netloc.lower()
        interval = self.policy.min_interval
        rp = self._robots.get(host)
        if rp is not None:
            delay = rp.crawl_delay(self.policy.user_agent)
            if delay:
                interval = max(interval, min(float(delay), self.policy.max_wait))
        last = self._last.get(host)
        if last is not None:
            wait = last + interval - self._clock()
            if wait > 0:
                self._sleep(wait)
        self._last[host] = self._clock()

    def _robots_for(self, url: str) -> urllib.robotparser.RobotFileParser | None:
        parts = urlsplit(url)
        host = parts.netloc.lower()
        if host in self._robots:
            return self._robots[host]
        robots_url = urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))
        rp: urllib.robotparser.RobotFileParser | None = urllib.robotparser.RobotFileParser(robots_url)
        try:
            resp = self._with_retries(robots_url, {})
            rp.parse(resp.body.decode("utf-8", "replace").splitlines())
        except FetchError as e:
            if e.status < 500:
                rp = None                   # no robots.txt (4xx), or no answer: allowed (RFC 9309)
            else:
                rp.disallow_all = True      # unreachable: assume nothing is (RFC 9309, 5xx)
        self._robots[host] = rp
        return rp
