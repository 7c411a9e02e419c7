"""The rule registry: every rule declared once, as data, with its own examples.

Rule modules under ``dagster_zenml_lint/rules/`` each define ``RULES`` (a tuple of
:class:`Rule`). This module collects them; every front-end, the docs generator, the
report and the tests read the same objects.
"""

from __future__ import annotations

import fnmatch
import importlib
import pkgutil
import textwrap
from collections.abc import Callable, Iterable
from collections.abc import Mapping as MappingOf
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

from dagster_zenml_lint.findings import Fix, Mapping, Severity
from dagster_zenml_lint.rules import PARSE_ERROR

if TYPE_CHECKING:
    from dagster_zenml_lint.analysis.facts import FileContext, Match

# The project's repository (also ``[project.urls] Repository`` in pyproject.toml; a test
# keeps the two equal). Each rule's page is docs/rules/DZxxx.md there.
REPOSITORY_URL = "https://github.com/zenml-io/dagster-zenml-lint"
RULE_PAGE_URL = REPOSITORY_URL + "/blob/main/docs/rules/{code}.md"

DOCS = {
    "STEPS": "https://docs.zenml.io/concepts/steps_and_pipelines",
    "EXEC": "https://docs.zenml.io/concepts/steps_and_pipelines/execution",
    "LOGS": "https://docs.zenml.io/concepts/steps_and_pipelines/logging",
    "YAML": "https://docs.zenml.io/concepts/steps_and_pipelines/yaml_configuration",
    "ADV": "https://docs.zenml.io/concepts/steps_and_pipelines/advanced_features",
    "CLIENT": "https://docs.zenml.io/reference/python-client",
    "ART": "https://docs.zenml.io/user-guides/starter-guide/manage-artifacts",
    "DYN": "https://docs.zenml.io/concepts/steps_and_pipelines/dynamic_pipelines",
    "SCHED": "https://docs.zenml.io/concepts/steps_and_pipelines/scheduling",
    "DEPLOY": "https://docs.zenml.io/concepts/deployment",
    "PRO": "https://docs.zenml.io/pro/core-concepts/triggers",
    "SNAPSHOTS": "https://docs.zenml.io/concepts/snapshots",
    "ORCH": "https://docs.zenml.io/stacks/stack-components/orchestrators",
    "CONN": "https://docs.zenml.io/stacks/service-connectors",
    "BP": "https://docs.zenml.io/user-guides/best-practices",
    "ZENML": "https://docs.zenml.io/",
    "HOOKS": "https://docs.zenml.io/concepts/steps_and_pipelines/hooks",
    "META": "https://docs.zenml.io/concepts/metadata",
    "CACHE": "https://docs.zenml.io/user-guides/starter-guide/cache-previous-executions",
}


@dataclass(frozen=True)
class Example:
    """A code sample for a rule's docs and tests.

    ``flagged`` samples must produce the rule's code, ``clean`` ones must not. ``fixed``
    (optional) is the expected text after ``--fix`` (or ``--unsafe-fixes`` when
    ``unsafe`` is set).
    """

    code: str
    flagged: bool
    fixed: str | None = None
    unsafe: bool = False
    title: str = ""


def sample_text(text: str) -> str:
    """A sample as written in a rule module: an indented triple-quoted string that starts
    with a newline is dedented and loses that newline; any other text is kept as it is."""
    return textwrap.dedent(text[1:]) if text.startswith("\n") else text


def flagged(code: str, fixed: str | None = None, *, unsafe: bool = False, title: str = "") -> Example:
    """A sample the rule must report (with the text ``--fix`` must turn it into, if any).

    Both texts may be written as indented triple-quoted strings (see :func:`sample_text`).
    """
    fixed_text = sample_text(fixed) if fixed is not None else None
    return Example(code=sample_text(code), flagged=True, fixed=fixed_text, unsafe=unsafe, title=title)


def clean(code: str, title: str = "") -> Example:
    """A sample the rule must not report (may be an indented triple-quoted string)."""
    return Example(code=sample_text(code), flagged=False, title=title)


# A detector gets the whole file context and yields matches; used for patterns that
# tables of names and keywords cannot express (data access in IO managers, ...).
Detector = Callable[["FileContext"], Iterable["Match"]]
# A name predicate decides, for one resolved reference, whether (and with what
# message detail) the rule applies: returns None to skip, or a detail string.
# The second argument is the matched event: a ``Reference``, ``KeywordUse`` or ``MethodUse``.
NamePredicate = Callable[["FileContext", Any], "str | None"]
# A fixer turns one match into a fix, or explains why there is none.
Fixer = Callable[["FileContext", "Match"], "FixOutcome"]


class LazyFixer:
    """A fixer named by ``"module:function"``, imported the first time a fix is worked out.

    A check that shows no fixes never loads the fixer modules (a sixth of the start-up).
    """

    __slots__ = ("_function", "target")

    def __init__(self, target: str) -> None:
        self.target = target
        self._function: Fixer | None = None

    def __call__(self, ctx: FileContext, match: Match) -> FixOutcome:
        function = self._function
        if function is None:
            module, name = self.target.split(":")
            function = self._function = getattr(importlib.import_module(module), name)
        return function(ctx, match)

    def __repr__(self) -> str:
        return f"LazyFixer({self.target!r})"


