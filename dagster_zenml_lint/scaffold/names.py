"""The one place generated names and embedded text are made safe.

Every identifier and file name the generator invents (step, pipeline and helper module
names, variables, project name) comes from :func:`python_name`; every string from the
user's source that lands in generated Python is written with :func:`py_literal` (``repr``),
in a comment with :func:`comment_text`, in a docstring with :func:`docstring_text`, and in
YAML with :func:`yaml_scalar` (PyYAML). A Dagster name is data, never code: whatever
characters it holds, it cannot end a string, a comment or a line of the generated files.
"""

from __future__ import annotations

import builtins
import hashlib
import keyword
import re
import sys
import unicodedata
from collections.abc import Collection
from typing import Any

import yaml

MAX_LENGTH = 100  # well under the 255-byte file name limit, with room for ".py" and counters
NOT_ASCII_WORD = re.compile(r"[^0-9A-Za-z_]+")
# Names generated code binds or imports itself, and the packages it imports: a step or
# pipeline of one of these names would shadow them (``def step(...)`` in a module that
# uses ``@step``) or, as a module, be confused with them.
GENERATED_NAMES = frozenset(
    {
        "Annotated",
        "Any",
        "ArtifactConfig",
        "BaseModel",
        "CachePolicy",
        "Client",
        "DAGSTER_JOBS",
        "PARAMETERS",
        "PIPELINES",
        "SCHEDULES",
        "Schedule",
        "StepRetryConfig",
        "argparse",
        "configs",
        "dagster",
        "get_step_context",
        "helpers",
        "logger",
        "logging",
        "main",
        "Model",
        "get_pipeline_context",
        "materializers",
        "parse_args",
        "pipeline",
        "pipelines",
        "pydantic",
        "run",
        "step",
        "steps",
        "typing_extensions",
        "yaml",
        "zenml",
    }
)
RESERVED = (
    frozenset(keyword.kwlist)
    | frozenset(keyword.softkwlist)
    | frozenset(getattr(sys, "stdlib_module_names", ()))
    | frozenset(dir(builtins))
    | GENERATED_NAMES
)
_RESERVED_FOLDED = frozenset(name.casefold() for name in RESERVED)


def is_reserved(name: str) -> bool:
    """A name generated code must not bind: keyword, builtin, stdlib module, ZenML/Dagster/pydantic, dunder."""
    return name.casefold() in _RESERVED_FOLDED or (name.startswith("__") and name.endswith("__"))


def _ascii_word(text: str) -> str:
    """``x²`` -> ``x2``, ``café-2`` -> ``cafe_2``: NFKD, ASCII letters, digits and underscores only."""
    decomposed = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return NOT_ASCII_WORD.sub("_", decomposed).strip("_")


def _capped(name: str, text: str, room: int) -> str:
    """``name`` cut to ``room`` characters, keeping a hash of the full text so long names stay distinct."""
    if len(name) <= room:
        return name
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{name[: room - 9].rstrip('_')}_{digest}"


class NameSet:
    """Names already given, compared ignoring case: pass it to :func:`python_name` when there are many."""

    def __init__(self, names: Collection[str] = ()) -> None:
        self.folded = {name.casefold() for name in names}

    def add(self, name: str) -> None:
        """Record a name as taken."""
        self.folded.add(name.casefold())

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.casefold() in self.folded


def python_name(
    text: str, taken: Collection[str] | NameSet = (), *, suffix: str = "_", fallback: str = "unnamed"
) -> str:
    """A safe, unique Python identifier (and file stem) for ``text``; deterministic for the same input.

    The result is ASCII (so file names survive any file system and Python's NFKC
    normalisation of identifiers cannot merge two of them), a valid identifier, not a
    keyword or soft keyword, builtin, stdlib module, or name the generated code uses itself
    (such names get ``suffix``), at most :data:`MAX_LENGTH` characters, and different from
    every name in ``taken`` ignoring case (``_2``, ``_3``... are added), so two results
    are always two distinct files even on a case-insensitive file system. Names that are
    already safe come back unchanged.
    """
    base = text if text.isascii() and text.isidentifier() else (_ascii_word(text) or fallback)
    if base.startswith("__") and base.endswith("__"):
        base = base.strip("_") or fallback
    if base[0].isdigit():
        base = f"n{base}"
    base = _capped(base, text, MAX_LENGTH)
    if is_reserved(base):
        base = _capped(f"{base}{suffix}", text, MAX_LENGTH)
    folded = taken.folded if isinstance(taken, NameSet) else {name.casefold() for name in taken}
    candidate, counter = base, 2
    while candidate.casefold() in folded or is_reserved(candidate):
        tail = f"_{counter}"
        candidate = _capped(base, text, MAX_LENGTH - len(tail)) + tail
        counter += 1
    return candidate


def py_literal(value: str | int | float | bool | None) -> str:
    """A Python literal for a value from the user's source (``repr``: quotes, backslashes, newlines escaped).

    Strings without a double quote are written in double quotes, as ruff format writes them.
    """
    text = repr(value)
    if isinstance(value, str) and text.startswith("'") and '"' not in value:
        return f'"{text[1:-1]}"'  # repr escaped no quote (there is no ' in the value): the body stays valid
    return text


def comment_text(text: str) -> str:
    """Text that stays on one comment line: every character that is not printable is written as its escape.

    Newlines, carriage returns, NUL, form feeds and Unicode line separators (which YAML
    treats as line breaks) become ``\\n``, ``\\r``, ``\\x00``... so nothing after them can
    become code or configuration.
    """
    if text.isprintable():  # the usual case: nothing to escape
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def docstring_text(text: str) -> str:
    """Text that can sit between triple double quotes, on one line: backslashes escaped, and every quote
    that could close the docstring (one followed by another quote, or the last character)."""
    safe = comment_text(text).replace("\\", "\\\\")
    if '"' not in safe:  # the usual case: no quote to escape, no look at each character
        return safe
    return "".join(
        '\\"' if ch == '"' and (index == len(safe) - 1 or safe[index + 1] == '"') else ch
        for index, ch in enumerate(safe)
    )


class _QuotedDumper(yaml.SafeDumper):
    """A dumper writing every string double-quoted, so a value never spans lines or changes type."""


def _quoted_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')


_QuotedDumper.add_representer(str, _quoted_str)


def yaml_scalar(value: Any) -> str:
    """A value (string, number, bool, None, list, dict) as one line of YAML, written by PyYAML."""
    text = yaml.dump(
        value, Dumper=_QuotedDumper, default_flow_style=True, allow_unicode=True, width=float("inf"), sort_keys=False
    )
    return text.removesuffix("\n...\n").removesuffix("\n")
