"""Schemathesis hooks for fuzz/fuzz.py (loaded through SCHEMATHESIS_HOOKS): a live, signed-in
shopper behind every request, and their own ids in paths and bodies.

- Shoppers come from a pool file (fuzz/pool.py seeds them with the demo shopper's data, one JSON
  line each). The auth provider signs one in with POST /auth/login/password and hands out its
  access token. When the token stops working (a 401, or a logout, password change or reset, or an
  erasure seen in an answer) the next request gets a fresh session: the same shopper signed in
  again, or the next shopper when that one cannot sign in any more. An exhausted pool is topped up
  through fuzz/pool.py, up to FUZZ_POOL_MAX shoppers; sign-in attempts per token are bounded too.
- One shopper per operation (FUZZ_SESSION_SCOPE=operation; "shared": one for all) in the coverage
  and fuzzing phases, so each operation finds orders, returns and reviews nobody used up yet, and
  a logout or an erasure in one operation never ends another one's token; one more shopper for
  the stateful phase, whose scenarios chain operations.
- Owned ids, put in when a case is generated: `{id}`/`{user_id}`/`{customer_id}` (and `user_id` in the orders
  query and review bodies) become the signed-in shopper's id most of the time; `{order_number}`,
  `{address_id}`, `{account_id}`, `{return_ref}`, `{product_id}` and ids in bodies become one of
  theirs part of the time, so requests get past the ownership checks to the logic behind them.
  Parameters a negative case mutated on purpose are left alone. Whether and which value goes in
  is a hash of the generated case, so a run with the same seed makes the same choices.
- Secrets, put in just before a request goes out: the shopper's real password (sign-in, change
  password, erasure), refresh token, or a fresh reset code in part of the cases, so those
  operations actually succeed now and then.
- Every answer is tallied per operation and status into FUZZ_STATS (JSON) for fuzz.py's summary.

Environment (set by fuzz.py): FUZZ_API (API base URL), FUZZ_POOL (pool file), FUZZ_POOL_PREFIX,
FUZZ_POOL_MAX, FUZZ_STATS, FUZZ_SESSION_SCOPE; FUZZ_TRACE (optional): a file that gets one JSON
line per request (for digging into a failure).
"""

import atexit
import collections
import itertools
import json
import os
import subprocess
import sys
import threading
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import requests
import schemathesis

try:  # private in schemathesis 4.x (pinned); without it, negative cases are left alone entirely
    from schemathesis.generation.meta import negated_parameters
except ImportError:  # pragma: no cover
    negated_parameters = None

ROOT = Path(__file__).resolve().parents[1]
API = os.environ.get("FUZZ_API", "http://127.0.0.1:8300/api/v1/storefront").rstrip("/")
POOL_FILE = os.environ.get("FUZZ_POOL", "")
POOL_PREFIX = os.environ.get("FUZZ_POOL_PREFIX", "fuzz")
POOL_MAX = int(os.environ.get("FUZZ_POOL_MAX", "200"))
POOL_TOP_UP = int(os.environ.get("FUZZ_POOL_TOP_UP", "10"))
STATS_FILE = os.environ.get("FUZZ_STATS", "")
TIMEOUT = 20
# At most this many sign-in attempts for one token, so a broken sign-in ends the run with an error.
SIGN_IN_ATTEMPTS = 25


# --- the pool ----------------------------------------------------------------------------------


@dataclass(eq=False)
class Shopper:
    email: str
    password: str
    id: str
    orders: list[str]
    addresses: list[str]
    bank_accounts: list[str]
    returns: list[list[str]]  # [order_number, request_number, id]
    order_products: dict[str, list[str]]
    products: list[str]
    ready: list[list[str]] = field(default_factory=list)  # [product_id, order_number] ready for review
    delivered: list[str] = field(default_factory=list)  # order numbers with delivered items
    usable: bool = True


@dataclass(eq=False)
class Session:
    shopper: Shopper
    access: str
    refresh: str
    dead: bool = False  # known to be ended: sign in again before the next request
    suspect: bool = False  # answered 401 once: check it before using it again


