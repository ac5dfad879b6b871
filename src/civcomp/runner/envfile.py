r"""The locks, and ``environment.yml`` (the conda/Binder convention) written from ``requirements.lock``.

``requirements.lock`` (runtime: what ``make env``/``make reproduce`` install) and
``requirements-dev.lock`` (runtime + the ``test`` extra: what ``make test`` installs) are uv
*universal* locks: one file for every supported Python (3.11–3.13) and platform, where a line may
carry an environment marker (``colorama==0.4.6 ; sys_platform == 'win32'``) and a package may even
be pinned twice under disjoint markers. ``environment.yml`` carries the runtime pins with their
markers unchanged (pip evaluates them inside conda's env); ``make lock`` rewrites it and a test
fails when they drift. :func:`coverage_problems` is what that test uses to check that a lock really
serves every supported Python.

Examples
--------
>>> [p.requirement for p in lock_entries(
...     "numpy==2.3.5 \\\n    --hash=sha256:ab\n    # via pandas\n"
...     "colorama==0.4.6 ; sys_platform == 'win32' \\\n    --hash=sha256:cd\n")]
['numpy==2.3.5', "colorama==0.4.6 ; sys_platform == 'win32'"]
"""

from __future__ import annotations

import re
import shlex
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from civcomp import paths

SUPPORTED_PYTHONS = ("3.11", "3.12", "3.13")
PLATFORMS = ("linux", "darwin", "win32")
LOCK = "requirements.lock"
DEV_LOCK = "requirements-dev.lock"

ENTRY = re.compile(r"^([A-Za-z0-9][A-Za-z0-9_.\-]*)==([^\s;\\]+)(?:\s*;\s*([^\\]*?))?\s*\\?\s*$")
HASH = re.compile(r"--hash=(\w+:[0-9a-f]+)")


@dataclass(frozen=True)
class Pin:
    """One ``name==version [; marker]`` entry of a lock, with its ``--hash`` options."""

    name: str
    version: str
    marker: str | None = None
    hashes: tuple[str, ...] = ()

    @property
    def requirement(self) -> str:
        pin = f"{self.name}=={self.version}"
        return f"{pin} ; {self.marker}" if self.marker else pin


def lock_entries(text: str) -> list[Pin]:
    """Every pinned entry of a pip/uv lock file, in file order, with its marker and hashes."""
    pins: list[Pin] = []
    for line in text.splitlines():
        if m := ENTRY.match(line):
            pins.append(Pin(canonical(m.group(1)), m.group(2), m.group(3) or None))
        elif pins and (hashes := HASH.findall(line)):
            last = pins[-1]
            pins[-1] = Pin(last.name, last.version, last.marker, last.hashes + tuple(hashes))
    return pins


def lock_command(text: str) -> list[str]:
    """The ``uv pip compile ...`` command recorded in a lock's header (``[]`` when there is none)."""
    for line in text.splitlines()[:5]:
        body = line.lstrip("#").strip()
        if body.startswith("uv pip compile"):
            return shlex.split(body)
    return []


def marker_environment(python: str, platform: str = "linux") -> dict[str, str]:
    """PEP 508 marker variables of CPython ``python`` (``"3.12"``) on ``platform`` (a ``sys.platform``)."""
    system, os_name, machine = {
        "linux": ("Linux", "posix", "x86_64"),
        "darwin": ("Darwin", "posix", "arm64"),
        "win32": ("Windows", "nt", "AMD64"),
    }[platform]
    return {
        "python_version": python,
        "python_full_version": f"{python}.0",
        "sys_platform": platform,
        "platform_system": system,
        "os_name": os_name,
        "platform_machine": machine,
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "implementation_version": f"{python}.0",
        "platform_release": "",
        "platform_version": "",
        "extra": "",
    }


def applies(marker: str | None, env: dict[str, str]) -> bool:
    if not marker:
        return True
    from packaging.markers import Marker  # packaging ships with every pip/uv toolchain; imported lazily

    return Marker(marker).evaluate(env)


