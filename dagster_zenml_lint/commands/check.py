"""``dagster-zenml-lint check PATHS...``: report Dagster patterns, with their ZenML targets.

The run is four steps, each a function so later features slot in without reshaping it:

1. :func:`build_config`: ``[tool.dagster-zenml-lint]`` from the nearest ``pyproject.toml``
   (or ``--config``), overridden by flags;
2. :func:`lint_project`: discover the files and lint each one (the place for ``--jobs``),
   then answer the fixes that depend on other files;
3. :func:`after_lint`: what happens to the results before they are shown (the place for
   ``--fix``, ``--diff``, ``--fix-only`` and ``--add-markers``: they take the results,
   write or print changes, and return the findings that remain);
4. render with the chosen ``--output-format`` and compute the exit code
   (:func:`~dagster_zenml_lint.commands.results.exit_code`): 0 no findings, 1 findings, 2 usage or input error.

Some runs stop earlier: ``--show-settings`` after step 1, ``check -`` lints standard input
instead (:mod:`~dagster_zenml_lint.commands.check_stdin`), ``--show-files`` lists what step
2 would lint, and ``--add-noqa`` writes directives after it
(:mod:`~dagster_zenml_lint.commands.check_noqa`).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from dagster_zenml_lint import baseline
from dagster_zenml_lint.commands import UsageError
from dagster_zenml_lint.commands.options import add_cache_arguments, add_config_argument, fix_options
from dagster_zenml_lint.commands.results import exit_code, output_options, write_output
from dagster_zenml_lint.config import Config, ConfigError, load_config, validate_codes
from dagster_zenml_lint.discovery import discover
from dagster_zenml_lint.findings import Severity
from dagster_zenml_lint.output import FORMATS, get_renderer
from dagster_zenml_lint.parallel import lint_files
from dagster_zenml_lint.runner import DEBUG_ENV, FileResult, settle_results

if TYPE_CHECKING:
    from dagster_zenml_lint.fixers.crossfile import ProjectIndex
    from dagster_zenml_lint.fixers.files import FixRun

NAME = "check"
HELP = "report Dagster patterns in files or directories (exit 1 when there are findings)"


def _codes_argument(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the command's arguments."""
    parser.add_argument(
        "paths", nargs="*", default=["."], metavar="PATH", help="files or directories (default: .); - reads stdin"
    )
    parser.add_argument(
        "--output-format",
        choices=tuple(FORMATS),
        help="how findings are printed (default: text; also `output-format` in the configuration)",
    )
    parser.add_argument(
        "-o", "--output-file", type=Path, metavar="FILE", help="write the findings to FILE instead of stdout"
    )
    parser.add_argument(
        "--stdin-filename",
        metavar="PATH",
        help="the path of the text read from stdin (`check -`): its configuration, excludes and per-file ignores",
    )
    selection = parser.add_argument_group("rule selection")
    selection.add_argument(
        "--select",
        type=_codes_argument,
        action="append",
        metavar="CODES",
        help="only these codes, prefixes or symbols (comma separated; e.g. DZ3,dagster-asset)",
    )
    selection.add_argument(
        "--ignore",
        type=_codes_argument,
        action="append",
        metavar="CODES",
        help="skip these codes, prefixes or symbols (comma separated)",
    )
    selection.add_argument(
        "--extend-select",
        type=_codes_argument,
        action="append",
        metavar="CODES",
        help="add these to the selected codes (comma separated)",
    )
    selection.add_argument(
        "--extend-ignore",
        type=_codes_argument,
        action="append",
        metavar="CODES",
        help="skip these codes too, keeping the configured ignore list (comma separated)",
    )
    selection.add_argument(
        "--fixable",
        type=_codes_argument,
        action="append",
        metavar="CODES",
        help="only the fixes of these codes may be applied (comma separated; default: ALL)",
    )
    selection.add_argument(
        "--unfixable",
        type=_codes_argument,
        action="append",
        metavar="CODES",
        help="never apply the fixes of these codes (comma separated)",
    )
    selection.add_argument(
        "--min-severity",
        type=str.lower,
        choices=[s.name.lower() for s in Severity],
        help="report only findings at or above this severity",
    )
    files = parser.add_argument_group("files")
    files.add_argument(
        "--exclude",
        type=_codes_argument,
        action="append",
        metavar="GLOBS",
        help="globs to skip, replacing the default list (comma separated)",
    )
    files.add_argument(
        "--extend-exclude",
        type=_codes_argument,
        action="append",
        metavar="GLOBS",
        help="globs to skip in addition to the default list (comma separated)",
    )
    files.add_argument(
        "--respect-gitignore",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="skip files that .gitignore (in a git repository) and .ignore files exclude (default: yes)",
    )
    add_config_argument(files)
    files.add_argument("--show-files", action="store_true", help="list the files that would be checked, then stop")
    files.add_argument("--show-settings", action="store_true", help="print the settings in force, then stop")
    files.add_argument(
        "-j",
        "--jobs",
        type=_jobs_argument,
        metavar="N",
        help="worker processes (default: every core; 1 = no pool; also `jobs` in the configuration)",
    )
    add_cache_arguments(files)
    out = parser.add_argument_group("output")
    out.add_argument("--statistics", action="store_true", help="print the number of findings per rule")
    out.add_argument("-q", "--quiet", action="store_true", help="print findings only, no summary line")
    out.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    out.add_argument(
        "--add-noqa", action="store_true", help="add `# noqa: CODES` to every line with findings (adopt the linter)"
    )
    add_fix_arguments(parser)
    baseline.add_arguments(parser)