class Pool:
    """Shoppers and their sessions. One session per key: "shared", or the operation's label when
    FUZZ_SESSION_SCOPE=operation (the session-ending run), so that a logout or an erasure in one
    operation does not pull the token from under another one running at the same time."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.shoppers: list[Shopper] = []
        self.loaded_lines = 0
        self.next_index = 0
        self.sessions: dict[str, Session] = {}
        self.by_token: dict[str, Session] = {}
        self.otp_tokens: dict[str, Shopper] = {}
        self.reset_codes: dict[str, list] = {}  # email -> [otp, otp_token, tries left]
        self.stats = {"sign_ins": 0, "sign_in_failures": 0, "shoppers_used": 0, "top_ups": 0, "checks": 0}
        self.answers: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        self._load()

    def _load(self) -> None:
        if not POOL_FILE or not os.path.exists(POOL_FILE):
            return
        with open(POOL_FILE, encoding="utf-8") as fh:
            lines = fh.read().splitlines()
        for line in lines[self.loaded_lines :]:
            if line.strip():
                self.shoppers.append(Shopper(**json.loads(line)))
        self.loaded_lines = len(lines)

    def _top_up(self) -> None:
        start = len(self.shoppers)
        count = min(POOL_TOP_UP, POOL_MAX - start)
        if count <= 0:
            raise RuntimeError(f"fuzz pool exhausted: all {start} shoppers used (FUZZ_POOL_MAX={POOL_MAX})")
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "fuzz" / "pool.py"),
                "--prefix",
                POOL_PREFIX,
                "--start",
                str(start),
                "--count",
                str(count),
                "--out",
                POOL_FILE,
            ],
            cwd=ROOT,
            check=True,
            timeout=300,
        )
        self.stats["top_ups"] += 1
        self._load()

    def _sign_in(self, shopper: Shopper) -> Session | None:
        self.stats["sign_ins"] += 1
        try:
            response = requests.post(
                f"{API}/auth/login/password",
                json={"email": shopper.email, "password": shopper.password},
                timeout=TIMEOUT,
            )
            content = response.json()["content"] if response.status_code == 200 else None
        except (requests.RequestException, ValueError, KeyError, TypeError):
            content = None
        if not content:
            self.stats["sign_in_failures"] += 1
            return None
        session = Session(shopper=shopper, access=content["access_token"], refresh=content["refresh_token"])
        self._refresh_ids(session)
        self.by_token[f"Bearer {session.access}"] = session
        return session

    def _refresh_ids(self, session: Session) -> None:
        """The shopper's current ids (the fuzzer adds and deletes some); keep the seeded ones on error."""
        shopper, headers = session.shopper, {"Authorization": f"Bearer {session.access}"}
        lists = {
            "orders": f"/orders?user_id={shopper.id}&limit=50",
            "addresses": f"/customers/{shopper.id}/addresses?limit=50",
            "bank_accounts": f"/customers/{shopper.id}/bank-accounts?limit=50",
            "returns": "/orders/returns?limit=50",
            "ready_for_review": f"/customers/{shopper.id}/reviews",
        }
        for name, path in lists.items():
            try:
                response = requests.get(f"{API}{path}", headers=headers, timeout=TIMEOUT)
                rows = response.json()["content"][name] if response.status_code == 200 else None
                if not rows:
                    continue
                if name == "orders":
                    shopper.orders = [row["order_number"] for row in rows]
                    shopper.order_products = {
                        row["order_number"]: sorted({item["product_id"] for item in row.get("order_items") or []})
                        for row in rows
                    }
                    shopper.delivered = [
                        row["order_number"]
                        for row in rows
                        if row.get("status") in ("delivered", "partially_delivered", "complete")
                    ]
                elif name == "ready_for_review":
                    shopper.ready = [[row["product_id"], row["order_number"]] for row in rows]
                elif name == "returns":
                    shopper.returns = [
                        [row["order_number"], row["request_number"], row["request_number"]] for row in rows
                    ]
                else:
                    setattr(shopper, name, [row["id"] for row in rows])
            except (requests.RequestException, ValueError, KeyError, TypeError):
                continue

    def _is_live(self, session: Session) -> bool:
        self.stats["checks"] += 1
        try:
            response = requests.get(
                f"{API}/auth/user/{session.shopper.id}",
                headers={"Authorization": f"Bearer {session.access}"},
                timeout=TIMEOUT,
            )
        except requests.RequestException:
            return False
        return response.status_code == 200

    def session(self, key: str) -> Session:
        """A live signed-in session for `key`: its current one, or a new one."""
        with self.lock:
            current = self.sessions.get(key)
            if current is not None and not current.dead:
                if not current.suspect:
                    return current
                if self._is_live(current):
                    current.suspect = False
                    return current
                current.dead = True
            for _ in range(SIGN_IN_ATTEMPTS):
                if current is not None and current.shopper.usable:
                    shopper = current.shopper  # the same shopper again (after a logout, a reset...)
                else:
                    shopper = self._next_shopper()
                session = self._sign_in(shopper)
                if session is not None:
                    self.sessions[key] = session
                    self._save_stats()
                    return session
                shopper.usable = False  # erased, password unknown, or locked: take the next one
                current = None
            raise RuntimeError(f"fuzz: no shopper could sign in after {SIGN_IN_ATTEMPTS} attempts")

    def _next_shopper(self) -> Shopper:
        """A shopper no session has had yet (so one key's erasure never hits another key)."""
        while self.next_index >= len(self.shoppers):
            self._top_up()
        shopper = self.shoppers[self.next_index]
        self.next_index += 1
        self.stats["shoppers_used"] += 1
        return shopper

    def note_answer(self, label: str, status: int) -> None:
        with self.lock:
            self.answers[label][status] += 1
            if sum(sum(c.values()) for c in self.answers.values()) % 200 == 0:
                self._save_stats()

    def _save_stats(self) -> None:
        if not STATS_FILE:
            return
        data = {
            **self.stats,
            "pool_size": len(self.shoppers),
            "answers": {label: dict(counter) for label, counter in self.answers.items()},
        }
        tmp = f"{STATS_FILE}.tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(data, fh)
        os.replace(tmp, STATS_FILE)


