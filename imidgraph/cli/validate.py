"""Checking the seeds: validate (with --sources, the wording against the source texts too)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..facts import RawSeeds, read_seeds
from ..validate import missing_source_texts, read_source_texts, validate
from .common import Context, main, pass_context, seeds_option

SOURCES_HINT = "the project's source texts are in ../shared/sources beside it, see ../shared/README.md"


@main.command("validate")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option(
    "--sources",
    "sources_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder of the source texts (../shared/sources): also check that paraphrases do not copy them.",
)
@seeds_option
@pass_context
def validate_command(obj: Context, path: Path | None, sources_dir: Path | None) -> None:
    """Check the seeds at PATH (default: the project's seeds) and report every problem."""
    root = path or obj.seeds
    raw = read_seeds(root)
    texts = _source_texts(raw, sources_dir) if sources_dir is not None else None
    problems = validate(raw, texts)
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        click.echo(f"{len(problems)} problem(s) in {root}", err=True)
        sys.exit(1)
    if texts is None:
        wording = f"; wording not checked: give --sources DIR ({SOURCES_HINT})"
    else:
        unchecked = sorted(str(r.get("id")) for r in raw.sources if str(r.get("id")) not in texts)
        wording = f"; wording checked against {len(texts)} source text(s) in {sources_dir}" + (
            f" (none for {', '.join(unchecked)}: no file named)" if unchecked else ""
        )
    click.echo(
        f"OK: {len(raw.entities)} entities, {len(raw.relations)} relations, "
        f"{len(raw.sources)} sources, {len(raw.references)} references" + wording
    )


def _source_texts(raw: RawSeeds, sources_dir: Path) -> dict[str, str]:
    """The source texts in ``sources_dir``; one line and exit 1 when it is not there or lacks some."""
    if not sources_dir.is_dir():
        what = "is not a folder" if sources_dir.exists() else "not found"
        raise click.ClickException(f"source texts folder {sources_dir} {what}: {SOURCES_HINT}")
    missing = missing_source_texts(raw, sources_dir)
    if missing:
        raise click.ClickException(
            f"source texts folder {sources_dir} lacks {', '.join(missing)}: {SOURCES_HINT}"
        )
    return read_source_texts(raw, sources_dir)
