"""scripts/ensure_*.sh, which `make test` runs: nothing when present, apt-get when missing, one line when not possible.

Each script runs under bash with a PATH of its own: the tools it uses, a stand-in ``apt-get`` that
records its arguments (and, like the real one, puts the program in place), and ``id``/``sudo`` as
the case needs. The machine's own packages are never touched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
TOOLS = ("dirname", "mktemp", "cat", "mkdir", "touch", "chmod")  # the scripts and the stand-in apt-get


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    path.chmod(0o755)


class Sandbox:
    def __init__(self, root: Path, *, uid: int = 0, sudo: bool = False, apt_works: bool = True) -> None:
        self.bin = root / "bin"
        self.bin.mkdir()
        self.calls = root / "apt-calls"
        self.postgres_lib = root / "postgresql"
        for tool in TOOLS:
            found = shutil.which(tool)
            assert found, tool
            (self.bin / tool).symlink_to(found)
        _write(self.bin / "id", f"#!/bin/bash\necho {uid}\n")
        if sudo:
            _write(self.bin / "sudo", '#!/bin/bash\n[ "$1" = -n ] && shift\nexec "$@"\n')
        installs = (
            f'  case " $* " in *" chromium "*) printf "#!/bin/bash\\n" > {self.bin}/chromium; chmod +x {self.bin}/chromium;; esac\n'
            f'  case " $* " in *" postgresql "*) mkdir -p {self.postgres_lib}/17/bin; touch {self.postgres_lib}/17/bin/initdb;; esac\n'
        )
        _write(self.bin / "apt-get", (
            "#!/bin/bash\n"
            f'echo "$*" >> {self.calls}\n'
            + ('[ "$1" = install ] && {\n' + installs + "}\nexit 0\n" if apt_works
               else 'echo "E: Failed to fetch" >&2\nexit 100\n')
        ))

    def run(self, script: str) -> subprocess.CompletedProcess[str]:
        env = {"PATH": str(self.bin), "HOME": os.environ.get("HOME", "/root"), "TMPDIR": str(self.bin.parent),
               "PD_POSTGRES_LIB": str(self.postgres_lib)}
        return subprocess.run(["/bin/bash", str(SCRIPTS / script)], env=env, capture_output=True, text=True,
                              timeout=60, check=False)

    def apt_calls(self) -> list[str]:
        return self.calls.read_text(encoding="utf-8").splitlines() if self.calls.exists() else []


def test_present_chromium_is_one_check_and_nothing_else(tmp_path: Path) -> None:
    box = Sandbox(tmp_path)
    _write(box.bin / "chromium", "#!/bin/bash\n")
    done = box.run("ensure_chromium.sh")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert box.apt_calls() == []


def test_missing_chromium_is_installed_with_apt_as_root_and_the_second_run_does_nothing(tmp_path: Path) -> None:
    box = Sandbox(tmp_path)
    first = box.run("ensure_chromium.sh")
    assert first.returncode == 0, first.stderr
    assert first.stderr.startswith("installing chromium: apt-get install -y chromium (log: ")
    assert box.apt_calls() == ["update -qq", "install -y -qq chromium"]
    again = box.run("ensure_chromium.sh")
    assert (again.returncode, again.stderr) == (0, "")
    assert len(box.apt_calls()) == 2


def test_without_root_the_install_goes_through_sudo(tmp_path: Path) -> None:
    box = Sandbox(tmp_path, uid=1000, sudo=True)
    assert box.run("ensure_postgres.sh").returncode == 0
    assert box.apt_calls() == ["update -qq", "install -y -qq postgresql"]
    assert box.run("ensure_postgres.sh").stderr == ""


def test_without_root_or_sudo_it_is_one_line(tmp_path: Path) -> None:
    box = Sandbox(tmp_path, uid=1000)
    done = box.run("ensure_chromium.sh")
    assert done.returncode == 1
    assert done.stderr == ("chromium is missing and this user cannot install it (not root, no sudo); "
                           "as root run: apt-get install -y chromium\n")
    assert box.apt_calls() == []


@pytest.mark.parametrize(("script", "what", "package"), [("ensure_chromium.sh", "chromium", "chromium"),
                                                          ("ensure_postgres.sh", "PostgreSQL", "postgresql")])
def test_when_apt_get_fails_it_is_one_line_naming_the_log(tmp_path: Path, script: str, what: str,
                                                          package: str) -> None:
    box = Sandbox(tmp_path, apt_works=False)
    done = box.run(script)
    assert done.returncode == 1
    progress, failure = done.stderr.splitlines()
    assert progress.startswith(f"installing {what}: ")
    log = progress.rsplit("(log: ", 1)[1].rstrip(")")
    assert failure == (f"could not install {what} with apt-get (no network or no package source?); see {log}, "
                       f"or run as root: apt-get install -y {package}")
    assert "E: Failed to fetch" in Path(log).read_text(encoding="utf-8")


def test_node_packages_present_is_a_no_op() -> None:
    # make test ran the script before this test, so tests/js/node_modules is in place.
    done = subprocess.run(["/bin/bash", str(SCRIPTS / "ensure_node_packages.sh")], capture_output=True, text=True,
                          timeout=60, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