def pins_for(entries: Iterable[Pin], python: str, platform: str = "linux") -> dict[str, list[Pin]]:
    """``{name: [pins]}`` of the entries a given Python/platform installs (one pin per name when sound)."""
    env = marker_environment(python, platform)
    out: dict[str, list[Pin]] = {}
    for p in entries:
        if applies(p.marker, env):
            out.setdefault(p.name, []).append(p)
    return out


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def coverage_problems(
    lock_text: str,
    requirements: Sequence[str],
    requires_python: str,
    pythons: Sequence[str] = SUPPORTED_PYTHONS,
    platforms: Sequence[str] = PLATFORMS,
) -> list[str]:
    """Why a lock does not serve every supported Python (``[]`` when it does).

    Checks: the header says ``--universal`` and resolves from the lowest supported Python with
    hashes; ``requires_python`` admits each supported version; every entry has a hash; and on each
    Python × platform, exactly one pin applies to every direct requirement (in ``requirements``,
    PEP 508 strings) and it satisfies the requirement's specifier, and no package is pinned twice.
    """
    from packaging.requirements import Requirement
    from packaging.specifiers import SpecifierSet

    problems: list[str] = []
    cmd = lock_command(lock_text)
    if not cmd:
        problems.append("no `uv pip compile` command in the lock's header")
    else:
        if "--universal" not in cmd:
            problems.append("the lock was not resolved with --universal")
        if "--generate-hashes" not in cmd:
            problems.append("the lock was not resolved with --generate-hashes")
        py = cmd[cmd.index("--python-version") + 1] if "--python-version" in cmd[:-1] else None
        lowest = min(pythons, key=lambda v: tuple(map(int, v.split("."))))
        if py != lowest:
            problems.append(f"resolved for --python-version {py}, not the lowest supported {lowest}")
    for v in pythons:
        if f"{v}.0" not in SpecifierSet(requires_python):
            problems.append(f"requires-python {requires_python!r} excludes Python {v}")
    entries = lock_entries(lock_text)
    if not entries:
        problems.append("the lock pins nothing")
    problems += [f"{p.requirement}: no --hash" for p in entries if not p.hashes]
    reqs = [Requirement(r) for r in requirements]
    for v in pythons:
        for plat in platforms:
            env = marker_environment(v, plat)
            pinned = pins_for(entries, v, plat)
            problems += [
                f"Python {v} on {plat}: {name} pinned {len(ps)} times" for name, ps in pinned.items() if len(ps) > 1
            ]
            for r in reqs:
                if r.marker is not None and not r.marker.evaluate(env):
                    continue
                got = pinned.get(canonical(r.name), [])
                if not got:
                    problems.append(f"Python {v} on {plat}: {r.name} is required but no pin applies")
                elif len(got) == 1 and not r.specifier.contains(got[0].version, prereleases=True):
                    problems.append(f"Python {v} on {plat}: {got[0].requirement} does not satisfy {r}")
    return problems


def environment_yml(entries: Iterable[Pin], python: str = "3.11") -> str:
    """conda's environment file: Python ``python`` from conda-forge, then the lock's pins via pip.

    Markers are kept (pip evaluates them, so a Windows-only pin stays Windows-only); the lines
    are quoted because markers contain ``'`` and spaces.
    """
    lines = [
        f"# Generated by `make lock` from {LOCK}: the same exact pins (environment markers kept,",
        "# pip evaluates them), for conda and Binder. The lock serves Python 3.11-3.13; conda takes 3.11.",
        "name: civcomp",
        "channels:",
        "  - conda-forge",
        "dependencies:",
        f"  - python={python}",
        "  - pip",
        "  - pip:",
    ]
    for p in sorted(entries, key=lambda p: (p.name, p.marker or "")):
        if '"' in p.requirement:
            raise ValueError(f"cannot quote {p.requirement!r}")
        lines.append(f'      - "{p.requirement}"' if p.marker else f"      - {p.requirement}")
    lines += ["      - -e ."]
    return "\n".join(lines) + "\n"


def main() -> int:
    sys.stdout.write(environment_yml(lock_entries((paths.ROOT / LOCK).read_text())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
