"""Phones filing concerns through the public form over real HTTP, with the standard library only.

Each filing is what a person does: open the form (GET), send it (POST), and on a failure send the
same form again — a 503 page asks them to — until the receipt (a redirect to /t/…/) comes back.
Every request is recorded: when it started and ended, and what it answered.
"""

import http.client
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from tests.forms import hidden_fields

RETRY_PAUSE = 0.3  # a person takes longer; a shorter pause only makes more failed requests to count
GIVE_UP_AFTER = 60.0


@dataclass
class Request:
    started: float
    ended: float
    method: str
    status: int  # 0: no answer (refused, reset, timed out)
    busy_page: bool = False  # a 503 with the station's own "busy for a moment" page (Retry-After)

    @property
    def took(self) -> float:
        return self.ended - self.started


@dataclass
class Filing:
    mobile: str
    requests: list[Request] = field(default_factory=list)
    receipt: str = ""  # where the receipt redirect pointed; empty if the filing never got one


class _Phone:
    """One keep-alive connection, reopened after any failure, and the cookies of the current filing."""

    def __init__(self, port: int):
        self.port = port
        self.connection = None
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None, headers: dict) -> tuple[Request, bytes, dict]:
        started = time.monotonic()
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            self.connection.request(method, path, body=body,
                                    headers={**headers, **({"Cookie": cookie} if cookie else {})})
            response = self.connection.getresponse()
            content = response.read()
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            if response.will_close:
                self._drop()
            headers = dict(response.getheaders())
            busy = response.status == 503 and "Retry-After" in headers and b'lang="zh-hans"' in content
            return Request(started, time.monotonic(), method, response.status, busy), content, headers
        except (OSError, http.client.HTTPException):
            self._drop()
            return Request(started, time.monotonic(), method, 0), b"", {}

    def _drop(self) -> None:
        if self.connection is not None:
            self.connection.close()
        self.connection = None


def file_one(phone: _Phone, path: str, *, category: int, mobile: str, address: str, n: int) -> Filing:
    filing = Filing(mobile)
    phone.cookies = {}  # a new person
    headers = {"X-Real-IP": address, "Host": "127.0.0.1"}
    give_up = time.monotonic() + GIVE_UP_AFTER
    while time.monotonic() < give_up:
        request, content, _ = phone.request("GET", path, None, headers)
        filing.requests.append(request)
        if request.status == 200:
            break
        time.sleep(RETRY_PAUSE)
    else:
        return filing
    body = urllib.parse.urlencode({
        **hidden_fields(content.decode()), "name": "陈西荣", "mobile": mobile, "category": category, "place": "桥头",
        "content": f"第{n}号：村道路灯不亮，晚上看不见路，请修理。",
    }).encode()
    post_headers = {**headers, "Content-Type": "application/x-www-form-urlencoded",
                    "Referer": f"http://127.0.0.1{path}"}
    while time.monotonic() < give_up:
        request, _, answer = phone.request("POST", path, body, post_headers)
        filing.requests.append(request)
        if request.status == 302:
            # The receipt (/t/<code>/), or back to the form saying it was filed already, by someone else.
            filing.receipt = answer.get("Location", "") if "/t/" in answer.get("Location", "") else ""
            return filing
        time.sleep(RETRY_PAUSE)
    return filing


class Load:
    """`count` filings by `clients` phones at once; `progress` is how many have been answered so far."""

    def __init__(self, port: int, path: str, *, category: int, prefix: str, count: int, clients: int):
        self.port, self.path, self.category = port, path, category
        self.prefix, self.count, self.clients = prefix, count, clients
        self.filings: list[Filing] = []
        self.progress = 0
        self._next = 0
        self._lock = threading.Lock()
        self.stopped = threading.Event()  # set: no new filings (the run was interrupted)

    def _take(self) -> int | None:
        with self._lock:
            if self._next >= self.count or self.stopped.is_set():
                return None
            self._next += 1
            return self._next

    def _client(self) -> None:
        phone = _Phone(self.port)
        while (n := self._take()) is not None:
            # Its own mobile and address: a different person each time, as on a campaign day.
            filing = file_one(phone, self.path, category=self.category, mobile=f"{self.prefix}{n:08d}",
                              address=f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}", n=n)
            with self._lock:
                self.filings.append(filing)
                self.progress += 1
        phone._drop()

    def run(self) -> None:
        with ThreadPoolExecutor(self.clients) as pool:
            for future in [pool.submit(self._client) for _ in range(self.clients)]:
                future.result()

    def wait_for(self, done: int, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while self.progress < done and time.monotonic() < deadline:
            time.sleep(0.05)
