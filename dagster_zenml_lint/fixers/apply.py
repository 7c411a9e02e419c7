"""The fix applier: collect fixes, apply them in rounds until the text is stable (ruff's model).

Each round lints the current text with fixes, keeps the fixes the caller allows (safe,
plus unsafe with ``unsafe=True``), drops those whose edits overlap a fix already taken
in the round (they come back next round, recomputed on the new text), applies the rest
and compiles the result. A fix whose result does not compile is dropped and reported
(when the input itself does not compile, parsing is the test). After the
rounds, Dagster imports that the fixes left unused are removed, and with
``markers=True`` a marker comment is put above every remaining HIGH or approximate
finding. Text outside the edited spans is never touched.

Writing a fixed file back goes through :func:`write_atomically`.
"""

from __future__ import annotations

import ast
import contextlib
import os
import stat
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TypeGuard

from dagster_zenml_lint.analysis.facts import FileContext, internal_error_finding
from dagster_zenml_lint.config import Config
from dagster_zenml_lint.engine import analyse_source, check_context, may_contain_dagster
from dagster_zenml_lint.findings import Applicability, Edit, Finding, Fix
from dagster_zenml_lint.fixers.crossfile import ProjectIndex, check_with_fixes, settle_safely
from dagster_zenml_lint.fixers.edits import EditIndex, edits_conflict, has_conflicts
from dagster_zenml_lint.fixers.imports import orphaned_imports, removal_edits, used_imports
from dagster_zenml_lint.source import first_line, python_lines

MAX_ROUNDS = 10
BOM = "\ufeff"


@dataclass(frozen=True)
class DroppedFix:
    """A fix that was not applied, and why."""

    finding: Finding
    reason: str


@dataclass(frozen=True)
class FixResult:
    """The outcome of fixing one text."""

    text: str
    applied: tuple[Finding, ...]
    remaining: tuple[Finding, ...]
    dropped: tuple[DroppedFix, ...]
    original: str = ""
    # The analysis of ``text`` (without a BOM) that ``remaining`` comes from; None when it does not parse.
    context: FileContext | None = field(default=None, repr=False, compare=False)

    @property
    def changed(self) -> bool:
        """Whether the text differs from the input."""
        return self.text != self.original


