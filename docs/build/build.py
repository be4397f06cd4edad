"""Build docs/*.md from docs/build/src/*.md, running every example so the guide shows real output.

    python docs/build/build.py           # rewrite docs/*.md
    python docs/build/build.py --check   # exit 1 if any page differs from what the code gives now
    python docs/build/build.py cli.md    # only the pages named

Directives in a template:
  @@FILE path lang@@        a fenced block with the file's text
  @@RAW command@@           the command's stdout, inline
  ```console ... ```        each "$ cmd" line is run (bash, repo root, 2>&1); its output follows
  ```python ... ``` then ```text\n@@OUT@@\n```   the script's stdout fills the text block
  ```python ... ```         without @@OUT@@: must run silently with exit 0
  ```python-md ... ```      the script's stdout replaces the block (generated Markdown)
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "docs" / "build" / "src"
DST = ROOT / "docs"
BIN = str(Path(sys.executable).parent)
ENV = dict(
    os.environ,
    PATH=BIN + os.pathsep + os.environ.get("PATH", ""),
    COLUMNS="80",
    PYTHONHASHSEED="0",
    PYTHONUNBUFFERED="1",
)
failures: list[str] = []


def _shell(command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", command],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )


def _console(block: str) -> str:
    out = []
    for line in block.splitlines():
        if not line.startswith("$ "):
            continue  # earlier outputs are regenerated
        command = line[2:]
        result = _shell(command)
        out.append(line)
        if result.stdout.rstrip("\n"):
            out.append(result.stdout.rstrip("\n"))
        expected_failure = "exit status" in command or "|| " in command
        if result.returncode != 0 and not expected_failure:
            failures.append(f"console failed ({result.returncode}): {command}\n{result.stdout}")
    return "\n".join(out)


def _python(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-"],
        input=code,
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        failures.append(f"python failed:\n{code}\n{result.stderr}")
    return result.stdout.rstrip("\n")


def build(text: str) -> str:
    text = re.sub(
        r"@@FILE (\S+) (\S+)@@",
        lambda m: (
            f"```{m.group(2)}\n{(ROOT / m.group(1)).read_text(encoding='utf-8').rstrip()}\n```"
        ),
        text,
    )
    text = re.sub(r"@@RAW (.+?)@@", lambda m: _shell(m.group(1)).stdout.rstrip("\n"), text)
    text = re.sub(r"```python-md\n(.*?)```", lambda m: _python(m.group(1)), text, flags=re.S)
    text = re.sub(
        r"```console\n(.*?)```",
        lambda m: f"```console\n{_console(m.group(1))}\n```",
        text,
        flags=re.S,
    )

    def python_block(m: re.Match[str]) -> str:
        code, wants_output = m.group(1), m.group(2) is not None
        out = _python(code)
        if wants_output:
            return f"```python\n{code}```\n\n```text\n{out}\n```"
        if out:
            failures.append(f"python printed but has no @@OUT@@ block:\n{code}\n{out}")
        return f"```python\n{code}```"

    return re.sub(
        r"```python\n(.*?)```(\n\n```text\n@@OUT@@\n```)?", python_block, text, flags=re.S
    )


def _build_page(source: Path) -> tuple[str, list[str]]:
    """One page and the failures met building it (run in a worker process)."""
    failures.clear()
    page = build(source.read_text(encoding="utf-8"))
    return page, list(failures)


def main() -> int:
    check = "--check" in sys.argv[1:]
    named = [a for a in sys.argv[1:] if not a.startswith("--")]
    unknown = [name for name in named if not (SRC / name).exists()]
    if unknown:
        print("no such page in docs/build/src:", ", ".join(unknown))
        return 2
    stale = []
    sources = sorted(SRC / name for name in named) if named else sorted(SRC.glob("*.md"))
    # Pages are independent: build them on every core (each example runs in its own process
    # anyway), then write or compare them in name order, so the output does not depend on it.
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        built = list(pool.map(_build_page, sources))
    for source, (page, problems) in zip(sources, built, strict=True):
        failures.extend(problems)
        target = DST / source.name
        if check:
            if not target.exists() or target.read_text(encoding="utf-8") != page:
                stale.append(target.name)
        else:
            target.write_text(page, encoding="utf-8")
            print("built", target.relative_to(ROOT))
    if failures:
        print("\n\n".join(failures))
        return 1
    if stale:
        print("stale pages (run python docs/build/build.py):", ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
