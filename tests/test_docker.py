"""docker/Dockerfile and docker/verify.sh run the same commands.

There is no Docker engine in CI: verify.sh performs the image's build and
install steps outside Docker (make docker-verify). These checks keep it
honest: every RUN line of the Dockerfile appears verbatim in verify.sh,
marked "# Dockerfile", and every marked line of verify.sh is a RUN line.
"""

import pathlib
import re

import pytest

DOCKER = pathlib.Path(__file__).resolve().parent.parent / "docker"
MARK = "# Dockerfile"


def instructions(text):
    """The Dockerfile's instructions as (keyword, arguments), continuation
    lines joined, comments dropped."""
    out, cur = [], ""
    for line in text.splitlines():
        if not cur and (not line.strip() or line.lstrip().startswith("#")):
            continue
        cur += line.rstrip("\\").strip() + " " if line.endswith("\\") else line.strip()
        if not line.endswith("\\"):
            keyword, _, args = cur.partition(" ")
            out.append((keyword.upper(), args.strip()))
            cur = ""
    return out


@pytest.fixture(scope="module")
def dockerfile():
    return instructions((DOCKER / "Dockerfile").read_text())


@pytest.fixture(scope="module")
def verified():
    """The commands verify.sh marks as the Dockerfile's."""
    lines = (DOCKER / "verify.sh").read_text().splitlines()
    return [line[: -len(MARK)].strip() for line in lines if line.rstrip().endswith(MARK)]


def test_instructions_parser():
    got = instructions("FROM a AS b\n# note\nRUN x \\\n  && y\n\nUSER ${NB_UID}\n")
    assert got == [("FROM", "a AS b"), ("RUN", "x && y"), ("USER", "${NB_UID}")]


def test_run_lines_match_verify(dockerfile, verified):
    runs = [args for kw, args in dockerfile if kw == "RUN"]
    assert runs == verified


def test_gostream_is_built_and_installed(dockerfile, verified):
    runs = [args for kw, args in dockerfile if kw == "RUN"]
    assert any(re.search(r"go build .*-ldflags \"-X main\.version=\$\{VERSION\}\"", r) for r in runs)
    assert any("gostream install --user" in r for r in runs)
    assert any("jupyter kernelspec list" in r for r in runs)


def test_stages(dockerfile):
    froms = [args for kw, args in dockerfile if kw == "FROM"]
    assert froms == ["golang:1.26 AS build", "quay.io/jupyter/base-notebook"]
    final = dockerfile[[kw for kw, _ in dockerfile].index("FROM", 1):]
    kws = [kw for kw, _ in final]
    # the kernelspec is installed as the notebook user, not root
    user = kws.index("USER")
    install = next(i for i, (kw, a) in enumerate(final) if kw == "RUN" and "gostream install" in a)
    assert final[user][1] == "${NB_UID}" and user < install
    assert ("COPY", "--from=build /out/gostream /usr/local/bin/gostream") in final
    assert any(kw == "COPY" and a.split()[-2] == "notebooks/" for kw, a in final)
    assert ("EXPOSE", "8888") in final