POOL = Pool()
atexit.register(POOL._save_stats)


# --- choices that a rerun with the same seed repeats ---------------------------------------------


class _Choices:
    """Per case: whether and which real value each parameter gets, fixed at the first decision so a
    re-sign-in (which calls `set` again) puts in the new shopper's value at the same places."""

    def __init__(self, maxsize: int = 4096) -> None:
        self.lock = threading.Lock()
        self.by_case: collections.OrderedDict[str, dict] = collections.OrderedDict()
        self.maxsize = maxsize

    def get(self, case) -> dict:
        with self.lock:
            state = self.by_case.get(case.id)
            if state is None:
                state = self.by_case[case.id] = {}
                while len(self.by_case) > self.maxsize:
                    self.by_case.popitem(last=False)
            return state


CHOICES = _Choices()


def _hash(*parts) -> int:
    return zlib.crc32(repr(parts).encode("utf-8", "backslashreplace"))


_SEEN: collections.Counter = collections.Counter()


def _fingerprint(case) -> int:
    """The generated case as it was before any filling in (bodies can be megabytes: their start),
    and how many cases looked the same before it (an operation with no inputs but its path)."""
    body = case.body
    fingerprint = _hash(
        case.operation.label,
        case.method,
        sorted((case.path_parameters or {}).items(), key=str),
        sorted((case.query or {}).items(), key=str),
        repr(body)[:2000],
        len(repr(body)),
    )
    with CHOICES.lock:
        _SEEN[fingerprint] += 1
        return _hash(fingerprint, _SEEN[fingerprint])


def _decide(state: dict, case, key: str, original, p: float) -> int | None:
    """None: leave the generated value; otherwise a number for picking a real value."""
    if key not in state:
        if "fp" not in state:
            state["fp"] = _fingerprint(case)
        h = _hash(state["fp"], key, original)
        state[key] = (h >> 8) if (h & 0xFF) < p * 256 else None
    return state[key]


def _negated(case) -> set[str]:
    meta = getattr(case, "_meta", None)
    if meta is None:
        return set()
    if negated_parameters is None:
        return {"*"} if meta.generation.mode.is_negative else set()
    return {name for name, _location in negated_parameters(meta)}


def _is_negative(case) -> bool:
    meta = getattr(case, "_meta", None)
    return meta is not None and meta.generation.mode.is_negative


def _endpoint(case) -> str:
    """'METHOD /path/template' below the API base, e.g. 'DELETE /auth/user/{id}'."""
    return f"{case.method.upper()} {case.path.split('/api/v1/storefront', 1)[-1]}"


# --- filling in owned ids -------------------------------------------------------------------------