def add_fix_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``check`` flags that change files (ruff's names and meanings)."""
    group = parser.add_argument_group("fixes")
    group.add_argument("--fix", action="store_true", help="apply safe fixes (rewrite files in place)")
    group.add_argument("--unsafe-fixes", action="store_true", help="also apply (and count as fixable) unsafe fixes")
    group.add_argument(
        "--diff", action="store_true", help="print the fixes as a unified diff, change nothing (exit 1 if any)"
    )
    group.add_argument(
        "--show-fixes",
        action="store_true",
        help="mark fixable findings with [*] (fixes are worked out only when asked for); with --fix, "
        "list each fix that was applied",
    )
    group.add_argument("--fix-only", action="store_true", help="apply fixes and report nothing else (implies --fix)")
    group.add_argument(
        "--exit-non-zero-on-fix", action="store_true", help="exit 1 when a fix was applied, even with nothing left"
    )
    group.add_argument(
        "--add-markers",
        action="store_true",
        help="insert '# TODO(migration):' above HIGH findings and '# Migration note:' above approximate ones",
    )


def prints_findings(args: argparse.Namespace) -> bool:
    """``--diff`` and ``--fix-only`` print their own output instead of the findings."""
    options = fix_options(args)
    return not (options.diff or options.only)


def fixes_files(args: argparse.Namespace) -> bool:
    """Whether a flag asks to fix files or print a diff: only then is the fix machinery loaded."""
    return fix_options(args).active


def _jobs_argument(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("expected a whole number >= 0 (0 = every core)")
    return value


def _flatten(groups: list[list[str]] | None) -> list[str] | None:
    if groups is None:
        return None
    return [item for group in groups for item in group]


def _flag_codes(flag: str, values: list[str] | None) -> tuple[str, ...] | None:
    if values is None:
        return None
    try:
        return validate_codes(flag, values)
    except ConfigError as exc:
        # the message names the config section; on the command line the flag is the key
        raise ConfigError(str(exc).replace("[tool.dagster-zenml-lint] ", "")) from None


def _extended(base: tuple[str, ...], flag: str, values: list[list[str]] | None) -> tuple[str, ...] | None:
    """The configured codes plus those of an ``--extend-*`` flag (None: the flag was not given)."""
    codes = _flag_codes(flag, _flatten(values))
    return None if codes is None else (*base, *codes)


def reads_stdin(args: argparse.Namespace) -> bool:
    """``check -``: the text comes from standard input."""
    return list(getattr(args, "paths", [])) == ["-"]


def file_config(first_path: str | None, explicit: Path | None) -> Config:
    """The configuration file's settings for a run over paths starting with ``first_path``.

    The file is ``explicit`` (``--config``), else the ``pyproject.toml`` found from the
    first path up (from the working directory when there is none or it does not exist).
    """
    if explicit is not None and not explicit.is_file():
        raise ConfigError(f"--config: no such file: {explicit}")
    start = Path(first_path) if first_path else Path.cwd()
    return load_config(start=start if os.path.exists(start) else Path.cwd(), explicit=explicit)


def build_config(args: argparse.Namespace) -> Config:
    """The settings for this run: the configuration file, then the flags on top."""
    stdin_filename = getattr(args, "stdin_filename", None)
    if reads_stdin(args):
        first = str(Path(stdin_filename).parent) if stdin_filename else None
    else:
        first = args.paths[0] if args.paths else None
    base = file_config(first, args.config)
    exclude = _flatten(args.exclude)
    extend_exclude = _flatten(args.extend_exclude)
    return base.merged(
        select=_flag_codes("--select", _flatten(args.select)),
        ignore=_flag_codes("--ignore", _flatten(args.ignore)),
        extend_select=_extended(base.extend_select, "--extend-select", getattr(args, "extend_select", None)),
        extend_ignore=_extended(base.extend_ignore, "--extend-ignore", getattr(args, "extend_ignore", None)),
        fixable=_flag_codes("--fixable", _flatten(getattr(args, "fixable", None))),
        unfixable=_extended(base.unfixable, "--unfixable", getattr(args, "unfixable", None)),
        min_severity=Severity.parse(args.min_severity) if args.min_severity else None,
        exclude=tuple(exclude) if exclude is not None else None,
        extend_exclude=(*base.extend_exclude, *extend_exclude) if extend_exclude is not None else None,
        jobs=getattr(args, "jobs", None),
        respect_gitignore=getattr(args, "respect_gitignore", None),
        exit_zero=True if getattr(args, "exit_zero", False) else None,
    )


# Output formats whose records carry each finding's fix.
FIX_FORMATS = frozenset({"json", "json-lines", "sarif"})


def wants_fixes(args: argparse.Namespace, config: Config) -> bool:
    """Whether the engine computes fixes: only when the output or an action uses them.

    Finding Dagster patterns is the check; working out each fix (and, for ops and jobs,
    asking the other files of the project) costs about a sixth of it again, so it is done
    for ``--fix``, ``--diff``, ``--unsafe-fixes`` and ``--show-fixes`` (or ``show-fixes``
    in the configuration), for ``--statistics`` (which counts fixable findings) and for
    the JSON and SARIF formats (whose records carry the fixes).
    """
    return bool(
        args.fix
        or args.diff
        or args.unsafe_fixes
        or args.fix_only
        or args.show_fixes
        or config.show_fixes
        or args.statistics
        or args.output_format in FIX_FORMATS
    )


def lint_project(
    paths: Sequence[str], config: Config, *, with_fixes: bool, use_cache: bool = False, cache_dir: Path | None = None
) -> tuple[list[FileResult], ProjectIndex | None]:
    """Discover and lint every file, on ``config.jobs`` processes (raises DiscoveryError for a missing path).

    With fixes, also returns the project index that settled the cross-file ones: each file
    is linted on its own (in parallel); fixes that depend on other files (an op a job
    imports) are then answered once from the summaries of every linted file.
    """
    files = list(discover(paths, config))
    if use_cache and not os.environ.get(DEBUG_ENV):  # unchanged files answered from the cache (cache.py)
        from dagster_zenml_lint.cache import lint_files_cached

        if not with_fixes:
            return lint_files_cached(files, config, cache_dir=cache_dir), None
        return settle_results(lint_files_cached(files, config, with_fixes=True, settle=False, cache_dir=cache_dir))
    if not with_fixes:
        return lint_files(files, config), None
    return settle_results(lint_files(files, config, with_fixes=True, settle=False))


def run(args: argparse.Namespace) -> int:
    """Run the check and print the results."""
    stdin_from_filename(args)
    config = build_config(args)
    args.output_format = args.output_format or config.output_format or "text"
    if args.show_settings:
        sys.stdout.write(settings_text(config))
        return 0
    refuse_conflicts(args)
    if reads_stdin(args):
        from dagster_zenml_lint.commands.check_stdin import run_stdin

        baseline.refuse_stdin(args)
        return run_stdin(args, config)
    if args.show_files:
        files = sorted(str(file.location) for file in discover(args.paths, config))
        sys.stdout.write("".join(f"{path}\n" for path in files))
        return 0
    rules_enabled = warn_if_nothing_to_check(config)
    with_fixes = wants_fixes(args, config)
    results, project_index = lint_project(
        args.paths,
        config,
        with_fixes=with_fixes,
        use_cache=not getattr(args, "no_cache", False),
        cache_dir=getattr(args, "cache_dir", None),
    )
    if not results:
        print("warning: No Python files found under the given path(s)", file=sys.stderr)
    if getattr(args, "add_noqa", False):
        from dagster_zenml_lint.commands.check_noqa import add_noqa_to_files

        return add_noqa_to_files(results)
    fixed: FixRun | None = None
    if fixes_files(args):  # (imported here: a plain check never loads the fix machinery)
        from dagster_zenml_lint.fixers.files import run_fixes

        fixed = run_fixes(args, results, config, project_index)
        results = fixed.results  # the findings left are the ones reported
    results, baseline_line = baseline.apply(args, config, results)
    if prints_findings(args):
        options = output_options(args, config, fixes_computed=with_fixes, rules_enabled=rules_enabled)
        write_output(args, get_renderer(args.output_format)(results, options), config)
    if baseline_line is not None and not args.quiet:  # the JSON, SARIF and GitHub outputs stay parseable
        to_stdout = (
            args.output_format == "text" and prints_findings(args) and getattr(args, "output_file", None) is None
        )
        print(baseline_line, file=sys.stdout if to_stdout else sys.stderr)
    return exit_code(args, results, config, fixed)


def stdin_from_filename(args: argparse.Namespace) -> None:
    """``--stdin-filename`` alone means ``check -`` (as in ruff); with other paths it is a usage error."""
    if getattr(args, "stdin_filename", None) and not reads_stdin(args):
        if args.paths != ["."]:
            raise UsageError("--stdin-filename reads standard input: give `-` as the only path (or no path)")
        args.paths = ["-"]


def refuse_conflicts(args: argparse.Namespace) -> None:
    """Flags that cannot go together: ``--add-noqa`` writes files on its own."""
    if getattr(args, "add_noqa", False) and (fixes_files(args) or reads_stdin(args)):
        raise UsageError("--add-noqa changes files on its own: use it without fix flags and without `-`")


def warn_if_nothing_to_check(config: Config) -> bool:
    """Whether a rule is enabled; one warning when the selection leaves none (``--ignore ALL``)."""
    from dagster_zenml_lint.registry import all_rules

    if any(config.enabled(rule) for rule in all_rules()):
        return True
    print("warning: no rule is enabled (the select and ignore settings leave none)", file=sys.stderr)
    return False


def settings_text(config: Config) -> str:
    """``--show-settings``: every setting in force, as TOML lines (after the flags were applied)."""
    import json
    from dataclasses import fields

    lines = [f"# settings from {config.source or 'the defaults (no [tool.dagster-zenml-lint] table found)'}"]
    lines.append("[tool.dagster-zenml-lint]")
    for item in fields(config):
        if item.name in ("source", "per_file_ignores"):
            continue
        key = item.name.replace("_", "-")
        value = getattr(config, item.name)
        if isinstance(value, Severity):
            value = value.name.lower()
        if value is None:
            lines.append(f"# {key} is not set")
        else:
            lines.append(f"{key} = {json.dumps(list(value) if isinstance(value, tuple) else value)}")
    lines.append("[tool.dagster-zenml-lint.per-file-ignores]")
    lines += [f"{json.dumps(glob)} = {json.dumps(list(codes))}" for glob, codes in config.per_file_ignores.items()]
    return "\n".join(lines) + "\n"
