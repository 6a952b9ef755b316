"""Ordinary requests code, written the way the requests tutorials write it, run unchanged with
``import httpcore_lite as requests``. Only the URLs point at the local httpbin."""

from __future__ import annotations

import pytest

import httpcore_lite as requests


@pytest.fixture
def base(httpbin_url: str) -> str:
    return httpbin_url


def test_the_get_request_and_response(base: str) -> None:
    response = requests.get(base + "/get")
    assert response.status_code == 200
    if response.status_code == 200:
        outcome = "Success!"
    elif response.status_code == 404:
        outcome = "Not Found."
    assert outcome == "Success!"
    assert response
    assert repr(response) == "<Response [200]>"
    assert response.ok
    assert response.status_code == requests.codes.ok


def test_raise_for_status(base: str) -> None:
    from httpcore_lite.exceptions import HTTPError

    outcomes = []
    for url in [base + "/get", base + "/status/404"]:
        try:
            response = requests.get(url)
            # If the response was successful, no Exception will be raised
            response.raise_for_status()
        except HTTPError as http_err:
            outcomes.append(f"HTTP error occurred: {http_err}")
        except Exception as err:  # pragma: no cover - would be a failure
            outcomes.append(f"Other error occurred: {err}")
        else:
            outcomes.append("Success!")
    assert outcomes[0] == "Success!"
    assert outcomes[1].startswith("HTTP error occurred: 404 Client Error: NOT FOUND for url: ")
    assert not requests.get(base + "/status/404")


def test_content_text_json_and_encoding(base: str) -> None:
    response = requests.get(base + "/json")
    assert isinstance(response.content, bytes)
    assert isinstance(response.text, str)
    response.encoding = "utf-8"  # Optional: requests infers this internally
    assert response.text.startswith("{")
    data = response.json()
    assert isinstance(data, dict) and "slideshow" in data
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["content-type"] == "application/json"


def test_query_string_parameters(base: str) -> None:
    response = requests.get(base + "/get", params={"q": "requests+language:python"})
    json_response = response.json()
    assert json_response["args"]["q"] == "requests+language:python"
    response = requests.get(base + "/get", params=[("q", "requests+language:python")])
    assert response.json()["args"]["q"] == "requests+language:python"
    response = requests.get(base + "/get", params=b"q=requests+language:python")
    assert response.json()["args"]["q"] == "requests language:python"


def test_request_headers(base: str) -> None:
    response = requests.get(
        base + "/headers",
        headers={"Accept": "application/vnd.github.v3.text-match+json"},
    )
    assert response.json()["headers"]["Accept"] == "application/vnd.github.v3.text-match+json"


def test_other_http_methods(base: str) -> None:
    assert requests.post(base + "/post", data={"key": "value"}).status_code == 200
    assert requests.put(base + "/put", data={"key": "value"}).status_code == 200
    assert requests.delete(base + "/delete").status_code == 200
    assert requests.head(base + "/get").status_code == 200
    assert requests.patch(base + "/patch", data={"key": "value"}).status_code == 200
    assert requests.options(base + "/get").status_code == 200
    response = requests.head(base + "/get")
    assert response.headers["Content-Type"] == "application/json"
    response = requests.delete(base + "/delete")
    json_response = response.json()
    assert json_response["args"] == {}


def test_the_message_body(base: str) -> None:
    response = requests.post(base + "/post", data={"key": "value"})
    assert response.json()["form"] == {"key": "value"}
    response = requests.post(base + "/post", data=[("key", "value")])
    assert response.json()["form"] == {"key": "value"}
    response = requests.post(base + "/post", json={"key": "value"})
    json_response = response.json()
    assert json_response["data"] == '{"key": "value"}'
    assert json_response["headers"]["Content-Type"] == "application/json"


def test_inspecting_your_request(base: str) -> None:
    response = requests.post(base + "/post", json={"key": "value"})
    assert response.request.headers["Content-Type"] == "application/json"
    assert response.request.url == base + "/post"
    assert response.request.body == b'{"key": "value"}'
    assert isinstance(response.request, requests.PreparedRequest)


def test_authentication(base: str) -> None:
    from httpcore_lite.auth import HTTPBasicAuth

    url = base + "/basic-auth/username/secret"
    assert requests.get(url, auth=("username", "secret")).status_code == 200
    assert requests.get(url).status_code == 401
    response = requests.get(url, auth=HTTPBasicAuth("username", "secret"))
    assert response.status_code == 200


def test_custom_auth(base: str) -> None:
    from httpcore_lite.auth import AuthBase

    class TokenAuth(AuthBase):
        """Implements a custom authentication scheme."""

        def __init__(self, token):
            self.token = token

        def __call__(self, r):
            """Attach an API token to a custom auth header."""
            r.headers["X-TokenAuth"] = f"{self.token}"
            return r

    response = requests.get(base + "/headers", auth=TokenAuth("12345abcde-token"))
    assert response.json()["headers"]["X-Tokenauth"] == "12345abcde-token"


def test_digest_auth(base: str) -> None:
    from httpcore_lite.auth import HTTPDigestAuth

    url = base + "/digest-auth/auth/user/pass/MD5"
    assert requests.get(url, auth=HTTPDigestAuth("user", "pass")).status_code == 200


def test_timeouts(base: str) -> None:
    from httpcore_lite.exceptions import Timeout

    assert requests.get(base + "/get", timeout=1).status_code == 200
    assert requests.get(base + "/get", timeout=3.05).status_code == 200
    assert requests.get(base + "/get", timeout=(2, 5)).status_code == 200
    try:
        requests.get(base + "/delay/3", timeout=0.5)
    except Timeout:
        outcome = "The request timed out"
    else:  # pragma: no cover - would be a failure
        outcome = "The request did not time out"
    assert outcome == "The request timed out"