def is_allowed(fix: Fix | None, *, unsafe: bool) -> bool:
    """Whether a fix may be applied: safe ones always, unsafe ones on request, never display-only."""
    if fix is None:
        return False
    if fix.applicability is Applicability.SAFE:
        return True
    return unsafe and fix.applicability is Applicability.UNSAFE


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-conflicting edits (identical duplicates are applied once)."""
    ordered = sorted(set(edits), key=lambda e: (e.start, e.end, e.replacement))
    if has_conflicts(ordered):
        for index, earlier in enumerate(ordered):  # name the first conflicting pair
            for later in ordered[index + 1 :]:
                if edits_conflict(earlier, later):
                    raise ValueError(f"overlapping edits: {earlier} and {later}")
    pieces: list[str] = []
    position = 0
    for edit in ordered:
        pieces.append(text[position : edit.start])
        pieces.append(edit.replacement)
        position = max(position, edit.end)
    pieces.append(text[position:])
    return "".join(pieces)


def select_fixes(candidates: Sequence[Finding]) -> tuple[list[Finding], list[Edit]]:
    """Take fixes in position order, skipping any that overlaps one already taken.

    A fix whose edits all equal edits already taken (two findings sharing one fix, or
    two fixes adding the same import) counts as applied without adding anything.
    """
    taken: list[Finding] = []
    kept = EditIndex()
    # Findings of one component share one Fix: look at each distinct fix's edits once.
    first_start: dict[int, int] = {}
    internally_conflicting: dict[int, bool] = {}
    for finding in candidates:
        fix = finding.fix
        if id(fix) not in first_start:
            first_start[id(fix)] = min(e.start for e in fix.edits)  # type: ignore[union-attr]
    for finding in sorted(candidates, key=lambda f: (first_start[id(f.fix)], f.sort_key)):
        fix = finding.fix
        if id(fix) not in internally_conflicting:
            internally_conflicting[id(fix)] = has_conflicts(fix.edits)  # type: ignore[union-attr]
        if internally_conflicting[id(fix)]:
            continue
        fix_edits = fix.edits  # type: ignore[union-attr]
        if any(kept.conflicts(new) for new in fix_edits):
            continue
        taken.append(finding)
        for edit in fix_edits:
            kept.add(edit)
    return taken, list(kept.edits)


def parse_error(text: str) -> str | None:
    """None when the text parses, else a one-line description of the error."""
    try:
        ast.parse(text)
    except SyntaxError as exc:
        return f"line {exc.lineno}: {exc.msg}"
    except ValueError as exc:
        return str(exc)
    return None


def compile_error(text: str, tree: ast.Module | None = None) -> str | None:
    """None when the text compiles, else a one-line description of the error.

    Compiling catches what parsing does not: the symbol table's checks (``nonlocal x``
    with no binding of ``x``, a name both parameter and global, ``return`` outside a
    function...). The compiler's warnings (an invalid escape sequence) are not errors.
    ``tree``: the parse of ``text``, compiled instead of the text (the parser's work is not
    done twice; the compiler raises the same errors from a tree as from the text).
    """
    return _compiler_error(text if tree is None else tree)


def _compiler_error(source: str | ast.Module) -> str | None:
    """What compiling ``source`` (a text or a module's tree) raises, as one line; None when it compiles."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(source, "<fixed>", "exec", dont_inherit=True)
    except SyntaxError as exc:
        return f"line {exc.lineno}: {exc.msg}"
    except (ValueError, RecursionError, MemoryError) as exc:
        return str(exc) or type(exc).__name__
    return None


# A top-level statement as its text pins it: the whole lines it spans, and where in them it starts
# and ends (lines and columns counted from its first line, a decorator's included).
StatementKey = tuple[str, int, int, int, int]


def _statement_keys(text: str, tree: ast.Module) -> list[StatementKey]:
    """The key of each top-level statement of ``tree`` (the parse of ``text``), in order."""
    lines = python_lines(text, keepends=True)
    keys = []
    for stmt in tree.body:
        first = first_line(stmt)
        last = stmt.end_lineno or stmt.lineno
        region = "".join(lines[first - 1 : last])
        keys.append((region, stmt.lineno - first, stmt.col_offset, last - first, stmt.end_col_offset or 0))
    return keys


def _is_future(stmt: ast.stmt) -> TypeGuard[ast.ImportFrom]:
    """Whether ``stmt`` is a ``from __future__ import`` statement."""
    return isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__"


def _futures(tree: ast.Module) -> list[tuple[str, ...]]:
    """The names of each top-level ``from __future__ import`` statement, in order."""
    return [tuple(alias.name for alias in stmt.names) for stmt in tree.body if _is_future(stmt)]


class _Unchanged:
    """The top-level statements of an original text, to compile only what a fix changed.

    A top-level statement's compile errors come from its own tree, the module's ``__future__``
    imports and the module's ``global`` declarations (the symbol table's and the compiler's checks
    are made per scope and per statement otherwise). So when a fixed text has the original's
    ``__future__`` imports and no ``global`` outside functions could be involved (the word does not
    occur), a statement whose text is one of the original's top-level statements compiles there as it
    did in the original: the fixed text compiles when the other statements (and the ``__future__``
    prefix) compile together, unless the original itself does not compile, where the guard asks for a
    parse only. Either way the verdict is the one compiling the whole fixed text gives.
    """

    def __init__(self, text: str, tree: ast.Module) -> None:
        self.keys = set(_statement_keys(text, tree))
        self.futures = _futures(tree)

    def changed(self, text: str, tree: ast.Module) -> ast.Module | None:
        """A module of the statements of ``tree`` (the parse of the fixed ``text``) to compile in place
        of the whole; None when only the whole tells (``global`` in the text, other ``__future__`` imports)."""
        if "global" in text or _futures(tree) != self.futures:
            return None
        body = tree.body
        # the statements up to the last __future__ import: where they stand is checked too
        prefix = max((index + 1 for index, stmt in enumerate(body) if _is_future(stmt)), default=0)
        keys = _statement_keys(text, tree)
        pairs = enumerate(zip(body, keys, strict=True))
        kept = [stmt for index, (stmt, key) in pairs if index < prefix or key not in self.keys]
        return ast.Module(body=kept, type_ignores=[])


@dataclass(frozen=True)
class Verdict:
    """A fixed text's parse and what is wrong with it (``error`` None: it may be kept)."""

    tree: ast.Module | None  # None when the text does not parse
    error: str | None


# How a fixed text is judged (see :func:`guard_for`).
Guard = Callable[[str], Verdict]


def compiled_verdict(text: str) -> Verdict:
    """The verdict of a text that must compile: parsed once, and that tree compiled."""
    verdict = parsed_verdict(text)
    return verdict if verdict.tree is None else Verdict(verdict.tree, compile_error(text, verdict.tree))


def parsed_verdict(text: str) -> Verdict:
    """The verdict of a text that must parse (its original did not compile either)."""
    try:
        return Verdict(ast.parse(text), None)
    except SyntaxError as exc:
        return Verdict(None, f"line {exc.lineno}: {exc.msg}")
    except (ValueError, RecursionError, MemoryError) as exc:
        return Verdict(None, str(exc) or type(exc).__name__)


def guard_for(text: str, tree: ast.Module | None = None) -> Guard:
    """How fixed text is checked: it must compile, unless the original already did not (then parse).

    Whether the original compiles is found out only when a fixed text does not compile (a
    fixed text that compiles passes either way): a file whose fixes compile, or with nothing
    to fix, is not compiled itself. ``tree``: the parse of ``text``, compiled instead of
    parsing it again. Each fixed text is parsed once; the verdict carries that tree for the
    analysis of the text that follows.
    """
    original_compiles: list[bool] = []
    unchanged = _Unchanged(text, tree) if tree is not None else None

    def guard(fixed: str) -> Verdict:
        verdict = parsed_verdict(fixed)
        if verdict.tree is None:
            return verdict  # does not parse: it fails either way
        changed = unchanged.changed(fixed, verdict.tree) if unchanged is not None else None
        if changed is not None and _compiler_error(changed) is None:
            return verdict  # what the fixes changed compiles: the whole does, or the original does not (see _Unchanged)
        verdict = Verdict(verdict.tree, compile_error(fixed, verdict.tree))
        if verdict.error is None:
            return verdict  # compiles: it passes either way
        if not original_compiles:
            original_compiles.append(compile_error(text, tree) is None)
        return verdict if original_compiles[0] else Verdict(verdict.tree, None)

    return guard


def _fix_key(finding: Finding) -> tuple[str, str, str, tuple[str, ...]]:
    """What identifies a fix across rounds (offsets move; what it writes does not).

    The replacements are part of it: three identical import lines give three identical
    messages, and when removing the last one turns into writing ``pass``, that is a
    different fix from the removal a previous round refused.
    """
    if finding.fix is None:
        return (finding.code, finding.message, "", ())
    return (finding.code, finding.message, finding.fix.description, tuple(e.replacement for e in finding.fix.edits))


# An analysis of a text made already (engine.analyse_source): its facts and DZ000 findings.
Analysis = tuple[FileContext, list[Finding]]


def _lint(
    text: str,
    path: str,
    config: Config,
    project: ProjectIndex | None = None,
    tree: ast.Module | None = None,
    analysis: Analysis | None = None,
) -> tuple[list[Finding], FileContext | None]:
    """Findings with fixes, as the CLI reports them (:func:`suppression.reported`: the same suppressions).

    The same path as ``runner.lint_text_with_context``, which sits above the fixers. ``tree``:
    the parse of ``text``, when there is one already; ``analysis``: its analysis, when there is
    one already (then it is neither parsed nor walked again).
    """
    from dagster_zenml_lint.suppression import reported

    if analysis is not None and analysis[0].text == text:
        analysed, faults = analysis
        found = check_context(analysed, config, with_fixes=True, faults=faults)
        return reported(settle_safely(found, project, config), text, path, config), analysed
    findings, ctx = check_with_fixes(text, path, tree=tree, config=config, project=project)
    return reported(findings, text, path, config), ctx


def _apply_round(
    text: str, chosen: list[Finding], dropped: list[DroppedFix], guard: Guard = compiled_verdict
) -> tuple[str, list[Finding], ast.Module | None]:
    """Apply one round's fixes; isolate and drop the ones whose result fails ``guard``.

    Returns the new text, the findings whose fixes it has, and its parse (None: not at hand).
    """
    _, edits = select_fixes(chosen)
    new_text = apply_edits(text, edits)
    verdict = guard(new_text)
    if verdict.error is None:
        return new_text, chosen, verdict.tree
    good: list[Finding] = []
    for finding in chosen:
        trial_edits = [e for f in [*good, finding] for e in f.fix.edits]  # type: ignore[union-attr]
        trial = apply_edits(text, trial_edits)
        error = guard(trial).error
        if error is None:
            good.append(finding)
        else:
            verb = "parse" if parse_error(trial) is not None else "compile"
            dropped.append(DroppedFix(finding, f"the fix would produce code that does not {verb} ({error})"))
    if not good:
        return text, [], None
    return apply_edits(text, [e for f in good for e in f.fix.edits]), good, None  # type: ignore[union-attr]


def fix_text(
    text: str,
    path: str = "<string>",
    config: Config | None = None,
    *,
    unsafe: bool = False,
    markers: bool = False,
    fixes: bool = True,
    project: ProjectIndex | None = None,
    tree: ast.Module | None = None,
    context: FileContext | None = None,
    findings: Sequence[Finding] | None = None,
    orphans: bool = True,
) -> FixResult:
    """Apply every allowed fix to ``text`` in rounds until nothing changes.

    ``text`` is the decoded source (a leading BOM is kept as it is). Findings silenced
    by ``# noqa`` or per-file ignores are not fixed. ``fixes=False`` with
    ``markers=True`` only adds the marker comments. ``tree``: the caller's parse of
    ``text`` (without a BOM), which the first round then does not parse again;
    ``context``: the caller's analysis of it (``engine.check_source_with_context``'s, with
    the same ``project`` root), which the first round reads instead of walking the text again
    (DZ000 findings of that analysis are the caller's: they are not among ``remaining``);
    ``findings``: with ``context``, the findings the first round's lint would give, when the
    caller has them (``migrate`` takes its direct fixes from its own lint of the file): the
    first round reads them instead of matching the rules on ``context`` again. ``orphans=False``:
    Dagster imports the fixes left unused stay (``migrate``, which writes no import statement of
    its sources: it re-derives each import from the names the code it copies reads, and an
    orphaned import is read by no code of its module; removing them cost it a parse, a compile and
    a walk per file that had one).
    """
    config = config or Config()
    bom = BOM if text.startswith(BOM) else ""
    original = text
    current = text[len(bom) :]
    applied: list[Finding] = []
    dropped: list[DroppedFix] = []
    refused: set[tuple[str, str, str, tuple[str, ...]]] = set()
    seen = {current}
    used_before: set[tuple[str, str]] | None = None
    parsed = (current, tree) if tree is not None and not bom else None  # a text and its tree, to parse it once
    guard = guard_for(current, parsed[1] if parsed else None)
    # The last lint and the text it linted: when the rounds end on a text they linted (as they
    # do unless the rounds run out), its findings are the remaining ones, with no lint more.
    last: tuple[str, list[Finding], FileContext | None] | None = None
    # the analysis of a text the rounds will lint, made already (the caller's; the orphaned imports' check)
    analysis: Analysis | None = (context, []) if context is not None and may_contain_dagster(current) else None
    # the first round's lint, made already (the caller's)
    given = (list(findings), analysis[0]) if findings is not None and analysis is not None else None
    ctx: FileContext | None
    for _ in range(MAX_ROUNDS if fixes else 0):
        if given is not None and given[1].text == current:
            found, ctx = given
        else:
            tree_now = parsed[1] if parsed and parsed[0] == current else None
            found, ctx = _lint(current, path, config, project, tree_now, analysis)
        given = None
        last = (current, found, ctx)
        if ctx is None:
            break
        if parsed is None and not applied and ctx.text == current:
            # the first round's parse of the original, now at hand: the guard compiles what the fixes change
            guard = guard_for(current, ctx.tree)
            parsed = (current, ctx.tree)
        if used_before is None:  # what the removal of orphaned imports compares with (not asked: none)
            used_before = used_imports(ctx) if orphans else set()
        candidates = [f for f in found if is_allowed(f.fix, unsafe=unsafe) and _fix_key(f) not in refused]
        chosen, _ = select_fixes(candidates)
        if not chosen:
            break
        before = len(dropped)
        try:
            new_text, done, new_tree = _apply_round(current, chosen, dropped, guard)
            # Imports the fixes left unused go before the next round, so an import
            # statement that is now all direct names can get its own fix (DZ104).
            root = project.root if project is not None else None
            cleaned, cleaned_tree, analysis = (
                _remove_orphaned_imports(new_text, path, used_before, guard, root, new_tree)
                if done and orphans
                else (new_text, new_tree, None)  # new_tree: the guard's parse (None when nothing was done)
            )
            parsed = (cleaned, cleaned_tree) if cleaned_tree is not None else parsed
        except Exception as exc:  # a bug of ours: keep the text of the last good round
            reason = internal_error_finding("applying the fixes", exc).message
            dropped[before:] = [DroppedFix(finding, reason) for finding in chosen]
            break
        refused.update(_fix_key(d.finding) for d in dropped[before:])
        if not done or new_text in seen:
            if new_text == current:
                continue
            break
        applied.extend(done if current == original[len(bom) :] else at_original_lines(done, current, original))
        current = cleaned
        seen.add(current)
    if markers:
        try:
            current = _add_markers(current, path, config, guard)
        except Exception as exc:  # the fixed text stays; the markers are what is lost
            internal_error_finding("adding markers", exc)
    if last is not None and last[0] == current:
        _, remaining, context = last
    else:
        remaining, context = _lint(current, path, config, project, analysis=analysis)
    return FixResult(
        text=bom + current,
        applied=tuple(applied),
        remaining=tuple(remaining),
        dropped=tuple(dropped),
        original=original,
        context=context,
    )


def at_original_lines(findings: Sequence[Finding], text: str, original: str) -> list[Finding]:
    """Findings of a later round, moved to the line they had in the original text.

    A later round lints the text earlier rounds changed; a listing of what was fixed
    names the lines the user knows. Lines the earlier fixes did not touch map exactly;
    a line inside a changed block maps to the start of that block in the original.
    """
    import difflib

    matcher = difflib.SequenceMatcher(None, python_lines(original), python_lines(text), autojunk=False)
    blocks = matcher.get_opcodes()
    moved = []
    for finding in findings:
        index = finding.line - 1
        line = finding.line
        for tag, i1, _i2, j1, j2 in blocks:
            if j1 <= index < j2 or (j1 == j2 == index):
                line = i1 + (index - j1 if tag == "equal" else 0) + 1
                break
        moved.append(replace(finding, line=line, end_line=None, end_col=None) if line != finding.line else finding)
    return moved


def _remove_orphaned_imports(
    text: str,
    path: str,
    used_before: set[tuple[str, str]],
    guard: Guard = compiled_verdict,
    root: str | None = None,
    tree: ast.Module | None = None,
) -> tuple[str, ast.Module | None, Analysis | None]:
    """Delete Dagster imports that were used before the fixes and are unused now.

    ``tree``: the parse of ``text``, when the guard made one. Returns the text, with its parse
    (the next round's lint does not parse it again) and, when the text is the one given, its
    analysis (as the engine makes it, ``root`` as there: the next round lints it without
    walking it again); None: not parsed, or not analysed.
    """
    if tree is None:
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError):
            return text, None, None
    if not may_contain_dagster(text):  # the engine would not analyse it, nor does the next round
        from dagster_zenml_lint.analysis.walk import analyze

        ctx, analysis = analyze(path, text, tree), None
    else:
        ctx, faults = analyse_source(text, path, tree, root=root)
        analysis = (ctx, faults)
    orphans = orphaned_imports(ctx, used_before)
    if not orphans:
        return text, tree, analysis
    new_text = apply_edits(text, removal_edits(ctx, orphans))
    verdict = guard(new_text)
    return (new_text, verdict.tree, None) if verdict.error is None else (text, tree, analysis)


