"""SSL contexts from verify/cert: what they trust, what they refuse, and that they are cached.

Verification is proven with plain ``socket`` + ``context.wrap_socket`` against the TLS httpbin
fixtures, so these tests depend on nothing but the contexts themselves.
"""

from __future__ import annotations

import os
import shutil
import socket
import ssl
import threading
from pathlib import Path
from urllib.parse import urlsplit

import certifi
import pytest

from httpcore_lite.exceptions import SSLError
from httpcore_lite.transport import tls
from httpcore_lite.transport.tls import clear_cache, context_for

VERIFY_FAILED = (ssl.SSLCertVerificationError, ssl.SSLError)


@pytest.fixture(autouse=True)
def _fresh_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    clear_cache()
    # Check the files on every call, so a change made by a test is seen at once.
    monkeypatch.setattr(tls, "RECHECK_INTERVAL", 0.0)


def _port(url: str) -> int:
    port = urlsplit(url).port
    assert port is not None
    return port


def _status_line(context: ssl.SSLContext, url: str, hostname: str = "localhost") -> bytes:
    """Handshake with the server at ``url`` (connecting to 127.0.0.1), GET /get, return line 1."""
    with socket.create_connection(("127.0.0.1", _port(url)), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname=hostname) as sock:
            sock.sendall(b"GET /get HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            data = b""
            while b"\r\n" not in data:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                data += chunk
            return data.split(b"\r\n", 1)[0]


def _other_ca_bundle(tmp_path: Path) -> str:
    import trustme

    path = tmp_path / "other-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(path))
    return str(path)


# --- what the context is ------------------------------------------------------------------------


def test_verifying_context_settings(ca_bundle: str) -> None:
    for verify in (True, ca_bundle):
        context = context_for(verify, None)
        assert context.protocol == ssl.PROTOCOL_TLS_CLIENT
        assert context.minimum_version == ssl.TLSVersion.TLSv1_2
        assert context.verify_mode == ssl.CERT_REQUIRED
        assert context.check_hostname is True
        assert context.options & ssl.OP_NO_COMPRESSION


def test_unverified_context_settings() -> None:
    context = context_for(False, None)
    assert context.verify_mode == ssl.CERT_NONE
    assert context.check_hostname is False
    assert context.minimum_version == ssl.TLSVersion.TLSv1_2
    assert context.get_ca_certs() == []
    # Any false value means "don't verify", as in requests.
    assert context_for("", None).verify_mode == ssl.CERT_NONE


def test_true_loads_exactly_certifi(monkeypatch: pytest.MonkeyPatch, ca_bundle: str) -> None:
    # The environment's CA variables must not leak into the default context.
    monkeypatch.setenv("SSL_CERT_FILE", ca_bundle)
    monkeypatch.setenv("SSL_CERT_DIR", str(Path(ca_bundle).parent))
    context = context_for(True, None)
    with open(certifi.where(), encoding="ascii") as f:
        expected = f.read().count("-----BEGIN CERTIFICATE-----")
    assert expected > 10
    assert len(context.get_ca_certs()) == expected


def test_custom_bundle_trusts_only_that_bundle(ca_bundle: str) -> None:
    # CVE-2019-11324: a custom CA bundle must exclude the system store and certifi.
    certs = context_for(ca_bundle, None).get_ca_certs()
    assert len(certs) == 1


# --- verification against a real TLS server -----------------------------------------------------


def test_custom_ca_file_verifies_server(httpbin_tls_url: str, ca_bundle: str) -> None:
    context = context_for(ca_bundle, None)
    assert _status_line(context, httpbin_tls_url) == b"HTTP/1.1 200 OK"
    # The server certificate also carries the IP address.
    assert _status_line(context, httpbin_tls_url, hostname="127.0.0.1") == b"HTTP/1.1 200 OK"


def test_ca_directory_verifies_server(httpbin_tls_url: str, ca_dir: str) -> None:
    assert os.path.isdir(ca_dir)
    context = context_for(ca_dir, None)
    assert _status_line(context, httpbin_tls_url) == b"HTTP/1.1 200 OK"


def test_pathlike_verify_is_accepted(httpbin_tls_url: str, ca_bundle: str) -> None:
    context = context_for(Path(ca_bundle), None)
    assert _status_line(context, httpbin_tls_url) == b"HTTP/1.1 200 OK"


def test_hostname_mismatch_is_refused(httpbin_tls_url: str, ca_bundle: str) -> None:
    context = context_for(ca_bundle, None)
    with pytest.raises(ssl.SSLCertVerificationError, match="[Hh]ostname mismatch|doesn't match"):
        _status_line(context, httpbin_tls_url, hostname="example.org")


def test_wrong_ca_is_refused(httpbin_tls_url: str, tmp_path: Path) -> None:
    context = context_for(_other_ca_bundle(tmp_path), None)
    with pytest.raises(ssl.SSLCertVerificationError, match="certificate verify failed"):
        _status_line(context, httpbin_tls_url)


def test_default_trust_refuses_private_ca_even_when_env_names_it(
    httpbin_tls_url: str, ca_bundle: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", ca_bundle)
    with pytest.raises(ssl.SSLCertVerificationError, match="certificate verify failed"):
        _status_line(context_for(True, None), httpbin_tls_url)


def test_verify_false_accepts_untrusted_and_mismatched(httpbin_tls_url: str) -> None:
    context = context_for(False, None)
    assert _status_line(context, httpbin_tls_url, hostname="example.org") == b"HTTP/1.1 200 OK"


def test_client_certificate_pair(
    httpbin_mtls_url: str, ca_bundle: str, client_cert: tuple[str, str]
) -> None:
    context = context_for(ca_bundle, client_cert)
    assert _status_line(context, httpbin_mtls_url) == b"HTTP/1.1 200 OK"
    # requests also accepts a list.
    listed = context_for(ca_bundle, list(client_cert))  # type: ignore[arg-type]
    assert listed is context


def test_client_certificate_single_file(
    httpbin_mtls_url: str, ca_bundle: str, client_cert: tuple[str, str], tmp_path: Path
) -> None:
    combined = tmp_path / "client-combined.pem"
    combined.write_bytes(Path(client_cert[0]).read_bytes() + Path(client_cert[1]).read_bytes())
    context = context_for(ca_bundle, str(combined))
    assert _status_line(context, httpbin_mtls_url) == b"HTTP/1.1 200 OK"


def test_missing_client_certificate_is_refused(httpbin_mtls_url: str, ca_bundle: str) -> None:
    context = context_for(ca_bundle, None)
    try:
        line = _status_line(context, httpbin_mtls_url)
    except (ssl.SSLError, ConnectionResetError, BrokenPipeError):
        return  # refused during or just after the handshake (TLS 1.3 reports it on read)
    assert not line.startswith(b"HTTP/1.1 200"), line


def test_alpn_offers_only_http11(ca: object, ca_bundle: str) -> None:
    """In-memory handshake with a server preferring h2: we must end up on http/1.1."""
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert("localhost").configure_cert(server_ctx)  # type: ignore[attr-defined]
    server_ctx.set_alpn_protocols(["h2", "http/1.1"])
    c_in, c_out, s_in, s_out = (ssl.MemoryBIO() for _ in range(4))
    client = context_for(ca_bundle, None).wrap_bio(c_in, c_out, server_hostname="localhost")
    server = server_ctx.wrap_bio(s_in, s_out, server_side=True)
    pending = [client, server]
    for _ in range(20):
        for obj in list(pending):
            try:
                obj.do_handshake()
                pending.remove(obj)
            except ssl.SSLWantReadError:
                pass
        s_in.write(c_out.read())
        c_in.write(s_out.read())
        if not pending:
            break
    assert not pending
    assert client.selected_alpn_protocol() == "http/1.1"
    assert server.selected_alpn_protocol() == "http/1.1"


# --- errors -------------------------------------------------------------------------------------


def test_missing_ca_path_has_requests_message() -> None:
    with pytest.raises(OSError) as info:
        context_for("/nonexistent/ca.pem", None)
    assert str(info.value) == (
        "Could not find a suitable TLS CA certificate bundle, invalid path: /nonexistent/ca.pem"
    )


def test_missing_cert_and_key_have_requests_messages(ca_bundle: str, client_cert: tuple) -> None:
    with pytest.raises(OSError) as info:
        context_for(ca_bundle, "/nonexistent/cert.pem")
    assert str(info.value) == (
        "Could not find the TLS certificate file, invalid path: /nonexistent/cert.pem"
    )
    with pytest.raises(OSError) as info:
        context_for(ca_bundle, ("/nonexistent/cert.pem", client_cert[1]))
    assert "TLS certificate file, invalid path: /nonexistent/cert.pem" in str(info.value)
    with pytest.raises(OSError) as info:
        context_for(ca_bundle, (client_cert[0], "/nonexistent/key.pem"))
    assert str(info.value) == "Could not find the TLS key file, invalid path: /nonexistent/key.pem"
    # Also checked when not verifying.
    with pytest.raises(OSError, match="TLS key file"):
        context_for(False, (client_cert[0], "/nonexistent/key.pem"))


def test_garbage_ca_file_is_ssl_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pem"
    bad.write_text("-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n")
    with pytest.raises(SSLError) as info:
        context_for(str(bad), None)
    assert isinstance(info.value.__cause__, ssl.SSLError)


def test_key_not_matching_certificate_is_ssl_error(
    ca: object, ca_bundle: str, client_cert: tuple[str, str], tmp_path: Path
) -> None:
    other = ca.issue_cert("other.localhost")  # type: ignore[attr-defined]
    other_key = tmp_path / "other.key"
    other.private_key_pem.write_to_path(str(other_key))
    with pytest.raises(SSLError):
        context_for(ca_bundle, (client_cert[0], str(other_key)))


def test_encrypted_key_fails_instead_of_prompting(
    ca_bundle: str, client_cert: tuple[str, str], tmp_path: Path
) -> None:
    from cryptography.hazmat.primitives import serialization

    key = serialization.load_pem_private_key(Path(client_cert[1]).read_bytes(), password=None)
    encrypted = tmp_path / "encrypted.key"
    encrypted.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"secret"),
        )
    )
    with pytest.raises(SSLError):
        context_for(ca_bundle, (client_cert[0], str(encrypted)))


