"""Render the executed course as static HTML pages that work offline, into _build/html.

    python -m tools.build_html                      # every notebook, with its stored outputs
    python -m tools.build_html --execute            # run each notebook first (quick mode)
    python -m tools.build_html notebooks/02_*.ipynb --out /tmp/site

The pages show the outputs stored in the notebooks: the reference run of ``make reference``,
training logs and curves included. ``--execute`` runs a copy of each notebook in quick mode
first and shows that run's outputs instead (small samples, short training: for checking that
the pages build from a fresh run, not for publishing); the notebooks themselves are not
changed.

Layout of the output, mirroring the repository so relative links keep working:

    _build/html/index.html              -> opens notebooks/00_index.html
    _build/html/notebooks/NN_name.html  links to other notebooks rewritten from .ipynb
    _build/html/images/                 copy of the repository's images/
    _build/html/vendor/                 require.js and MathJax, copied from node_modules

Links to other files of the repository (a helpers module, say) point at GitHub, using the
repository named in course.toml. Everything a page loads is local: no CDN.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat

from tools import fileio
from tools.course import BADGE_IMAGE, COLAB_PREFIX, INDEX, ROOT, Course, load_manifest

TEMPLATES = Path(__file__).resolve().parent / "templates"
NODE_MODULES = ROOT / "node_modules"
# What each page loads, from the npm packages in package.json (relative to node_modules).
VENDOR_FILES = {
    "require.js": "requirejs/require.js",
    "jquery.min.js": "jquery/dist/jquery.min.js",
    "mathjax/tex-chtml-full.js": "mathjax/es5/tex-chtml-full.js",
    "mathjax/output/chtml/fonts/woff-v2": "mathjax/es5/output/chtml/fonts/woff-v2",
}
_ATTRIBUTE = re.compile(r"""(\b(?:href|src)=)(["'])([^"']*)\2""")


def ensure_node_modules() -> Path:
    """The node_modules folder, installed with ``npm ci`` from package-lock.json if absent."""
    if (NODE_MODULES / "reveal.js" / "dist").is_dir() and (NODE_MODULES / "mathjax").is_dir():
        return NODE_MODULES
    npm = shutil.which("npm")
    if npm is None:
        sys.exit(
            "node_modules/ is missing and npm is not installed: install Node.js (Debian:"
            " apt-get install npm), then run `npm ci` in the course folder."
        )
    print("Installing reveal.js and MathJax with `npm ci` (once) ...", flush=True)
    subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=ROOT, check=True)
    return NODE_MODULES


# The course's own stand-in for the Colab badge image, so that offline pages show a badge.
BADGE_SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="117" height="20" role="img"
 aria-label="Open in Colab"><title>Open in Colab</title>
<rect width="117" height="20" rx="3" fill="#555"/>
<rect x="44" width="73" height="20" rx="3" fill="#f9ab00"/>
<rect x="44" width="6" height="20" fill="#f9ab00"/>
<g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">
<text x="7" y="14">Open</text></g>
<g fill="#222" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">
<text x="50" y="14">in Colab</text></g>
</svg>
"""


def copy_vendor(destination: Path) -> None:
    """Copy the scripts every page loads into ``destination`` (the site's vendor/)."""
    destination.mkdir(parents=True, exist_ok=True)
    fileio.write_text(destination / "colab-badge.svg", BADGE_SVG)
    modules = ensure_node_modules()
    for target, source in VENDOR_FILES.items():
        source_path, target_path = modules / source, destination / target
        target_path.parent.mkdir(parents=True, exist_ok=True)
        if source_path.is_dir():
            shutil.copytree(source_path, target_path, dirs_exist_ok=True)
        else:
            shutil.copy2(source_path, target_path)


def copy_images(site: Path) -> None:
    images = ROOT / "images"
    if images.is_dir():
        shutil.copytree(images, site / "images", dirs_exist_ok=True)


def rewrite_links(
    page: str, course: Course, notebook_suffix: str, badge_path: str = "../vendor/colab-badge.svg"
) -> str:
    """Point relative links of a page rendered from notebooks/ at the right place on the site.

    ``x.ipynb`` becomes ``x<notebook_suffix>``, and so does a Colab URL of one of the
    course's notebooks (the navigation links) unless it is the "Open in Colab" badge's link;
    images/ stays (it is copied next to the pages); any other file of the repository becomes
    its GitHub URL. The Colab badge image comes from the site's vendor/ folder, so a page
    loads nothing from the internet.
    """
    colab_notebooks = re.compile(
        r"""(<a\s[^>]*?href=)(["'])"""
        + re.escape(f"{COLAB_PREFIX}{course.github}/blob/{course.ref}/notebooks/")
        + r"""([^"'/#]+)\.ipynb(#[^"']*)?\2([^>]*>)(?!\s*<img)"""
    )
    page = colab_notebooks.sub(
        lambda m: f"{m[1]}{m[2]}{m[3]}{notebook_suffix}{m[4] or ''}{m[2]}{m[5]}", page
    )

    def replace(match: re.Match) -> str:
        prefix, quote, target = match.groups()
        if target == BADGE_IMAGE:
            return f"{prefix}{quote}{badge_path}{quote}"
        parts = urlsplit(html.unescape(target))
        notebook_pages = course.notebook_url("")  # links between notebooks: to the site's page
        if target.startswith(notebook_pages) and "/" not in target[len(notebook_pages):]:
            parts = urlsplit(html.unescape(target[len(notebook_pages):]))
        if parts.scheme or parts.netloc or not parts.path or target.startswith("#"):
            return match.group(0)
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        path = unquote(parts.path)
        if path.endswith(".ipynb") and "/" not in path:
            new = path.removesuffix(".ipynb") + notebook_suffix + fragment
        else:
            in_repo = (ROOT / "notebooks" / path).resolve()
            if (
                not in_repo.is_relative_to(ROOT)
                or in_repo.is_relative_to(ROOT / "images")
                or not in_repo.exists()  # the site's own files, such as vendor/
            ):
                return match.group(0)
            relative = in_repo.relative_to(ROOT).as_posix()
            kind = "tree" if in_repo.is_dir() else "blob"
            new = f"https://github.com/{course.github}/{kind}/{course.ref}/{relative}{fragment}"
        return f"{prefix}{quote}{html.escape(new, quote=True)}{quote}"

    return _ATTRIBUTE.sub(replace, page)


def notebook_paths(arguments: list[Path]) -> list[Path]:
    if arguments:
        return [path.resolve() for path in arguments]
    return sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def read_for_export(path: Path, course: Course, execute: bool, timeout: int = 600):
    """Read a notebook, titled from the manifest, executed in quick mode if asked."""
    notebook = nbformat.read(path, as_version=4)
    entry = course.find(path.name)
    notebook.metadata["title"] = (
        entry.label if entry else "Convolutional neural networks with Keras 3"
    )
    if execute and any(cell.cell_type == "code" for cell in notebook.cells):
        from nbclient import NotebookClient

        environment = dict(os.environ)
        os.environ["CNN_COURSE_QUICK"] = "1"
        os.environ.pop("MPLBACKEND", None)
        try:
            NotebookClient(
                notebook,
                timeout=timeout,
                kernel_name="python3",
                resources={"metadata": {"path": str(path.parent)}},
            ).execute()
        finally:
            os.environ.clear()
            os.environ.update(environment)
    return notebook


def redirect_page(target: str, title: str) -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<meta http-equiv=\"refresh\" content=\"0; url={target}\">\n"
        f"<title>{html.escape(title)}</title>\n</head>\n<body>\n"
        f"<p><a href=\"{target}\">{html.escape(title)}</a></p>\n</body>\n</html>\n"
    )


def prepare_site(site: Path) -> Path:
    """Copy the offline assets into ``site``; return the folder the pages go into."""
    pages_dir = site / "notebooks"
    pages_dir.mkdir(parents=True, exist_ok=True)
    copy_vendor(site / "vendor")
    copy_images(site)
    return pages_dir


def exporter_settings(template: str) -> dict:
    """What every exporter of the course shares: its templates and local script copies."""
    return {
        "template_name": template,
        "extra_template_basedirs": [str(TEMPLATES)],
        "extra_template_paths": [str(TEMPLATES)],  # for course_common/ macros
        "require_js_url": "../vendor/require.js",
        "mathjax_url": "../vendor/mathjax/tex-chtml-full.js",
    }


def build(paths: list[Path], site: Path, execute: bool = False) -> list[Path]:
    """Render ``paths`` into ``site``; return the pages written."""
    from nbconvert import HTMLExporter

    course = load_manifest()
    pages_dir = prepare_site(site)
    exporter = HTMLExporter(**exporter_settings("course_lab"))
    written = []
    for path in paths:
        start = time.perf_counter()
        notebook = read_for_export(path, course, execute)
        body, _ = exporter.from_notebook_node(notebook, resources={"metadata": {"name": path.stem}})
        page = pages_dir / f"{path.stem}.html"
        fileio.write_text(page, rewrite_links(body, course, ".html"))
        written.append(page)
        print(f"{page.relative_to(site)}: {page.stat().st_size / 1e6:.1f} MB"
              f" in {time.perf_counter() - start:.1f} s", flush=True)
    fileio.write_text(
        site / "index.html",
        redirect_page(f"notebooks/{Path(INDEX).stem}.html", "The course's front page"),
    )
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebook")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--execute", action="store_true", help="run each notebook first")
    args = parser.parse_args()
    build(notebook_paths(args.notebooks), args.out.resolve(), execute=args.execute)
    print(f"Open {args.out.resolve() / 'index.html'} in a browser.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