def _fill(case, session: Session) -> None:
    shopper = session.shopper
    state = CHOICES.get(case)
    if "fp" not in state:
        state["fp"] = _fingerprint(case)
    negated = _negated(case)
    if "*" in negated:
        return
    endpoint = _endpoint(case)
    path = case.path_parameters
    if path:
        originals = state.setdefault("path", dict(path))
        for name in ("id", "user_id", "customer_id"):
            if name in path and name not in negated and _decide(state, case, name, originals[name], 0.9) is not None:
                path[name] = shopper.id
        for name, values, p in (
            ("order_number", shopper.orders, 0.8),
            ("address_id", shopper.addresses, 0.8),
            ("account_id", shopper.bank_accounts, 0.8),
        ):
            if name in path and name not in negated and values:
                pick = _decide(state, case, name, originals[name], p)
                if pick is not None:
                    path[name] = values[pick % len(values)]
        if "return_ref" in path and "return_ref" not in negated and shopper.returns:
            pick = _decide(state, case, "return_ref", originals["return_ref"], 0.8)
            if pick is not None:
                order_number, request_number, return_id = shopper.returns[pick % len(shopper.returns)]
                path["return_ref"] = request_number if pick % 2 else return_id
                if "order_number" in path and "order_number" not in negated:
                    path["order_number"] = order_number
        state.pop("review_order", None)
        if "product_id" in path and "product_id" not in negated:
            pick = _decide(state, case, "product_id", originals["product_id"], 0.8)
            if pick is not None and endpoint == "POST /catalog/products/{product_id}/reviews" and shopper.ready:
                # A product the shopper may review, and the order that brought it for the body.
                path["product_id"], state["review_order"] = shopper.ready[pick % len(shopper.ready)]
            elif pick is not None:
                bought = sorted({p for products in shopper.order_products.values() for p in products})
                values = bought or shopper.products
                path["product_id"] = values[pick % len(values)]
        if endpoint in RETURN_CREATE and "order_number" in path and "order_number" not in negated and shopper.delivered:
            pick = _decide(state, case, "return_order", originals["order_number"], 0.8)
            if pick is not None:
                path["order_number"] = shopper.delivered[pick % len(shopper.delivered)]
    query = case.query
    if query and endpoint == "GET /orders" and "user_id" in query and "user_id" not in negated:
        if _decide(state, case, "q.user_id", state.setdefault("q.user_id.orig", query["user_id"]), 0.9) is not None:
            query["user_id"] = shopper.id
    if not _is_negative(case) and isinstance(case.body, dict):
        _fill_body(case, state, case.body, shopper)


def _fill_body(case, state: dict, body: dict, shopper: Shopper) -> None:
    originals = state.setdefault("body", {k: body.get(k) for k in ("user_id", "order_number", "bank_account_id")})
    if "user_id" in body and _decide(state, case, "b.user_id", originals["user_id"], 0.9) is not None:
        body["user_id"] = shopper.id
    if "order_number" in body and shopper.orders:
        pick = _decide(state, case, "b.order_number", originals["order_number"], 0.7)
        if pick is not None:
            # Under a product picked from "ready for review", the order that brought it.
            body["order_number"] = state.get("review_order") or shopper.orders[pick % len(shopper.orders)]
    if "bank_account_id" in body and shopper.bank_accounts:
        pick = _decide(state, case, "b.bank_account_id", originals["bank_account_id"], 0.7)
        if pick is not None:
            body["bank_account_id"] = shopper.bank_accounts[pick % len(shopper.bank_accounts)]
    order_number = case.path_parameters.get("order_number") if case.path_parameters else None
    products = shopper.order_products.get(order_number) if order_number else None
    if products:
        for key in ("return_items", "items"):
            lines = body.get(key)
            for index, line in enumerate(lines if isinstance(lines, list) else []):
                if isinstance(line, dict) and "product_id" in line:
                    pick = _decide(state, case, f"b.{key}.{index}", line.get("product_id"), 0.7)
                    if pick is not None:
                        line["product_id"] = products[pick % len(products)]
                        if pick % 2:  # a line the return rules accept: one item, a reason, a resolution
                            line["quantity"] = 1
                            line["resolution"] = "refund" if pick % 4 == 1 else "replacement"
                            if not (isinstance(line.get("return_reason"), str) and line["return_reason"].strip()):
                                line["return_reason"] = "Fuzz: does not fit"


RETURN_CREATE = ("POST /orders/{order_number}/returns", "POST /orders/{order_number}/return")
_SERIAL = itertools.count(1)


def _fresh_address(pick: int) -> str:
    return f"fuzz-new-{os.getpid()}-{next(_SERIAL)}-{pick & 0xFFFF:04x}@example.com"