# --- caching ------------------------------------------------------------------------------------


def test_same_setting_returns_the_same_context(ca_bundle: str, client_cert: tuple) -> None:
    assert context_for(True, None) is context_for(True, None)
    assert context_for(False, None) is context_for(False, None)
    assert context_for(ca_bundle, None) is context_for(ca_bundle, None)
    assert context_for(ca_bundle, client_cert) is context_for(ca_bundle, tuple(client_cert))
    distinct = {
        id(context_for(True, None)),
        id(context_for(False, None)),
        id(context_for(ca_bundle, None)),
        id(context_for(ca_bundle, client_cert)),
        id(context_for(False, client_cert)),
    }
    assert len(distinct) == 5


def test_changed_ca_file_builds_a_new_context(
    httpbin_tls_url: str, ca_bundle: str, tmp_path: Path
) -> None:
    path = tmp_path / "rotating.pem"
    shutil.copyfile(ca_bundle, path)
    first = context_for(str(path), None)
    assert context_for(str(path), None) is first
    st = os.stat(path)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    second = context_for(str(path), None)
    assert second is not first
    assert context_for(str(path), None) is second
    # Replace the bundle with another CA: the new context follows the file, the old one did not.
    shutil.copyfile(_other_ca_bundle(tmp_path), path)
    st = os.stat(path)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10_000_000_000))
    third = context_for(str(path), None)
    assert third is not second
    assert _status_line(second, httpbin_tls_url) == b"HTTP/1.1 200 OK"
    with pytest.raises(ssl.SSLCertVerificationError):
        _status_line(third, httpbin_tls_url)
    # One entry per setting: stale contexts are replaced, not accumulated.
    assert sum(1 for key in tls._cache if key[0] == str(path)) == 1