def test_the_session_object(base: str) -> None:
    # By using a context manager, you can ensure the resources used by
    # the session will be released after use
    with requests.Session() as session:
        session.auth = ("username", "secret")
        # Instead of requests.get(), you'll use session.get()
        response = session.get(base + "/basic-auth/username/secret")
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "application/json"
        response = session.get(base + "/basic-auth/username/secret")
        assert response.json() == {"authenticated": True, "user": "username"}


def test_session_persists_cookies_and_headers(base: str) -> None:
    s = requests.Session()
    s.get(base + "/cookies/set/sessioncookie/123456789")
    r = s.get(base + "/cookies")
    assert r.json() == {"cookies": {"sessioncookie": "123456789"}}

    s = requests.Session()
    s.auth = ("user", "pass")
    s.headers.update({"x-test": "true"})
    # both 'x-test' and 'x-test2' are sent
    r = s.get(base + "/headers", headers={"x-test2": "true"})
    assert r.json()["headers"]["X-Test"] == "true"
    assert r.json()["headers"]["X-Test2"] == "true"

    # method-level parameters are not persisted across requests
    r = s.get(base + "/cookies", cookies={"from-my": "browser"})
    assert r.json() == {"cookies": {"from-my": "browser"}}
    r = s.get(base + "/cookies")
    assert r.json() == {"cookies": {}}
    s.close()


def test_session_legacy_constructor() -> None:
    s = requests.session()
    assert isinstance(s, requests.Session)
    s.close()


def test_max_retries_with_a_transport_adapter(base: str) -> None:
    from httpcore_lite.adapters import HTTPAdapter
    from httpcore_lite.exceptions import ConnectionError

    github_adapter = HTTPAdapter(max_retries=3)
    session = requests.Session()
    # Use `github_adapter` for all requests to endpoints that start with this URL
    session.mount(base, github_adapter)
    assert session.get(base + "/get").status_code == 200
    assert session.get_adapter(base + "/get") is github_adapter
    try:
        session.get("http://127.0.0.1:9/")
    except ConnectionError as ce:
        caught = ce
    assert isinstance(caught, requests.ConnectionError)
    session.close()


def test_prepared_requests(base: str) -> None:
    s = requests.Session()
    req = requests.Request("POST", base + "/post", data={"k": "v"}, headers={"X-A": "1"})
    prepped = req.prepare()
    prepped.body = "k=changed"
    prepped.headers["Content-Length"] = str(len(prepped.body))
    resp = s.send(prepped, timeout=5)
    assert resp.json()["form"] == {"k": "changed"}

    prepped = s.prepare_request(requests.Request("GET", base + "/headers"))
    settings = s.merge_environment_settings(prepped.url, {}, None, None, None)
    resp = s.send(prepped, **settings)
    assert resp.json()["headers"]["Accept-Encoding"] == s.headers["Accept-Encoding"]
    s.close()


def test_streaming_and_iter_lines(base: str) -> None:
    import json

    r = requests.get(base + "/stream/20", stream=True)
    lines = [json.loads(line) for line in r.iter_lines() if line]
    assert len(lines) == 20

    with requests.get(base + "/bytes/1000", stream=True) as r:
        chunks = list(r.iter_content(chunk_size=128))
    assert sum(map(len, chunks)) == 1000


def test_redirection_and_history(base: str) -> None:
    r = requests.get(base + "/redirect/1")
    assert r.url == base + "/get"
    assert r.status_code == 200
    assert [h.status_code for h in r.history] == [302]
    r = requests.get(base + "/redirect/1", allow_redirects=False)
    assert r.status_code == 302 and r.history == []
    r = requests.head(base + "/redirect/1", allow_redirects=True)
    assert r.url == base + "/get"


def test_errors_and_exceptions(base: str) -> None:
    with pytest.raises(requests.TooManyRedirects):
        s = requests.Session()
        s.max_redirects = 1
        s.get(base + "/redirect/3")
    with pytest.raises(requests.RequestException):
        requests.get("http://127.0.0.1:9/")
    with pytest.raises(requests.exceptions.MissingSchema):
        requests.get("127.0.0.1/get")
    with pytest.raises(requests.JSONDecodeError):
        requests.get(base + "/html").json()


def test_event_hooks(base: str) -> None:
    seen = []

    def print_url(r, *args, **kwargs):
        seen.append(r.url)

    def record_hook(r, *args, **kwargs):
        r.hook_called = True
        return r

    r = requests.get(base + "/get", hooks={"response": [print_url, record_hook]})
    assert seen == [base + "/get"]
    assert r.hook_called is True

    s = requests.Session()
    s.hooks["response"].append(print_url)
    s.get(base + "/get")
    assert len(seen) == 2
    s.close()


def test_status_code_lookup() -> None:
    assert requests.codes["temporary_redirect"] == 307
    assert requests.codes.teapot == 418
    assert requests.codes["\\o/"] == 200
    assert requests.codes.OK == 200


def test_ssl_verification(httpbin_tls_url: str, ca_bundle: str) -> None:
    import warnings

    r = requests.get(httpbin_tls_url + "/get", verify=ca_bundle)
    assert r.status_code == 200
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(httpbin_tls_url + "/get")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        r = requests.get(httpbin_tls_url + "/get", verify=False)
    assert r.status_code == 200
    assert any(issubclass(w.category, requests.exceptions.InsecureRequestWarning) for w in caught)
