"""multipart/form-data bodies from ``files=``: layout, names, escaping, and what is refused."""

from __future__ import annotations

import email.parser
import email.policy
import io
from typing import Any

import pytest

from httpcore_lite.exceptions import InvalidHeader
from httpcore_lite.models import PreparedRequest, Request


def prep(method: str = "GET", url: str = "http://example.com/", **kwargs: Any) -> PreparedRequest:
    return Request(method, url, **kwargs).prepare()


def _parse_multipart(p: PreparedRequest) -> list[Any]:
    ct = p.headers["Content-Type"]
    assert ct.startswith("multipart/form-data; boundary=")
    msg = email.parser.BytesParser(policy=email.policy.default).parsebytes(
        b"Content-Type: " + ct.encode() + b"\r\n\r\n" + p.body
    )
    assert msg.is_multipart()
    return list(msg.iter_parts())


def test_multipart_tuples() -> None:
    p = prep(
        "POST",
        data={"field": "välue", "multi": ["a", "b"], "none": None, "num": 3},
        files={
            "plain": b"raw bytes",
            "two": ("two.txt", io.BytesIO(b"two-data")),
            "three": ("three.csv", b"a,b", "text/csv"),
            "four": ("four.json", "{}", "application/json", {"X-Extra": "yes"}),
            "skipped": ("s.txt", None),
        },
    )
    parts = _parse_multipart(p)
    got = [
        (
            part.get_param("name", header="content-disposition"),
            part.get_filename(),
            part.get("Content-Type"),
            part.get_payload(decode=True),
        )
        for part in parts
    ]
    assert got == [
        ("field", None, None, "välue".encode()),
        ("multi", None, None, b"a"),
        ("multi", None, None, b"b"),
        ("num", None, None, b"3"),
        ("plain", "plain", None, b"raw bytes"),
        ("two", "two.txt", None, b"two-data"),
        ("three", "three.csv", "text/csv", b"a,b"),
        ("four", "four.json", "application/json", b"{}"),
    ]
    assert parts[-1]["X-Extra"] == "yes"
    assert p.headers["Content-Length"] == str(len(p.body))


def test_multipart_exact_layout() -> None:
    p = prep("POST", files=[("f", ("a.txt", b"data", "text/plain"))])
    boundary = p.headers["Content-Type"].split("boundary=")[1]
    assert len(boundary) == 32
    assert (
        p.body
        == (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="f"; filename="a.txt"\r\n'
            "Content-Type: text/plain\r\n"
            "\r\n"
            "data\r\n"
            f"--{boundary}--\r\n"
        ).encode()
    )


def test_multipart_boundary_is_random() -> None:
    a = prep("POST", files={"f": b"x"}).headers["Content-Type"]
    b = prep("POST", files={"f": b"x"}).headers["Content-Type"]
    assert a != b


def test_multipart_filename_from_file_object(tmp_path: Any) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(b"contents")
    with open(path, "rb") as f:
        p = prep("POST", files={"upload": f})
    (part,) = _parse_multipart(p)
    assert part.get_filename() == "report.txt"
    assert part.get_payload(decode=True) == b"contents"


def test_multipart_text_file_and_unicode_names() -> None:
    p = prep("POST", data={b"stuff": "elixr"}, files={"fïle": ("naïve.txt", io.StringIO("ü"))})
    assert b'name="stuff"' in p.body
    assert b"name=\"b'stuff'\"" not in p.body
    assert 'filename="naïve.txt"'.encode() in p.body
    assert "ü".encode() in p.body


def test_multipart_hostile_names_cannot_break_headers() -> None:
    p = prep("POST", files={'f"\r\nX-Evil: 1': ('a"\r\nX-Evil: 2.txt', b"x")})
    assert b"\r\nX-Evil" not in p.body
    assert b'name="f%22%0D%0AX-Evil: 1"' in p.body
    assert b'filename="a%22%0D%0AX-Evil: 2.txt"' in p.body


def test_multipart_custom_header_injection_refused() -> None:
    with pytest.raises(InvalidHeader):
        prep("POST", files={"f": ("a", b"x", "text/plain", {"X": "v\r\nEvil: 1"})})


def test_multipart_int_value_and_list_files() -> None:
    p = prep("POST", files=[("random-file-1", None), ("random-file-2", 1)])
    assert b'name="random-file-1"' not in p.body
    assert b'name="random-file-2"' in p.body


def test_multipart_with_string_data_refused() -> None:
    with pytest.raises(ValueError, match="Data must not be a string."):
        prep("POST", data='[{"some": "data"}]', files={"f": b"x"})


def test_encode_files_requires_files() -> None:
    with pytest.raises(ValueError, match="Files must be provided."):
        PreparedRequest._encode_files({}, {"a": "b"})


def test_multipart_keeps_explicit_content_type() -> None:
    p = prep("POST", files={"f": b"x"}, headers={"Content-Type": "multipart/mixed"})
    assert p.headers["Content-Type"] == "multipart/mixed"
