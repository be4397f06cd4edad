"""Execute the tutorial notebook and render it as a Markdown page for the documentation site.

    python docs/build/notebook.py             # check the pairing, execute, report what it rendered
    python docs/build/notebook.py --sync      # rewrite tutorial.ipynb from tutorial.py (jupytext)
    python docs/build/notebook.py --out DIR   # also write the page, its images and the executed notebook

The tutorial's source is ``docs/tutorial/tutorial.py``, a jupytext script in the percent format;
``docs/tutorial/tutorial.ipynb`` is generated from it (no outputs) for those who open notebooks,
and must hold the same cells (the check fails otherwise). The notebook runs with nbclient in a
fresh kernel, from ``docs/tutorial/`` as Jupyter would, with ``TMPDIR`` pointing to a temporary
folder removed afterwards, so what it writes leaves no trace. The executed notebook becomes
Markdown here rather than through nbconvert or mkdocs-jupyter (neither is needed): code cells as
Python blocks, text output as text blocks, HTML (DataFrames) as it is, images as files beside the
page. A cell that raises stops the build.
"""

from __future__ import annotations

import base64
import importlib
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "docs" / "tutorial" / "tutorial.py"
NOTEBOOK = SCRIPT.with_suffix(".ipynb")
TIMEOUT = 600  # seconds per cell

Notebook = Any  # nbformat.NotebookNode: nbformat ships no type information
IMAGES = {"image/png": "png", "image/svg+xml": "svg"}  # the output kinds shown as image files


def _untyped(module: str) -> Any:
    """jupytext or nbformat, neither of which ships type information."""
    return importlib.import_module(module)


def paired() -> Notebook:
    """The notebook jupytext makes of the script, without outputs."""
    return _untyped("jupytext").read(SCRIPT)


def sync() -> None:
    """Write tutorial.ipynb from tutorial.py."""
    _untyped("jupytext").write(paired(), NOTEBOOK, fmt="ipynb")


def pairing_problem() -> str | None:
    """Why tutorial.ipynb does not hold tutorial.py's cells, or None if it does."""
    nbformat = _untyped("nbformat")
    if not NOTEBOOK.exists():
        return f"{NOTEBOOK.relative_to(ROOT)} is missing: run python docs/build/notebook.py --sync"
    committed = nbformat.read(NOTEBOOK, as_version=4)

    def cells(notebook: Notebook) -> list[tuple[str, str]]:
        return [(cell.cell_type, cell.source) for cell in notebook.cells]

    if cells(committed) != cells(paired()):
        return (
            f"{NOTEBOOK.relative_to(ROOT)} does not hold the cells of {SCRIPT.name}: "
            "run python docs/build/notebook.py --sync (it is generated, never edited)"
        )
    if any(cell.get("outputs") for cell in committed.cells):
        return (
            f"{NOTEBOOK.relative_to(ROOT)} holds outputs: run python docs/build/notebook.py --sync"
        )
    return None


def execute() -> Notebook:
    """The tutorial, executed in a fresh kernel of this Python."""
    from nbclient import NotebookClient

    notebook = paired()
    with tempfile.TemporaryDirectory(prefix="negpos-tutorial-run-") as scratch:
        env = dict(
            os.environ,
            PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""),
            TMPDIR=scratch,
            MPLBACKEND="agg",
            PYTHONHASHSEED="0",
        )
        client = NotebookClient(
            notebook,
            timeout=TIMEOUT,
            kernel_name="python3",
            # the kernel's notice that it talks over local TCP, printed at every start
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
            resources={"metadata": {"path": str(SCRIPT.parent)}},
        )
        client.execute(env=env)
    return notebook


def _fence(text: str, lang: str) -> str:
    fence = "```"
    while fence in text:
        fence += "`"
    return f"{fence}{lang}\n{text.rstrip()}\n{fence}"


def _joined(value: str | list[str]) -> str:
    return value if isinstance(value, str) else "".join(value)


def to_markdown(notebook: Notebook, assets: str) -> tuple[str, dict[str, bytes]]:
    """The page's Markdown and its images ({file name: bytes}), linked as ``assets/name``."""
    blocks: list[str] = []
    images: dict[str, bytes] = {}
    for number, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type == "markdown":
            blocks.append(cell.source)
            continue
        if cell.cell_type != "code":
            continue
        blocks.append(_fence(cell.source, "python"))
        for output in cell.get("outputs", []):
            if output.output_type == "stream":
                blocks.append(_fence(_joined(output.text), "text"))
            elif output.output_type == "error":
                raise RuntimeError(f"cell {number} raised {output.ename}: {output.evalue}")
            else:
                data = output.get("data", {})
                image = next((kind for kind in IMAGES if kind in data), None)
                if image is not None:
                    name = f"cell-{number}-{len(images) + 1}.{IMAGES[image]}"
                    raw = _joined(data[image])
                    images[name] = (
                        raw.encode() if image == "image/svg+xml" else base64.b64decode(raw)
                    )
                    width = output.get("metadata", {}).get(image, {}).get("width")
                    size = f'{{ width="{int(width)}" }}' if width else ""
                    blocks.append(f"![Output of cell {number}]({assets}/{name}){size}")
                elif "text/markdown" in data:
                    blocks.append(_joined(data["text/markdown"]))
                elif "text/html" in data:
                    html = _joined(data["text/html"]).strip()
                    blocks.append(f'<div class="notebook-output" markdown="0">\n{html}\n</div>')
                elif "text/plain" in data:
                    blocks.append(_fence(_joined(data["text/plain"]), "text"))
    return "\n\n".join(blocks) + "\n", images


def main() -> int:
    args = sys.argv[1:]
    if "--sync" in args:
        sync()
        print("wrote", NOTEBOOK.relative_to(ROOT))
        return 0
    problem = pairing_problem()
    if problem:
        print(problem)
        return 1
    notebook = execute()
    page, images = to_markdown(notebook, "tutorial")
    if "--out" in args:
        out = Path(args[args.index("--out") + 1])
        (out / "tutorial").mkdir(parents=True, exist_ok=True)
        (out / "tutorial.md").write_text(page, encoding="utf-8")
        for name, content in images.items():
            (out / "tutorial" / name).write_bytes(content)
        _untyped("nbformat").write(notebook, out / "tutorial" / "tutorial.ipynb")
    cells = sum(cell.cell_type == "code" for cell in notebook.cells)
    print(f"tutorial executed: {cells} code cells, {len(images)} image(s), {len(page)} characters")
    return 0


if __name__ == "__main__":
    sys.exit(main())