def test_changed_ca_directory_builds_a_new_context(ca_dir: str, tmp_path: Path) -> None:
    directory = tmp_path / "cadir"
    shutil.copytree(ca_dir, directory)
    first = context_for(str(directory), None)
    assert context_for(str(directory), None) is first
    (directory / "added.0").write_text("")
    st = os.stat(directory)
    os.utime(directory, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    assert context_for(str(directory), None) is not first


def test_concurrent_first_use_builds_once(ca_bundle: str, tmp_path: Path) -> None:
    path = tmp_path / "concurrent.pem"
    shutil.copyfile(ca_bundle, path)
    results: list[ssl.SSLContext] = []
    barrier = threading.Barrier(8)

    def worker() -> None:
        barrier.wait()
        results.append(context_for(str(path), None))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 8
    assert all(r is results[0] for r in results)


def test_files_are_rechecked_only_after_the_interval(
    ca_bundle: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tls, "RECHECK_INTERVAL", 3600.0)
    path = tmp_path / "throttled.pem"
    shutil.copyfile(ca_bundle, path)
    first = context_for(str(path), None)
    st = os.stat(path)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    assert context_for(str(path), None) is first  # not looked at again yet
    for entry in tls._cache.values():
        entry[2] = 0.0  # the interval has passed
    assert context_for(str(path), None) is not first


def test_clear_cache_forgets_contexts() -> None:
    first = context_for(False, None)
    clear_cache()
    assert context_for(False, None) is not first


def test_ca_is_directory_looks_at_the_disk_at_most_once_per_interval(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tls, "RECHECK_INTERVAL", 1.0)
    bundle = tmp_path / "ca.pem"
    bundle.write_text("x")
    assert tls.ca_is_directory(str(bundle)) is False
    assert tls.ca_is_directory(str(tmp_path)) is True
    bundle.unlink()
    assert tls.ca_is_directory(str(bundle)) is False  # within the interval: not looked at again
    tls._ca_kinds[str(bundle)] = (False, 0.0)  # the interval has passed
    with pytest.raises(OSError, match="invalid path: .*ca.pem"):
        tls.ca_is_directory(str(bundle))
    with pytest.raises(OSError, match="Could not find a suitable TLS CA certificate bundle"):
        tls.ca_is_directory(str(tmp_path / "missing"))
