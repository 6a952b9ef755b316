"""The sans-IO SOCKS4, SOCKS4a and SOCKS5 clients of httpcore_lite.protocol.socks: the bytes
they write and how they judge every reply (success, failure codes, garbage, hang-ups)."""

from __future__ import annotations

import pytest

from httpcore_lite.exceptions import InvalidURL, ProxyError
from httpcore_lite.protocol.socks import (
    NO_AUTH,
    USERNAME_PASSWORD,
    Authenticated,
    Connected,
    MethodSelected,
    SOCKS4Client,
    SOCKS5Client,
)


def test_socks5_handshake_without_auth():
    proto = SOCKS5Client()
    assert proto.greeting() == b"\x05\x01\x00"
    assert proto.receive_data(b"\x05") is None
    assert proto.receive_data(b"\x00") == MethodSelected(NO_AUTH)
    assert proto.connect_request("example.org", 443) == b"\x05\x01\x00\x03\x0bexample.org\x01\xbb"
    assert proto.receive_data(b"\x05\x00\x00\x01\x7f\x00") is None
    assert proto.receive_data(b"\x00\x01\x04\x38") == Connected("127.0.0.1", 1080)
    assert proto.done and proto.trailing_data == b""


def test_socks5_handshake_with_auth_and_ip_targets():
    proto = SOCKS5Client("user", "pässword")
    assert proto.greeting() == b"\x05\x02\x00\x02"
    assert proto.receive_data(b"\x05\x02") == MethodSelected(USERNAME_PASSWORD)
    secret = "pässword".encode()
    assert proto.auth_request() == b"\x01\x04user" + bytes((len(secret),)) + secret
    assert proto.receive_data(b"\x01\x00") == Authenticated()
    request = proto.connect_request("::1", 80)
    assert request == b"\x05\x01\x00\x04" + b"\x00" * 15 + b"\x01\x00\x50"
    assert proto.receive_data(b"\x05\x00\x00\x03\x04host\x00\x50") == Connected("host", 80)


def test_socks5_ipv4_target_is_an_address():
    proto = SOCKS5Client()
    proto.greeting()
    proto.receive_data(b"\x05\x00")
    assert proto.connect_request("10.1.2.3", 8080) == b"\x05\x01\x00\x01\x0a\x01\x02\x03\x1f\x90"


@pytest.mark.parametrize(
    ("code", "meaning"),
    [
        (1, "general SOCKS server failure"),
        (2, "connection not allowed by ruleset"),
        (3, "network unreachable"),
        (4, "host unreachable"),
        (5, "connection refused"),
        (6, "TTL expired"),
        (7, "command not supported"),
        (8, "address type not supported"),
        (0x42, "unassigned reply code"),
    ],
)
def test_socks5_failure_codes_name_their_meaning(code, meaning):
    proto = SOCKS5Client()
    proto.greeting()
    proto.receive_data(b"\x05\x00")
    proto.connect_request("example.org", 80)
    with pytest.raises(ProxyError, match=f"{meaning} \\(reply code {code:#04x}\\)"):
        proto.receive_data(bytes((5, code, 0, 1, 0, 0, 0, 0, 0, 0)))


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (b"HTTP/1.1 400 Bad Request\r\n", "not a SOCKS5 method selection"),
        (b"\x05\x01", "method 0x01 was not offered"),
        (b"\x05\x02", "method 0x02 was not offered"),  # no credentials were offered
        (b"\x05\x00\x05", "unexpected bytes after a negotiation reply"),
        (b"\x05\xff", "none of the offered authentication methods.*username and password"),
    ],
)
def test_socks5_bad_method_replies(reply, message):
    proto = SOCKS5Client()
    proto.greeting()
    with pytest.raises(ProxyError, match=message):
        proto.receive_data(reply)


def test_socks5_rejected_password_and_garbage_auth_reply():
    for reply, message in [(b"\x01\x01", "rejected the username and password"), (b"\x05\x00", "")]:
        proto = SOCKS5Client("user", "wrong")
        proto.greeting()
        proto.receive_data(b"\x05\x02")
        proto.auth_request()
        with pytest.raises(ProxyError, match=message or "not a username/password reply"):
            proto.receive_data(reply)


def test_socks5_bad_connect_replies():
    for reply, message in [
        (b"\x04\x00\x00\x01" + b"\x00" * 6, "not a SOCKS5 reply"),
        (b"\x05\x00\x00\x09" + b"\x00" * 6, "unknown address type 0x09"),
    ]:
        proto = SOCKS5Client()
        proto.greeting()
        proto.receive_data(b"\x05\x00")
        proto.connect_request("example.org", 80)
        with pytest.raises(ProxyError, match=message):
            proto.receive_data(reply)


def test_socks5_eof_in_each_state_is_a_proxy_error():
    proto = SOCKS5Client("u", "p")
    proto.greeting()
    with pytest.raises(ProxyError, match="before choosing an authentication method"):
        proto.receive_data(b"")
    proto = SOCKS5Client("u", "p")
    proto.greeting()
    proto.receive_data(b"\x05\x02")
    proto.auth_request()
    with pytest.raises(ProxyError, match="during authentication"):
        proto.receive_data(b"")


def test_socks5_out_of_order_use_is_a_runtime_error():
    proto = SOCKS5Client()
    with pytest.raises(RuntimeError):
        proto.connect_request("example.org", 80)
    with pytest.raises(RuntimeError):
        proto.receive_data(b"\x05\x00")
    proto.greeting()
    with pytest.raises(RuntimeError):
        proto.auth_request()


def test_socks5_credentials_are_bounded():
    with pytest.raises(InvalidURL):
        SOCKS5Client("u" * 256, "p")
    with pytest.raises(InvalidURL):
        SOCKS5Client("", "p")


def test_socks4_and_socks4a_requests():
    proto = SOCKS4Client("me")
    assert proto.connect_request("10.0.0.1", 80) == b"\x04\x01\x00\x50\x0a\x00\x00\x01me\x00"
    assert proto.receive_data(b"\x00\x5a\x00\x50") is None
    assert proto.receive_data(b"\x00\x00\x00\x00") == Connected("0.0.0.0", 80)
    proto = SOCKS4Client()
    request = proto.connect_request("example.org", 443)
    assert request == b"\x04\x01\x01\xbb\x00\x00\x00\x01\x00example.org\x00"


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (b"\x00\x5b" + b"\x00" * 6, "request rejected or failed \\(reply code 0x5b\\)"),
        (b"\x00\x5c" + b"\x00" * 6, "cannot reach the client's identd"),
        (b"\x00\x5d" + b"\x00" * 6, "identd reports a different user ID"),
        (b"\x00\x10" + b"\x00" * 6, "unknown SOCKS4 reply code"),
        (b"HTTP/1.0 200", "not a SOCKS4 reply"),
        (b"", "before answering the connect request"),
    ],
)
def test_socks4_failures(reply, message):
    proto = SOCKS4Client()
    proto.connect_request("10.0.0.1", 80)
    with pytest.raises(ProxyError, match=message):
        proto.receive_data(reply)


def test_socks4_refuses_ipv6_targets():
    with pytest.raises(ProxyError, match="SOCKS4 cannot reach IPv6"):
        SOCKS4Client().connect_request("::1", 80)
