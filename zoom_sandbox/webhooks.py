"""Zoom → app notifications (CONTRACT §4): signed like Zoom, retried like Zoom, logged.

Deliveries run on worker threads so that no HTTP reply waits for them. Retries are scheduled on
the sandbox clock: a test can shorten the delays in the configuration or move the clock on.
"""

import heapq
import itertools
import json
import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

from .crypto import hmac_sha256_hex, webhook_signature
from .state import iso_millis

USER_AGENT = "Zoom Marketplace/1.0a (zoom-sandbox)"


def sign_request(secret, body, now):
    timestamp = str(int(now))
    return {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "x-zm-request-timestamp": timestamp,
        "x-zm-signature": webhook_signature(secret, timestamp, body),
    }


def post(client, url, secret, body, now, timeout):
    """One signed POST: (status code or None, error text or None, response or None, ms)."""
    started = time.perf_counter()
    try:
        response = client.post(
            url, content=body, headers=sign_request(secret, body, now), timeout=timeout
        )
    except httpx.HTTPError as exc:
        elapsed = round((time.perf_counter() - started) * 1000, 1)
        return None, f"{type(exc).__name__}: {exc}", None, elapsed
    elapsed = round((time.perf_counter() - started) * 1000, 1)
    return response.status_code, None, response, elapsed


