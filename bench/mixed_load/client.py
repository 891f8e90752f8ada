"""The orchestrator's own HTTP calls (the probe, the two-node writes), from a chosen loopback address.

Status 0 means the connection was dropped or refused, TIMEOUT that no
answer came in time.
"""
import http.client
import json
import socket
from urllib.parse import urlsplit

TIMEOUT = -1


def call(base, path, token=None, payload=None, source="127.0.0.1", timeout=30):
    """(status, parsed JSON or None) of GET `path` (POST when `payload` is given) on `base`."""
    url = urlsplit(base)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout, source_address=(source, 0))
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        connection.request("POST" if payload is not None else "GET", path,
                           body=json.dumps(payload) if payload is not None else None, headers=headers)
        response = connection.getresponse()
        body = response.read()
    except (socket.timeout, TimeoutError):
        return TIMEOUT, None
    except OSError:
        return 0, None
    finally:
        connection.close()
    try:
        return response.status, json.loads(body) if body else None
    except ValueError:
        return response.status, None


def describe(status):
    return {0: "no answer", TIMEOUT: "timeout"}.get(status, str(status))
