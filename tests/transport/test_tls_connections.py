"""TLS through the adapter against httpbin with trustme certificates."""

from __future__ import annotations

import warnings

import pytest

from httpcore_lite.adapters import HTTPAdapter
from httpcore_lite.exceptions import ConnectionError, InsecureRequestWarning, SSLError
from httpcore_lite.models import Request


def prepare(url: str):
    return Request("GET", url).prepare()


def test_verify_with_ca_bundle(httpbin_tls_url, ca_bundle):
    adapter = HTTPAdapter()
    for _ in range(3):
        assert adapter.send(prepare(httpbin_tls_url + "/get"), verify=ca_bundle, timeout=10).ok
    stats = adapter.stats()
    assert (stats.opened, stats.reused) == (1, 2)


def test_verify_with_ca_dir(httpbin_tls_url, ca_dir):
    assert HTTPAdapter().send(prepare(httpbin_tls_url + "/get"), verify=ca_dir, timeout=10).ok


def test_default_trust_store_rejects_test_ca(httpbin_tls_url):
    with pytest.raises(SSLError) as info:
        HTTPAdapter().send(prepare(httpbin_tls_url + "/get"), timeout=10)
    assert info.value.__cause__ is not None
    assert isinstance(info.value, ConnectionError)


def test_verify_false_warns_every_call(httpbin_tls_url):
    adapter = HTTPAdapter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(2):
            assert adapter.send(prepare(httpbin_tls_url + "/get"), verify=False, timeout=10).ok
    insecure = [w for w in caught if issubclass(w.category, InsecureRequestWarning)]
    assert len(insecure) == 2


def test_verified_request_never_uses_unverified_connection(httpbin_tls_url, ca_bundle):
    adapter = HTTPAdapter()
    with pytest.warns(InsecureRequestWarning):
        adapter.send(prepare(httpbin_tls_url + "/get"), verify=False, timeout=10)
    # Same origin, verification on: must not reuse the unverified connection, and must fail
    # against the default trust store.
    with pytest.raises(SSLError):
        adapter.send(prepare(httpbin_tls_url + "/get"), verify=True, timeout=10)
    response = adapter.send(prepare(httpbin_tls_url + "/get"), verify=ca_bundle, timeout=10)
    assert response.ok
    assert response.raw is not None
    stats = adapter.stats()
    assert stats.opened == 2  # one unverified, one verified (the failed one never opened)
    assert stats.reused == 0


def test_hostname_mismatch_is_ssl_error(httpbin_tls_url, ca_bundle):
    """The certificate names localhost and 127.0.0.1: ask for another name at the same server."""
    from httpcore_lite.transport.backends import TCPBackend

    class ToLoopback(TCPBackend):
        def connect_tcp(self, host, port, timeout=None, source_address=None, socket_options=None):
            return super().connect_tcp("127.0.0.1", port, timeout, source_address, socket_options)

    port = httpbin_tls_url.rsplit(":", 1)[1]
    request = prepare(f"https://other.example:{port}/get")
    with pytest.raises(SSLError, match="(?i)hostname|match"):
        HTTPAdapter(backend=ToLoopback()).send(request, verify=ca_bundle, timeout=10)


def test_client_certificate(httpbin_mtls_url, ca_bundle, client_cert):
    adapter = HTTPAdapter()
    response = adapter.send(
        prepare(httpbin_mtls_url + "/get"), verify=ca_bundle, cert=client_cert, timeout=10
    )
    assert response.ok


def test_client_certificate_required(httpbin_mtls_url, ca_bundle):
    with pytest.raises((SSLError, ConnectionError)):
        HTTPAdapter().send(prepare(httpbin_mtls_url + "/get"), verify=ca_bundle, timeout=10)


def test_missing_ca_bundle_is_oserror(httpbin_tls_url, tmp_path):
    with pytest.raises(OSError, match="invalid path"):
        HTTPAdapter().send(
            prepare(httpbin_tls_url + "/get"), verify=str(tmp_path / "none.pem"), timeout=10
        )


def test_ssl_context_from_init_poolmanager(httpbin_tls_url, ca):
    import ssl

    context = ssl.create_default_context()
    ca.configure_trust(context)

    class ContextAdapter(HTTPAdapter):
        def init_poolmanager(self, *args, **kwargs):
            kwargs["ssl_context"] = context
            super().init_poolmanager(*args, **kwargs)

    # verify=True would use certifi, which does not know the test CA: the context wins.
    assert ContextAdapter().send(prepare(httpbin_tls_url + "/get"), timeout=10).ok