def lazy_fixer(target: str) -> Fixer:
    """The fixer ``"dagster_zenml_lint.fixers.components:fix_op"``, loaded when first used."""
    return LazyFixer(target)


# The report's sections that gather the findings of several rules (``Rule.report_section``).
REPORT_SECTIONS = ("io", "partitions", "automation")


@dataclass(frozen=True)
class ScaffoldHandling:
    """How ``migrate`` handles a rule's pattern in the code it generates.

    ``resolved``: the step translation itself turns the pattern into ZenML code, so no
    marker is written for it. ``note``: for an approximate pattern the generator
    translated, the ``# Migration note:`` it writes (shorter and more concrete than the
    rule's hint, which tells a person what to do).
    """

    resolved: bool = False
    note: str = ""


@dataclass(frozen=True)
class MissingFeature:
    """The ZenML concept a HIGH rule's pattern has no counterpart for: a draft feature request."""

    name: str
    ask: str


class FixOutcome(NamedTuple):
    """What a fixer decided for one finding: a fix, or the reason there is none."""

    fix: Fix | None = None
    blocker: str | None = None


@dataclass(frozen=True)
class Rule:
    """One rule of the catalog (``shared/rules.md``), with what it matches.

    Matching is declarative wherever possible:

    * ``names``: canonical Dagster objects (``dagster.asset``) whose every reference is
      a finding (decorator, call, base class, annotation, plain reference). A name may
      map to a predicate that refines the match or rejects it.
    * ``keywords``: keyword arguments of a call to any Dagster object.
    * ``methods``: methods called on Dagster-made objects (``job.execute_in_process()``).
    * ``context_attrs``: attributes read on a Dagster context parameter (dotted
      prefixes: ``log`` matches ``context.log.info``).
    * ``detectors``: functions for anything else.
    """

    code: str
    symbol: str
    severity: Severity
    mapping: Mapping
    title: str
    target: str
    hint: str
    docs: tuple[str, ...]
    examples: tuple[Example, ...]
    what_it_does: str = ""
    why: str = ""
    fix_safety: str = ""
    message: str = "{subject}"
    names: MappingOf[str, NamePredicate | None] = field(default_factory=dict)
    keywords: MappingOf[str, NamePredicate | None] = field(default_factory=dict)
    methods: MappingOf[str, NamePredicate | None] = field(default_factory=dict)
    context_attrs: tuple[str, ...] = ()
    detectors: tuple[Detector, ...] = ()
    fixer: Fixer | None = None
    # what the front-ends do with the rule's findings (they ask the rule, never a table of codes)
    report_section: str = ""  # one of REPORT_SECTIONS, or "" for none
    missing_feature: MissingFeature | None = None
    scaffold: ScaffoldHandling = ScaffoldHandling()

    @property
    def docs_links(self) -> tuple[str, ...]:
        """Full URLs for the rule's docs tags."""
        return tuple(DOCS.get(tag, tag) for tag in self.docs)

    @property
    def docs_url(self) -> str:
        """The rule's own page (``docs/rules/DZxxx.md`` in the repository): what a finding links to."""
        return RULE_PAGE_URL.format(code=self.code)

    @property
    def zenml_docs_url(self) -> str:
        """The ZenML documentation page of the rule's target (its first docs tag)."""
        return self.docs_links[0] if self.docs else DOCS["ZENML"]

    @property
    def pylint_msgid(self) -> str:
        """The pylint message id: see :func:`pylint_msgid`."""
        return pylint_msgid(self.code, self.severity)


def pylint_msgid(code: str, severity: Severity) -> str:
    """Derive pylint's message id from a DZ code: one documented rule.

    The letter follows the severity (HIGH and MEDIUM -> ``W`` warning, LOW and INFO ->
    ``C`` convention; DZ000 -> ``E``); the two-digit checker id is ``51`` + the
    hundreds digit of the code (DZ0xx -> 51, DZ1xx -> 52, DZ2xx -> 53, DZ3xx -> 54);
    the last two digits are the code's last two digits. DZ301 -> ``W5401``.
    """
    number = int(code[2:])
    hundreds, rest = divmod(number, 100)
    if code == PARSE_ERROR:
        letter = "E"
    elif severity >= Severity.MEDIUM:
        letter = "W"
    else:
        letter = "C"
    return f"{letter}{51 + hundreds}{rest:02d}"