def _add_markers(text: str, path: str, config: Config, guard: Guard = compiled_verdict) -> str:
    from dagster_zenml_lint.fixers.markers import marker_edits

    findings, ctx = _lint(text, path, config)
    if ctx is None:
        return text
    edits = marker_edits(ctx, findings)
    if not edits:
        return text
    new_text = apply_edits(text, edits)
    return new_text if guard(new_text).error is None else text


class FileChangedError(OSError):
    """The file on disk changed after it was read; it was not overwritten."""


def _same_file_state(now: os.stat_result, then: os.stat_result) -> bool:
    return (now.st_ino, now.st_size, now.st_mtime_ns) == (then.st_ino, then.st_size, then.st_mtime_ns)


def _keep_owner(path: str, original_stat: os.stat_result) -> None:
    """Give the new file the original's owner and group, as far as this user may.

    Root may always (a file fixed by root no longer ends up owned by root); others may at
    most set a group they belong to, and otherwise the file becomes theirs, as with any
    editor that saves by renaming.
    """
    if not hasattr(os, "chown"):
        return
    current = os.stat(path)
    if (current.st_uid, current.st_gid) == (original_stat.st_uid, original_stat.st_gid):
        return
    try:
        os.chown(path, original_stat.st_uid, original_stat.st_gid)
    except PermissionError:
        with contextlib.suppress(PermissionError):
            os.chown(path, -1, original_stat.st_gid)