def _fill_secrets(case, session: Session) -> None:
    """Just before a request goes out: the password or refresh token of the shopper whose token it
    carries, as they are now (a replay after a re-sign-in gets the new shopper's)."""
    state = CHOICES.get(case)
    endpoint = _endpoint(case)
    shopper = session.shopper
    body = case.body
    if endpoint == "DELETE /auth/user/{id}":
        # The schema cannot describe this DELETE's JSON body (drf-spectacular drops DELETE bodies),
        # so schemathesis generates none: send the password, right or wrong.
        pick = _decide(state, case, "erase", None, 0.6)
        if pick is not None:
            case.body = {"password": shopper.password if pick % 2 else f"{shopper.password}-wrong"}
            case.media_type = "application/json"
        return
    if not isinstance(body, dict):
        return
    originals = state.setdefault(
        "secrets",
        {
            k: body.get(k)
            for k in (
                "email",
                "password",
                "old_password",
                "new_password",
                "refresh_token",
                "otp_token",
            )
        },
    )
    if endpoint == "POST /auth/login/password":
        if _decide(state, case, "b.login", (originals["email"], originals["password"]), 0.3) is not None:
            body.pop("phone", None)
            body["email"], body["password"] = shopper.email, shopper.password
    elif endpoint == "POST /auth/change-password":
        pick = _decide(state, case, "b.old_password", originals["old_password"], 0.7)
        if pick is not None:
            body["old_password"] = shopper.password
            if pick % 3 == 0:  # a password the validators accept: the change goes through
                body["new_password"] = body["confirm_password"] = f"Fz-{pick & 0xFFFFFF:06x}-{shopper.id[-6:]}"
            elif pick % 3 == 1 and isinstance(body.get("new_password"), str):
                body["confirm_password"] = body["new_password"]
    elif endpoint == "POST /auth/refresh-token":
        if _decide(state, case, "b.refresh_token", originals["refresh_token"], 0.5) is not None:
            body["refresh_token"] = session.refresh
    elif endpoint == "POST /auth/reset-password":
        pick = _decide(state, case, "b.reset", originals["otp_token"], 0.5)
        if pick is not None:
            _fill_reset_code(body, shopper, pick)
    elif endpoint == "POST /auth/register/password":
        pick = _decide(state, case, "b.register", (originals["email"], originals["password"]), 0.3)
        if pick is not None:  # a new address and a password the validators accept
            body.pop("phone", None)
            body["email"] = _fresh_address(pick)
            body["password"] = body["confirm_password"] = f"Fz-{pick & 0xFFFFFF:06x}-new-pass"
    elif endpoint == "POST /auth/verify-otp":
        pick = _decide(state, case, "b.verify", originals["otp_token"], 0.3)
        if pick is not None:  # the code of a registration started here, for a new address
            try:
                response = requests.post(
                    f"{API}/auth/register/password",
                    headers={"x-debug-mode": "true"},
                    timeout=TIMEOUT,
                    json={
                        "email": _fresh_address(pick),
                        "password": f"Fz-{pick & 0xFFFFFF:06x}-new-pass",
                        "confirm_password": f"Fz-{pick & 0xFFFFFF:06x}-new-pass",
                    },
                )
                content = response.json().get("content") or {}
            except (requests.RequestException, ValueError, AttributeError):
                return
            if response.status_code == 200 and content.get("otp"):
                body["otp"], body["otp_token"], body["otp_action"] = content["otp"], content["otp_token"], "register"


def _fill_reset_code(body: dict, shopper: Shopper, pick: int) -> None:
    """A real reset code for the shopper (the answer carries it with x-debug-mode while DEBUG is on).
    One code per address every 30 seconds, so a code is kept for up to three tries (a weak new
    password does not use it up) and mostly sent with a password the validators accept."""
    with POOL.lock:
        cached = POOL.reset_codes.get(shopper.email)
        if cached is not None:
            cached[2] -= 1
            if cached[2] <= 0:
                del POOL.reset_codes[shopper.email]
    if cached is None:
        try:
            response = requests.post(
                f"{API}/auth/forgot-password",
                json={"email": shopper.email},
                headers={"x-debug-mode": "true"},
                timeout=TIMEOUT,
            )
            content = response.json().get("content") or {}
        except (requests.RequestException, ValueError, AttributeError):
            return
        with POOL.lock:
            if response.status_code != 200 or not content.get("otp"):
                POOL.stats["reset_codes_refused"] = POOL.stats.get("reset_codes_refused", 0) + 1
                return
            POOL.stats["reset_codes"] = POOL.stats.get("reset_codes", 0) + 1
            cached = POOL.reset_codes[shopper.email] = [content["otp"], content["otp_token"], 2]
            POOL.otp_tokens[content["otp_token"]] = shopper
    body["otp"], body["otp_token"] = cached[0], cached[1]
    if pick % 4:
        body["new_password"] = body["confirm_password"] = f"Fz-{pick & 0xFFFFFF:06x}-{shopper.id[-6:]}"
    elif isinstance(body.get("new_password"), str):
        body["confirm_password"] = body["new_password"]


