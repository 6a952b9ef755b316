"""Request bodies and files: httpcore_lite._bodies, through requests' utils names."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from httpcore_lite import utils
from httpcore_lite.exceptions import (
    FileModeWarning,
    UnrewindableBodyError,
)

# --- super_len ----------------------------------------------------------------------------------


class TestSuperLen:
    @pytest.mark.parametrize(
        ("body", "expected"),
        [(b"abc", 3), ("abc", 3), ("h\u00e9", 3), (b"", 0), (bytearray(b"xy"), 2), (None, 0)],
    )
    def test_sized(self, body: Any, expected: int) -> None:
        assert utils.super_len(body) == expected

    def test_bytesio_respects_position(self) -> None:
        buf = io.BytesIO(b"0123456789")
        assert utils.super_len(buf) == 10
        buf.read(4)
        assert utils.super_len(buf) == 6
        buf.seek(0, 2)
        assert utils.super_len(buf) == 0

    def test_binary_file(self, tmp_path: Path) -> None:
        path = tmp_path / "f.bin"
        path.write_bytes(b"x" * 123)
        with open(path, "rb") as f:
            assert utils.super_len(f) == 123
            f.read(23)
            assert utils.super_len(f) == 100

    def test_text_file_warns(self, tmp_path: Path) -> None:
        path = tmp_path / "f.txt"
        path.write_text("hello")
        with open(path) as f, pytest.warns(FileModeWarning):
            assert utils.super_len(f) == 5

    def test_len_attribute(self) -> None:
        assert utils.super_len(SimpleNamespace(len=42)) == 42

    def test_tell_failure_counts_as_consumed(self) -> None:
        class Broken:
            def __len__(self) -> int:
                return 10

            def tell(self) -> int:
                raise OSError("no tell")

        assert utils.super_len(Broken()) == 0

    def test_seekable_without_length(self) -> None:
        class Stream:
            def __init__(self) -> None:
                self._buf = io.BytesIO(b"abcdef")

            def tell(self) -> int:
                return self._buf.tell()

            def seek(self, *args: Any) -> int:
                return self._buf.seek(*args)

        s = Stream()
        s.seek(2)
        assert utils.super_len(s) == 4
        assert s.tell() == 2  # position restored

    def test_unseekable_stream(self) -> None:
        class Stream:
            def tell(self) -> int:
                return 0

            def seek(self, *args: Any) -> int:
                raise OSError("not seekable")

        assert utils.super_len(Stream()) == 0

    def test_generator_has_no_length(self) -> None:
        assert utils.super_len(x for x in [b"a"]) == 0


# --- files and bodies ---------------------------------------------------------------------------


class TestFiles:
    @pytest.mark.parametrize(
        ("name", "expected"),
        [
            ("/a/b/c.txt", "c.txt"),
            ("c.txt", "c.txt"),
            ("<stdin>", None),
            (b"/x/y.bin", b"y.bin"),
            (b"<fd>", None),
            (5, None),
            ("", None),
        ],
    )
    def test_guess_filename(self, name: Any, expected: Any) -> None:
        assert utils.guess_filename(SimpleNamespace(name=name)) == expected

    def test_guess_filename_without_name(self) -> None:
        assert utils.guess_filename(object()) is None

    def test_extract_zipped_paths(self, tmp_path: Path) -> None:
        existing = tmp_path / "plain.pem"
        existing.write_text("x")
        assert utils.extract_zipped_paths(str(existing)) == str(existing)
        missing = str(tmp_path / "missing" / "file")
        assert utils.extract_zipped_paths(missing) == missing

        archive = tmp_path / "bundle.zip"
        with zipfile.ZipFile(archive, "w") as zf:
            zf.writestr("certs/zipped-ca-test.pem", "PEM DATA")
        extracted = utils.extract_zipped_paths(str(archive / "certs" / "zipped-ca-test.pem"))
        try:
            assert extracted != str(archive / "certs" / "zipped-ca-test.pem")
            assert Path(extracted).read_text() == "PEM DATA"
        finally:
            os.remove(extracted)
        absent_member = str(archive / "certs" / "nope.pem")
        assert utils.extract_zipped_paths(absent_member) == absent_member

    def test_atomic_open(self, tmp_path: Path) -> None:
        target = tmp_path / "out.bin"
        with utils.atomic_open(str(target)) as f:
            f.write(b"data")
            assert not target.exists()
        assert target.read_bytes() == b"data"
        with pytest.raises(RuntimeError), utils.atomic_open(str(target)) as f:
            f.write(b"partial")
            raise RuntimeError("boom")
        assert target.read_bytes() == b"data"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["out.bin"]

    def test_rewind_body(self) -> None:
        body = io.BytesIO(b"abcdef")
        body.read(2)
        prep = SimpleNamespace(body=body, _body_position=2)
        body.read()
        utils.rewind_body(prep)
        assert body.read() == b"cdef"

    def test_rewind_body_errors(self) -> None:
        with pytest.raises(UnrewindableBodyError, match="Unable to rewind"):
            utils.rewind_body(SimpleNamespace(body=iter([b"x"]), _body_position=0))
        with pytest.raises(UnrewindableBodyError, match="Unable to rewind"):
            utils.rewind_body(SimpleNamespace(body=io.BytesIO(), _body_position=object()))

        class BadSeek:
            def seek(self, pos: int) -> None:
                raise OSError("nope")

        with pytest.raises(UnrewindableBodyError, match="An error occurred"):
            utils.rewind_body(SimpleNamespace(body=BadSeek(), _body_position=0))

    def test_dict_to_sequence(self) -> None:
        assert list(utils.dict_to_sequence({"a": 1})) == [("a", 1)]
        seq = [("a", 1)]
        assert utils.dict_to_sequence(seq) is seq
