"""Fetch the drawing libraries of the offline page from the npm registry and vendor them.

    python tools/update_view_vendor.py            # the versions pinned below
    python tools/update_view_vendor.py --check    # only check the vendored files against npm

For each package: ``npm pack NAME@VERSION`` into a temporary folder, check the tarball's
sha512 against the registry's ``dist.integrity`` (``npm view``), copy the minified browser
build and the LICENSE into ``imidgraph/resources/view/vendor/`` and write VENDOR.md there.
To update, change a version below, run this, then the picture tests
(``pytest -m chromium tests/test_view.py``). Needs ``npm`` on PATH; nothing else is installed.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VENDOR = Path(__file__).resolve().parent.parent / "imidgraph" / "resources" / "view" / "vendor"

# (npm package, version, file in the tarball -> vendored name, licence in the tarball -> name)
PACKAGES = [
    ("cytoscape", "3.35.0", ("package/dist/cytoscape.min.js", "cytoscape.min.js"), ("package/LICENSE", "cytoscape.LICENSE")),
    ("@dagrejs/dagre", "3.1.3", ("package/dist/dagre.min.js", "dagre.min.js"), ("package/LICENSE", "dagre.LICENSE")),
]


def npm(*args: str, cwd: Path | None = None) -> str:
    try:
        return subprocess.run(["npm", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout
    except FileNotFoundError:
        sys.exit("npm not found: install Node.js (Debian: apt-get install npm)")
    except subprocess.CalledProcessError as e:
        sys.exit(f"npm {' '.join(args)} failed: {e.stderr.strip().splitlines()[-1] if e.stderr.strip() else e}")


def sri(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare the vendored files with npm's, change nothing")
    check = parser.parse_args().check
    rows, problems = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for name, version, (src, dest), (lic_src, lic_dest) in PACKAGES:
            integrity = json.loads(npm("view", f"{name}@{version}", "dist.integrity", "--json"))
            packed = json.loads(npm("pack", f"{name}@{version}", "--json", "--pack-destination", tmp, cwd=Path(tmp)))
            tarball = Path(tmp) / packed[0]["filename"]
            if sri(tarball.read_bytes()) != integrity:
                sys.exit(f"{name}@{version}: the tarball's sha512 is not the registry's dist.integrity")
            with tarfile.open(tarball) as tar:
                files = {src: tar.extractfile(src).read(), lic_src: tar.extractfile(lic_src).read()}
            for path, out in ((src, dest), (lic_src, lic_dest)):
                if check:
                    if (VENDOR / out).read_bytes() != files[path]:
                        problems.append(f"{out} differs from {name}@{version}'s {path}")
                else:
                    (VENDOR / out).write_bytes(files[path])
            size = len(files[src])
            digest = hashlib.sha256(files[src]).hexdigest()
            rows.append(f"| [{name}](https://www.npmjs.com/package/{name}) | {version} | MIT (`{lic_dest}`) | "
                        f"`{dest}` ({size:,} bytes, from `{src.removeprefix('package/')}`) | `{integrity}` | `{digest}` |")  # fmt: skip
    if check:
        print("\n".join(problems) or "the vendored files are npm's, byte for byte")
        sys.exit(1 if problems else 0)
    text = (VENDOR / "VENDOR.md").read_text(encoding="utf-8")
    head, _, rest = text.partition("<!-- packages -->")
    _, _, tail = rest.partition("<!-- /packages -->")
    table = "| package | version | licence | file | npm tarball integrity | sha256 of the file |\n|---|---|---|---|---|---|\n"
    (VENDOR / "VENDOR.md").write_text(f"{head}<!-- packages -->\n{table}" + "\n".join(rows) + f"\n<!-- /packages -->{tail}",
                                      encoding="utf-8")  # fmt: skip
    print(f"vendored {', '.join(f'{n}@{v}' for n, v, *_ in PACKAGES)} into {VENDOR}")


if __name__ == "__main__":
    main()