class Webhooks:
    def __init__(self, config, clock):
        self.config, self.clock = config, clock
        self._lock = threading.Condition()
        self._queue = []
        self._order = itertools.count()
        self._ids = itertools.count(1)
        self._deliveries = []
        self._epoch = 0
        self._in_flight = 0
        self._stopping = False
        self._thread = None
        self._pool = None
        self._client = None

    def start(self):
        self._stopping = False
        self._client = httpx.Client(follow_redirects=False)
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="zoom-sandbox-webhook")
        self._thread = threading.Thread(
            target=self._run, name="zoom-sandbox-webhooks", daemon=True
        )
        self._thread.start()

    def stop(self):
        with self._lock:
            self._stopping = True
            self._lock.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
        if self._client is not None:
            self._client.close()
            self._client = None

    def reset(self):
        """Forget every delivery, cancel pending retries, and let attempts under way finish.

        Once this returns, nothing sent before it can reach an app any more.
        """
        with self._lock:
            self._epoch += 1
            self._queue.clear()
            self._deliveries.clear()
            self._lock.wait_for(lambda: self._in_flight == 0, self.config.webhook_timeout + 1)

    def wake(self):
        """The clock moved: retries that are now due go out."""
        with self._lock:
            self._lock.notify_all()

    def deliveries(self):
        with self._lock:
            return [json.loads(json.dumps(d)) for d in self._deliveries]

    def _record(self, app, event, user_id, url, payload):
        delivery = {
            "id": next(self._ids),
            "event": event,
            "client_id": app.client_id,
            "user_id": user_id,
            "url": url,
            "payload": payload,
            "status": "pending",
            "attempts": [],
            "next_attempt_at": None,
        }
        with self._lock:
            self._deliveries.append(delivery)
        return delivery

    def app_deauthorized(self, app, user, when):
        """Queue Zoom's app_deauthorized event for the app's notification URL."""
        deauthorized_at = iso_millis(when)
        payload = {
            "event": "app_deauthorized",
            "event_ts": int(when * 1000),
            "payload": {
                "account_id": user.account_id,
                "user_id": user.user_id,
                "signature": hmac_sha256_hex(
                    app.webhook_secret or app.client_secret,
                    f"{user.account_id}:{user.user_id}:{deauthorized_at}".encode(),
                ),
                "deauthorization_time": deauthorized_at,
                "client_id": app.client_id,
                "user_data_retention": "false",
            },
        }
        delivery = self._record(app, "app_deauthorized", user.user_id, app.webhook_url, payload)
        if not app.webhook_url:
            with self._lock:
                delivery["status"] = "skipped"
                delivery["error"] = "The app has no notification URL."
            return delivery
        body = json.dumps(payload, separators=(",", ":")).encode()
        self._schedule(self.clock.now(), app, delivery, body, self._epoch)
        return delivery

    def _schedule(self, due, app, delivery, body, epoch):
        with self._lock:
            if epoch != self._epoch or self._stopping:
                return
            heapq.heappush(self._queue, (due, next(self._order), app, delivery, body, epoch))
            self._lock.notify_all()

    def _run(self):
        with self._lock:
            while not self._stopping:
                if not self._queue:
                    self._lock.wait()
                    continue
                wait = self._queue[0][0] - self.clock.now()
                if wait > 0:
                    self._lock.wait(wait)
                    continue
                _, _, app, delivery, body, epoch = heapq.heappop(self._queue)
                self._in_flight += 1
                self._pool.submit(self._attempt, app, delivery, body, epoch)

    def _attempt(self, app, delivery, body, epoch):
        try:
            if epoch == self._epoch:
                self._deliver(app, delivery, body, epoch)
        finally:
            with self._lock:
                self._in_flight -= 1
                self._lock.notify_all()

    def _deliver(self, app, delivery, body, epoch):
        now = self.clock.now()
        status, error, _, elapsed = post(
            self._client,
            delivery["url"],
            app.webhook_secret,
            body,
            now,
            self.config.webhook_timeout,
        )
        delays = self.config.webhook_retry_delays
        with self._lock:
            if epoch != self._epoch:
                return
            number = len(delivery["attempts"]) + 1
            delivery["attempts"].append(
                {
                    "number": number,
                    "at": iso_millis(now),
                    "timestamp": str(int(now)),
                    "status_code": status,
                    "error": error,
                    "duration_ms": elapsed,
                }
            )
            # Zoom counts only 200 and 204 within the timeout as delivered.
            if status in (200, 204):
                delivery["status"], delivery["next_attempt_at"] = "delivered", None
                return
            if number > len(delays):
                delivery["status"], delivery["next_attempt_at"] = "failed", None
                return
            due = self.clock.now() + delays[number - 1]
            delivery["next_attempt_at"] = iso_millis(due)
        self._schedule(due, app, delivery, body, epoch)

    def url_validation(self, app, url=None):
        """Send endpoint.url_validation and check the app's answer, as Zoom does on setup."""
        url = url or app.webhook_url
        plain = secrets.token_urlsafe(16)
        now = self.clock.now()
        payload = {
            "payload": {"plainToken": plain},
            "event_ts": int(now * 1000),
            "event": "endpoint.url_validation",
        }
        delivery = self._record(app, "endpoint.url_validation", None, url, payload)
        expected = hmac_sha256_hex(app.webhook_secret, plain.encode())
        if not url:
            result = {"ok": False, "reason": "The app has no notification URL."}
        else:
            body = json.dumps(payload, separators=(",", ":")).encode()
            status, error, response, elapsed = post(
                self._client, url, app.webhook_secret, body, now, self.config.webhook_timeout
            )
            result = {"status_code": status, "duration_ms": elapsed}
            result.update(_judge(response, error, plain, expected))
        result.update(url=url, plainToken=plain, expected_encryptedToken=expected)
        with self._lock:
            delivery["status"] = "delivered" if result["ok"] else "failed"
            delivery["result"] = result
        return result


def _judge(response, error, plain, expected):
    if response is None:
        return {"ok": False, "reason": error}
    if response.status_code != 200:
        return {"ok": False, "reason": f"Expected status 200, got {response.status_code}."}
    try:
        answer = response.json()
    except ValueError:
        return {"ok": False, "reason": "The answer is not JSON."}
    if not isinstance(answer, dict):
        return {"ok": False, "reason": "The answer is not a JSON object."}
    if answer.get("plainToken") != plain:
        return {"ok": False, "reason": "plainToken does not match.", "answer": answer}
    if answer.get("encryptedToken") != expected:
        return {
            "ok": False,
            "reason": "encryptedToken is not HMAC-SHA256(secret, plainToken).",
            "answer": answer,
        }
    return {"ok": True, "reason": None, "answer": answer}
