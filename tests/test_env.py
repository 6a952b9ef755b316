"""The environment and netrc: httpcore_lite._env, through requests' utils names."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from httpcore_lite import _env, utils

# --- netrc --------------------------------------------------------------------------------------


class TestNetrc:
    @pytest.fixture
    def netrc_file(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
        path = tmp_path / "netrc"
        path.write_text(
            "machine example.com login alice password secret\n"
            "machine Other.Example.org login bob password hunter2\n"
            "machine acct.example.net account acct password pw\n"
        )
        monkeypatch.setenv("NETRC", str(path))
        return path

    def test_exact_host(self, netrc_file: Path) -> None:
        assert utils.get_netrc_auth("http://example.com/path") == ("alice", "secret")
        assert utils.get_netrc_auth("https://EXAMPLE.com:8443/") == ("alice", "secret")
        assert utils.get_netrc_auth("http://user@example.com/") == ("alice", "secret")

    def test_case_insensitive_host_in_file(self, netrc_file: Path) -> None:
        assert utils.get_netrc_auth("http://other.example.org/") == ("bob", "hunter2")

    def test_account_when_no_login(self, netrc_file: Path) -> None:
        assert utils.get_netrc_auth("http://acct.example.net/") == ("acct", "pw")

    @pytest.mark.parametrize(
        "url",
        [
            # CVE-2024-47081: the netloc starts with "example.com" but the host is evil.com.
            "http://example.com:@evil.com/",
            "http://example.com@evil.com/",
            "http://example.com:80@evil.com/",
            # lookalikes by prefix or suffix
            "http://notexample.com/",
            "http://example.com.evil.com/",
            "http://sub.example.com/",
            "http://example.co/",
        ],
    )
    def test_hostile_lookalikes_get_nothing(self, netrc_file: Path, url: str) -> None:
        assert utils.get_netrc_auth(url) is None

    def test_no_host(self, netrc_file: Path) -> None:
        assert utils.get_netrc_auth("file:///etc/passwd") is None

    def test_default_entry(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        path = tmp_path / "netrc"
        path.write_text("machine a.test login a password b\ndefault login anon password x\n")
        monkeypatch.setenv("NETRC", str(path))
        assert utils.get_netrc_auth("http://a.test/") == ("a", "b")
        assert utils.get_netrc_auth("http://anything.test/") == ("anon", "x")

    def test_empty_default_ignored(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        path = tmp_path / "netrc"
        path.write_text("machine example.com login user password pass\ndefault\n")
        monkeypatch.setenv("NETRC", str(path))
        assert utils.get_netrc_auth("http://httpbin.org/") is None
        assert utils.get_netrc_auth("http://example.com/") == ("user", "pass")

    def test_missing_file(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("NETRC", str(tmp_path / "absent"))
        assert utils.get_netrc_auth("http://example.com/") is None

    @staticmethod
    def a_second_later() -> None:
        """What NETRC_RECHECK_INTERVAL passing does to the home lookup, without waiting."""
        _env._home_netrc_last[2] = 0.0

    def test_home_netrc(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("HOME", str(tmp_path))
        assert utils.get_netrc_auth("http://example.com/") is None
        (tmp_path / "_netrc").write_text("machine example.com login u password p\n")
        self.a_second_later()
        assert utils.get_netrc_auth("http://example.com/") == ("u", "p")
        (tmp_path / ".netrc").write_text("machine example.com login dot password p2\n")
        self.a_second_later()
        assert utils.get_netrc_auth("http://example.com/") == ("dot", "p2")

    def test_home_looked_at_once_per_interval_and_home_read_every_time(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        first, second = tmp_path / "a", tmp_path / "b"
        first.mkdir()
        second.mkdir()
        (second / ".netrc").write_text("machine example.com login b password p\n")
        monkeypatch.setenv("HOME", str(first))
        assert utils.get_netrc_auth("http://example.com/") is None
        (first / ".netrc").write_text("machine example.com login a password p\n")
        # within the interval the file system is not asked again...
        assert utils.get_netrc_auth("http://example.com/") is None
        # ...but a new $HOME takes effect on the very next request
        monkeypatch.setenv("HOME", str(second))
        assert utils.get_netrc_auth("http://example.com/") == ("b", "p")
        monkeypatch.setenv("HOME", str(first))
        assert utils.get_netrc_auth("http://example.com/") == ("a", "p")

    def test_netrc_variable_set_within_the_interval_takes_effect(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.delenv("NETRC", raising=False)
        monkeypatch.setenv("HOME", str(tmp_path))
        # the second call is answered from the last home lookup (no netrc there)
        assert utils.get_netrc_auth("http://example.com/") is None
        assert utils.get_netrc_auth("http://example.com/") is None
        path = tmp_path / "elsewhere"
        path.write_text("machine example.com login n password p\n")
        monkeypatch.setenv("NETRC", str(path))
        assert utils.get_netrc_auth("http://example.com/") == ("n", "p")
        monkeypatch.delenv("NETRC")
        assert utils.get_netrc_auth("http://example.com/") is None

    def test_home_lookup_cached_by_directory_mtime(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        home = tmp_path / "home"
        home.mkdir()
        monkeypatch.setenv("HOME", str(home))
        old = 1_000_000_000 * 1_000_000_000  # 2001: long past the racy window
        os.utime(home, ns=(old, old))
        assert utils.get_netrc_auth("http://example.com/") is None
        assert _env._home_netrc_cache[str(home)] == (old, None)
        # Adding a file changes the directory's mtime: found on the next look.
        (home / ".netrc").write_text("machine example.com login new password p\n")
        self.a_second_later()
        assert utils.get_netrc_auth("http://example.com/") == ("new", "p")
        os.utime(home, ns=(old, old))
        self.a_second_later()
        assert utils.get_netrc_auth("http://example.com/") == ("new", "p")
        assert _env._home_netrc_cache[str(home)] == (old, str(home / ".netrc"))
        (home / ".netrc").unlink()
        self.a_second_later()
        assert utils.get_netrc_auth("http://example.com/") is None

    def test_recently_changed_home_not_cached(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("HOME", str(tmp_path))
        _env._home_netrc_cache.pop(str(tmp_path), None)
        assert utils.get_netrc_auth("http://example.com/") is None
        assert str(tmp_path) not in _env._home_netrc_cache

    def test_parse_error(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        import netrc

        path = tmp_path / "netrc"
        path.write_text("machine example.com login u password p\nbogus-token here\n")
        monkeypatch.setenv("NETRC", str(path))
        assert utils.get_netrc_auth("http://example.com/") is None
        with pytest.raises(netrc.NetrcParseError):
            utils.get_netrc_auth("http://example.com/", raise_errors=True)

    def test_cache_follows_file_changes(self, netrc_file: Path) -> None:
        assert utils.get_netrc_auth("http://example.com/") == ("alice", "secret")
        netrc_file.write_text("machine example.com login carol password changed-longer\n")
        st = netrc_file.stat()
        os.utime(netrc_file, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
        assert utils.get_netrc_auth("http://example.com/") == ("carol", "changed-longer")

    def test_cache_is_used(self, netrc_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        calls = []
        original = _env.netrc

        def counting(*args: Any) -> Any:
            calls.append(args)
            return original(*args)

        monkeypatch.setattr(_env, "netrc", counting)
        assert utils.get_netrc_auth("http://example.com/") == ("alice", "secret")
        assert len(calls) == 1  # a new file (per-test path): parsed once
        for _ in range(3):
            assert utils.get_netrc_auth("http://example.com/") == ("alice", "secret")
        assert len(calls) == 1


# --- set_environ --------------------------------------------------------------------------------


def test_set_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HCL_TEST_VAR", raising=False)
    with utils.set_environ("HCL_TEST_VAR", "x"):
        assert os.environ["HCL_TEST_VAR"] == "x"
    assert "HCL_TEST_VAR" not in os.environ
    monkeypatch.setenv("HCL_TEST_VAR", "old")
    with utils.set_environ("HCL_TEST_VAR", "new"):
        assert os.environ["HCL_TEST_VAR"] == "new"
    assert os.environ["HCL_TEST_VAR"] == "old"
    with utils.set_environ("HCL_TEST_VAR", None):
        assert os.environ["HCL_TEST_VAR"] == "old"
    with pytest.raises(RuntimeError), utils.set_environ("HCL_TEST_VAR", "tmp"):
        raise RuntimeError
    assert os.environ["HCL_TEST_VAR"] == "old"
