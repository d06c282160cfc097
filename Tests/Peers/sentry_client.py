"""A real Sentry SDK client (the `sentry-sdk` package) sending to a notifyd DSN.

Usage: sentry_client.py DSN SCENARIO [--release R] [--environment E] [--compression-level N]

Runs one scenario through `sentry_sdk` as an application would, flushes, and prints one JSON
object on stdout:

    {"events": {"<label>": "<event id>", ...},
     "requests": [{"items": ["event"], "encoding": "gzip", "status": 200, "body": "...",
                   "retry_after": null, "rate_limits": null}, ...],
     "disabled": ["<category or 'all'>", ...]}

`requests` records every envelope the SDK's own HTTP transport sent and what notifyd
answered, by wrapping two of the transport's methods; `disabled` lists the categories the SDK
stopped sending after a 429 (its reading of `X-Sentry-Rate-Limits`). The functions raising the
exceptions below are the code under test's "application": their names and the lines they
raise from are what the Swift tests expect in titles and culprits.
"""

import argparse
import json
import logging
import os
import sys
import time
import uuid

import sentry_sdk
from sentry_sdk.envelope import Envelope, Item, PayloadRef

requests = []
events = {}


def record_transport(transport):
    """Wraps the transport so every request and its answer end up in `requests`."""
    send_request = transport._send_request
    handle_response = transport._handle_response

    def recording_send(body, headers, *args, **kwargs):
        envelope = kwargs.get("envelope")
        requests.append({
            "items": [item.type for item in envelope.items] if envelope else [],
            "encoding": headers.get("Content-Encoding"),
        })
        return send_request(body, headers, *args, **kwargs)

    def recording_handle(response, *args, **kwargs):
        headers = response.headers
        requests[-1].update({
            "status": response.status,
            "body": response.data.decode("utf-8", "replace")[:4000],
            "retry_after": headers.get("Retry-After"),
            "rate_limits": headers.get("X-Sentry-Rate-Limits"),
        })
        return handle_response(response, *args, **kwargs)

    transport._send_request = recording_send
    transport._handle_response = recording_handle


# The application: two functions with more than one raise site each.

def charge(order, stage):
    if stage == "authorize":
        raise ValueError(f"card declined for order {order}")
    if stage == "capture":
        raise ValueError(f"capture refused for order {order} by the gateway")
    raise KeyError(f"order {order}")


def reserve(item):
    raise ConnectionError(f"inventory service unreachable for {item}")


def capture(label, function, *args):
    """Raises through `function` and reports the exception; remembers the event id."""
    try:
        function(*args)
    except Exception:
        events[label] = sentry_sdk.capture_exception()


def fingerprinted(label, fingerprint, function, *args):
    with sentry_sdk.new_scope() as scope:
        scope.fingerprint = fingerprint
        capture(label, function, *args)


def send_envelope(item_type, payload, event_id=None):
    """An envelope of one item made with the SDK's own classes, sent by its transport."""
    headers = {"sent_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    if event_id:
        headers["event_id"] = event_id
    envelope = Envelope(headers=headers)
    envelope.add_item(Item(payload=payload, type=item_type))
    sentry_sdk.get_client().transport.capture_envelope(envelope)


# The scenarios.

def grouping():
    capture("value_error_1", charge, 1842, "authorize")
    capture("value_error_2", charge, 17, "capture")
    capture("key_error", charge, 5, "lookup")
    payments = logging.getLogger("payments")
    payments.error("Payment %s failed for user %s", 1842, "ann")
    events["message_1"] = sentry_sdk.last_event_id()
    payments.error("Payment %s failed for user %s", 17, "bob")
    events["message_2"] = sentry_sdk.last_event_id()
    payments.error("Refund %s failed for user %s", 17, "bob")
    events["other_message"] = sentry_sdk.last_event_id()


def fingerprints():
    # One explicit fingerprint for two different exceptions: one issue.
    fingerprinted("timeout_charge", ["checkout-timeout"], charge, 1, "authorize")
    fingerprinted("timeout_reserve", ["checkout-timeout"], reserve, "sku-1")
    # The default grouping, split by tenant: the same exception three times, two issues.
    fingerprinted("tenant_a_1", ["{{ default }}", "tenant-a"], reserve, "sku-2")
    fingerprinted("tenant_a_2", ["{{ default }}", "tenant-a"], reserve, "sku-3")
    fingerprinted("tenant_b", ["{{ default }}", "tenant-b"], reserve, "sku-4")
    # The same tenant with another exception: the default part differs, a third issue.
    fingerprinted("tenant_a_other", ["{{ default }}", "tenant-a"], charge, 3, "authorize")
    # No fingerprint: the default grouping alone, a fifth issue.
    capture("default", reserve, "sku-5")


def feedback():
    capture("error", charge, 99, "authorize")
    feedback_id = uuid.uuid4().hex
    events["feedback"] = feedback_id
    send_envelope("feedback", PayloadRef(json={
        "event_id": feedback_id,
        "timestamp": time.time(),
        "platform": "python",
        "level": "info",
        "type": "feedback",
        "contexts": {"feedback": {
            "message": "The checkout button does nothing",
            "contact_email": "ann@example.com",
            "name": "Ann",
            "url": "https://shop.example.com/checkout",
            "associated_event_id": events["error"],
        }}}), event_id=feedback_id)
    send_envelope("user_report", PayloadRef(json={
        "event_id": events["error"],
        "name": "Bob",
        "email": "bob@example.com",
        "comments": "It failed after I entered my card",
    }))


def malformed():
    event_id = uuid.uuid4().hex
    events["valid"] = event_id
    envelope = Envelope(headers={"event_id": event_id})
    envelope.add_item(Item(payload=PayloadRef(json={
        "event_id": event_id,
        "timestamp": time.time(),
        "platform": "python",
        "level": "error",
        "exception": {"values": [{"type": "RuntimeError", "value": "sent next to a broken item"}]},
    }), type="event"))
    envelope.add_item(Item(payload=PayloadRef(bytes=b"{this is not json"), type="event"))
    sentry_sdk.get_client().transport.capture_envelope(envelope)


def single():
    capture("error", charge, 7, "authorize")


def burst():
    for index in range(10):
        capture(f"error_{index}", charge, index, "authorize")
        # One request at a time: the transport's worker sends in order.
        sentry_sdk.flush(timeout=5)


SCENARIOS = {f.__name__: f for f in [grouping, fingerprints, feedback, malformed, single, burst]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dsn")
    parser.add_argument("scenario", choices=sorted(SCENARIOS))
    parser.add_argument("--release")
    parser.add_argument("--environment")
    parser.add_argument("--compression-level", type=int)
    arguments = parser.parse_args()

    experiments = {}
    if arguments.compression_level is not None:
        experiments["transport_compression_level"] = arguments.compression_level
    sentry_sdk.init(
        dsn=arguments.dsn,
        release=arguments.release,
        environment=arguments.environment,
        # This file's frames are the application's, wherever the test runs it from.
        project_root=os.path.dirname(os.path.abspath(__file__)),
        # Client reports would add requests of their own to the record.
        send_client_reports=False,
        _experiments=experiments,
    )
    record_transport(sentry_sdk.get_client().transport)
    SCENARIOS[arguments.scenario]()
    sentry_sdk.flush(timeout=10)
    disabled = sentry_sdk.get_client().transport._disabled_until
    json.dump({
        "events": events,
        "requests": requests,
        "disabled": sorted("all" if category is None else str(category) for category in disabled),
    }, sys.stdout)
    print()


if __name__ == "__main__":
    main()
