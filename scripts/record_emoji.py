"""Record Hugo's emoji codes (`:smile:` -> 😄 with enableEmoji) into feedsvc/readers/hugo_emoji.txt.

    .venv/bin/python scripts/record_emoji.py

Hugo replaces a code only when its own table has it, and writes the table's emoji, which is
not always another library's (`:email:` is ✉️ to Hugo 0.111, 📧 to others; `:clock:` is 🕰;
`:Afghanistan:` is no code). The candidate codes are every run of name characters between
two colons in the installed hugo binary (where its table's keys are); each is written on a
page of a scratch site, built with the real hugo, and those it replaced are kept with what
it wrote. Run again when the Hugo version feedsvc follows changes.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "feedsvc" / "readers" / "hugo_emoji.txt"
NAME = re.compile(r"[\w+\-.&’'()!#*,]{1,60}")
HEADER = "# Hugo's emoji codes (without their colons) and what it writes for each, by scripts/record_emoji.py with {}\n"


def candidates(binary: Path) -> list[str]:
    found = set()
    for segment in binary.read_bytes().split(b":"):
        if 0 < len(segment) <= 240:
            try:
                name = segment.decode("utf-8")
            except UnicodeDecodeError:
                continue
            if NAME.fullmatch(name) and not name.isdigit() or name in ("100", "1234"):
                found.add(name)
    return sorted(found)


def recorded(names: list[str], hugo: str) -> dict[str, str]:
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder)
        (site / "hugo.toml").write_text('baseURL = "https://emoji.example.org/"\ntitle = "E"\nenableEmoji = true\n')
        (site / "content").mkdir()
        (site / "layouts" / "_default").mkdir(parents=True)
        (site / "layouts" / "_default" / "single.html").write_text("{{ .Content }}")
        lines = "\n\n".join(f"L{number} :{name}:" for number, name in enumerate(names))
        (site / "content" / "codes.md").write_text(f"---\ntitle: codes\n---\n{lines}\n", encoding="utf-8")
        subprocess.run([hugo, "--quiet", "-s", folder, "-d", str(site / "out")], check=True)
        written = (site / "out" / "codes" / "index.html").read_text(encoding="utf-8")
    found = {}
    for match in re.finditer(r"<p>L(\d+) (.*?)</p>", written, re.S):
        name, shown = names[int(match.group(1))], html.unescape(match.group(2))
        if shown != f":{name}:" and "<" not in shown and ":" not in shown:
            found[name] = shown
    return found


def main() -> None:
    hugo = shutil.which("hugo")
    if not hugo:
        sys.exit("hugo is not installed")
    version = subprocess.run([hugo, "version"], capture_output=True, text=True, check=True).stdout.split()[1]
    table = recorded(candidates(Path(hugo).resolve()), hugo)
    rows = "".join(f"{name}\t{shown}\n" for name, shown in sorted(table.items()))
    TABLE.write_text(HEADER.format(f"hugo {version}") + rows, encoding="utf-8")
    print(f"{TABLE}: {len(table)} codes")


if __name__ == "__main__":
    main()