def write_atomically(
    path: str | os.PathLike[str], data: bytes, original_stat: os.stat_result, *, original_data: bytes | None = None
) -> None:
    """Replace a file's content atomically (temporary file in the same directory + rename).

    The file mode is preserved and a symlink is followed (the link stays a link).
    Raises :class:`FileChangedError` when the file changed on disk since ``original_stat``
    was taken (and, when given, its bytes differ from ``original_data``).
    """
    import tempfile  # loaded only when a file is written

    real = os.path.realpath(os.fspath(path))

    def unchanged() -> bool:
        if not _same_file_state(os.stat(real), original_stat):
            return False
        if original_data is not None:
            with open(real, "rb") as handle:
                return handle.read() == original_data
        return True

    if not unchanged():
        raise FileChangedError(f"{path}: changed on disk since it was read; not overwritten")
    directory, name = os.path.split(real)
    fd, temporary = tempfile.mkstemp(dir=directory or ".", prefix=f".{name}.", suffix=".dzfix")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        _keep_owner(temporary, original_stat)  # before chmod: chown clears setuid/setgid bits
        os.chmod(temporary, stat.S_IMODE(original_stat.st_mode))
        if not unchanged():
            raise FileChangedError(f"{path}: changed on disk since it was read; not overwritten")
        os.replace(temporary, real)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