@cache
def all_rules() -> tuple[Rule, ...]:
    """Every rule, ordered by code (rule modules are discovered under ``rules/``)."""
    from dagster_zenml_lint import rules as rules_pkg

    found: list[Rule] = []
    for info in pkgutil.iter_modules(rules_pkg.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{rules_pkg.__name__}.{info.name}")
        found.extend(getattr(module, "RULES", ()))
    codes = [r.code for r in found]
    duplicates = {c for c in codes if codes.count(c) > 1}
    if duplicates:
        raise RuntimeError(f"rule codes declared twice: {sorted(duplicates)}")
    return tuple(sorted(found, key=lambda r: r.code))


@cache
def rules_by_code() -> dict[str, Rule]:
    """Map DZ code -> rule."""
    return {r.code: r for r in all_rules()}


@cache
def rules_by_symbol() -> dict[str, Rule]:
    """Map symbol -> rule."""
    return {r.symbol: r for r in all_rules()}


@cache
def rules_in_section(section: str) -> tuple[str, ...]:
    """The codes of the rules whose findings the report gathers under ``section`` (sorted)."""
    if section not in REPORT_SECTIONS:
        raise KeyError(f"no report section {section!r}; known: {', '.join(REPORT_SECTIONS)}")
    return tuple(r.code for r in all_rules() if r.report_section == section)


@cache
def scaffold_resolved_codes() -> frozenset[str]:
    """The codes whose patterns ``migrate``'s step translation resolves (no marker is written)."""
    return frozenset(r.code for r in all_rules() if r.scaffold.resolved)


def get_rule(code_or_symbol: str) -> Rule:
    """Look a rule up by code (``DZ301``, any case) or symbol; KeyError if unknown."""
    key = code_or_symbol.strip()
    by_code = rules_by_code()
    if key.upper() in by_code:
        return by_code[key.upper()]
    return rules_by_symbol()[key]


class Index(NamedTuple):
    """Lookup tables from the registry, built once per process."""

    names: dict[str, list[tuple[Rule, NamePredicate | None]]]
    name_globs: list[tuple[str, Rule, NamePredicate | None]]
    keywords: dict[str, list[tuple[Rule, NamePredicate | None]]]
    methods: dict[str, list[tuple[Rule, NamePredicate | None]]]
    context_attrs: dict[str, list[Rule]]
    detectors: list[tuple[Rule, object]]
    # The globs' answer for each name asked about (every reference asks, often for the same
    # few names, and matching all the globs costs far more than a dict lookup).
    glob_claims: dict[str, list[tuple[Rule, NamePredicate | None]]]

    def rules_for_name(self, canonical: str) -> list[tuple[Rule, NamePredicate | None]]:
        """Rules that claim a canonical name (exact keys first, then globs)."""
        exact = self.names.get(canonical)
        if exact is not None:
            return exact
        claims = self.glob_claims.get(canonical)
        if claims is None:
            claims = [(r, p) for pattern, r, p in self.name_globs if fnmatch.fnmatchcase(canonical, pattern)]
            self.glob_claims[canonical] = claims
        return claims


@cache
def build_index(codes: frozenset[str] | None = None) -> Index:
    """Index every rule's declarative matchers (``codes``: only those rules' ones).

    A configuration that turns rules off (``select = ["DZ1"]``, as ``migrate``'s direct fixes
    are worked out under) matches with the index of the rules it leaves on: the others'
    predicates and detectors are not run, as ruff runs no rule that is off. A name some rule
    claims exactly keeps its (maybe empty) entry: an exact claim outranks the globs
    (:meth:`Index.rules_for_name`) whether its rule is on or off, so turning
    ``dagster_airlift.build_airflow_polling_sensor``'s sensor rule off does not hand the name to
    the ``dagster_airlift.*`` rule.
    """
    if codes is not None:
        full = build_index()
        return Index(
            {name: [c for c in claims if c[0].code in codes] for name, claims in full.names.items()},
            [g for g in full.name_globs if g[1].code in codes],
            {kw: [c for c in claims if c[0].code in codes] for kw, claims in full.keywords.items()},
            {m: [c for c in claims if c[0].code in codes] for m, claims in full.methods.items()},
            {a: [r for r in rules if r.code in codes] for a, rules in full.context_attrs.items()},
            [d for d in full.detectors if d[0].code in codes],
            {},
        )
    names: dict[str, list[tuple[Rule, NamePredicate | None]]] = {}
    globs: list[tuple[str, Rule, NamePredicate | None]] = []
    keywords: dict[str, list[tuple[Rule, NamePredicate | None]]] = {}
    methods: dict[str, list[tuple[Rule, NamePredicate | None]]] = {}
    context_attrs: dict[str, list[Rule]] = {}
    detectors: list[tuple[Rule, object]] = []
    for rule in all_rules():
        for name, pred in rule.names.items():
            if "*" in name:
                globs.append((name, rule, pred))
            else:
                names.setdefault(name, []).append((rule, pred))
        for kw, pred in rule.keywords.items():
            keywords.setdefault(kw, []).append((rule, pred))
        for method, pred in rule.methods.items():
            methods.setdefault(method, []).append((rule, pred))
        for attr in rule.context_attrs:
            context_attrs.setdefault(attr, []).append(rule)
        detectors.extend((rule, det) for det in rule.detectors)
    return Index(names, globs, keywords, methods, context_attrs, detectors, {})
