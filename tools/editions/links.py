"""Classroom links from the manifest: nbgitpuller for a JupyterHub, Binder for everyone else.

nbgitpuller (installed on the hub) clones or updates the course repository in each learner's
home folder when they open the link, then opens the notebook; its link is
``<hub>/hub/user-redirect/git-pull?repo=...&branch=...&urlpath=lab/tree/<repo name>/<path>``
with every value URL-encoded (nbgitpuller documentation, "link" page). The hub's address comes
from ``--hub`` or from an optional table in course.toml:

    [classroom]
    hub = "https://hub.example.edu"

Binder builds the repository with repo2docker (``binder/`` holds its configuration) and opens
``https://mybinder.org/v2/gh/<owner>/<repo>/<ref>?urlpath=<path>``.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from urllib.parse import quote, urlparse

from tools import fileio
from tools import manifest as course_tool

BINDER = "https://mybinder.org"
BADGE = f"{BINDER}/badge_logo.svg"


def hub_address(root: Path, hub: str | None) -> str | None:
    """The hub from the argument, else from course.toml's [classroom] table, else None."""
    if hub is None:
        with open(root / course_tool.MANIFEST, "rb") as handle:
            classroom = tomllib.load(handle).get("classroom", {})
        hub = classroom.get("hub")
        where = "course.toml [classroom] hub"
    else:
        where = "--hub"
    if hub is None:
        return None
    parsed = urlparse(hub)
    if not isinstance(hub, str) or parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ValueError(
            f"{where}: got {hub!r}, expected the hub's address, e.g. https://hub.example.edu"
        )
    return hub.rstrip("/")


def nbgitpuller_link(hub: str, github: str, ref: str, path: str) -> str:
    repository = f"https://github.com/{github}"
    folder = github.split("/")[1]  # nbgitpuller clones into a folder named after the repository
    return (
        f"{hub}/hub/user-redirect/git-pull?repo={quote(repository, safe='')}"
        f"&branch={quote(ref, safe='')}&urlpath={quote(f'lab/tree/{folder}/{path}', safe='')}"
    )


def binder_link(github: str, ref: str, path: str) -> str:
    urlpath = quote(f"lab/tree/{path}", safe="")
    return f"{BINDER}/v2/gh/{github}/{quote(ref, safe='')}?urlpath={urlpath}"


def binder_badge(github: str, ref: str, path: str = "notebooks/00_index.ipynb") -> str:
    return f"[![Binder]({BADGE})]({binder_link(github, ref, path)})"


def links_page(root: Path, hub: str | None) -> str:
    """A markdown page: the Binder badge, then one row per notebook with its links."""
    course = course_tool.load_manifest(root)
    lines = [
        "# Classroom links",
        "",
        "Written by `python -m tools.editions links` from course.toml"
        f" ({course.github} @ {course.ref}).",
        "",
        f"Whole course on Binder: {binder_badge(course.github, course.ref)}",
        "",
    ]
    if hub is None:
        lines += [
            "No hub given (`--hub` or `[classroom] hub` in course.toml): Binder links only.",
            "",
        ]
    lines += ["| notebook | JupyterHub (nbgitpuller) | Binder |", "|---|---|---|"]
    for notebook in course.notebooks:
        path = f"notebooks/{notebook.file}"
        puller = f"[open]({nbgitpuller_link(hub, course.github, course.ref, path)})" if hub else "—"
        binder = f"[open]({binder_link(course.github, course.ref, path)})"
        lines.append(f"| {notebook.label} | {puller} | {binder} |")
    return "\n".join(lines) + "\n"


def build(root: Path, out: Path, hub: str | None) -> list[Path]:
    target = out / "links.md"
    fileio.write_text(target, links_page(root, hub_address(root, hub)))
    return [target]