# --- the hooks ------------------------------------------------------------------------------------


SESSION_SCOPE = os.environ.get("FUZZ_SESSION_SCOPE", "shared")


def _session_key(case, context) -> str:
    """Coverage and fuzzing test one operation at a time: with FUZZ_SESSION_SCOPE=operation each gets
    its own shopper, whose orders, returns and reviews other operations have not used up, and whose
    logout or erasure ends nobody else's token. Stateful scenarios chain operations: one shopper."""
    meta = getattr(case, "_meta", None)
    if meta is not None and meta.phase.name.value == "stateful":
        return "stateful"
    return case.operation.label if SESSION_SCOPE == "operation" else "shared"


@schemathesis.auth(refresh_interval=600, cache_by_key=_session_key)
class FreshShopper:
    """A live session of a pool shopper. Schemathesis calls `get` at the start, every 10 minutes,
    and after a 401 (then it replays the request with what `set` puts in)."""

    def get(self, case, context):
        key = _session_key(case, context)
        with POOL.lock:
            if key in POOL.sessions:
                POOL.sessions[key].suspect = True  # check it before using it again
            return key, POOL.session(key)

    def set(self, case, data, context):
        key, session = data
        if session.dead or session.suspect:
            session = POOL.session(key)
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {session.access}"
        _fill(case, session)


@schemathesis.hook
def before_call(context, case, kwargs):
    session = POOL.by_token.get((case.headers or {}).get("Authorization", ""))
    if session is not None and not _is_negative(case) and case.method.upper() == case.operation.method.upper():
        _fill_secrets(case, session)


TRACE_FILE = os.environ.get("FUZZ_TRACE", "")


def _trace(case, response) -> None:
    meta = getattr(case, "_meta", None)
    line = {
        "label": case.operation.label,
        "method": case.method,
        "url": response.request.url,
        "status": response.status_code,
        "phase": str(meta.phase.name.value) if meta else None,
        "negative": _is_negative(case),
        "signed_in": (case.headers or {}).get("Authorization", "") in POOL.by_token,
        "sent": repr(response.request.body)[:1500],
        "answer": response.text_lossy()[:300],
    }
    with POOL.lock, open(TRACE_FILE, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(line) + "\n")


@schemathesis.hook
def after_call(context, case, response):
    status = response.status_code
    # Not schemathesis's capability probes before the phases, nor its probes with other methods.
    if getattr(case, "_meta", None) is not None and case.method.upper() == case.operation.method.upper():
        POOL.note_answer(case.operation.label, status)
    if TRACE_FILE:
        _trace(case, response)
    endpoint = _endpoint(case)
    body = case.body if isinstance(case.body, dict) else {}
    with POOL.lock:
        session = POOL.by_token.get((case.headers or {}).get("Authorization", ""))
        if session is not None and status == 401:
            session.suspect = True
        if not 200 <= status < 300:
            return
        if endpoint == "POST /auth/logout" and session is not None:
            session.dead = True
        elif endpoint == "POST /auth/change-password" and session is not None:
            if isinstance(body.get("new_password"), str):
                session.shopper.password = body["new_password"]
            session.suspect = True  # other sessions end, this one gets new tokens
        elif endpoint == "DELETE /auth/user/{id}" and session is not None:
            session.shopper.usable = False
            session.dead = True
        elif endpoint == "POST /auth/reset-password":
            shopper = POOL.otp_tokens.pop(body.get("otp_token"), None)
            if shopper is not None:
                POOL.reset_codes.pop(shopper.email, None)  # used up
            if shopper is not None and isinstance(body.get("new_password"), str):
                shopper.password = body["new_password"]
                for other in POOL.by_token.values():
                    if other.shopper is shopper:
                        other.dead = True  # every session of the shopper ends
        elif (
            endpoint == "POST /auth/refresh-token"
            and session is not None
            and body.get("refresh_token") == session.refresh
        ):
            try:
                session.refresh = response.json()["content"]["refresh_token"]
            except (ValueError, KeyError, TypeError):
                session.suspect = True
        if endpoint in (
            "POST /auth/logout",
            "POST /auth/change-password",
            "DELETE /auth/user/{id}",
            "POST /auth/reset-password",
        ):
            POOL._save_stats()
