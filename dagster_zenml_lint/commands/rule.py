"""``dagster-zenml-lint rule DZ301`` prints a rule's documentation; ``rule --all`` lists every rule."""

from __future__ import annotations

import argparse
import json

from dagster_zenml_lint.commands import UsageError
from dagster_zenml_lint.docs_gen import render_rule
from dagster_zenml_lint.registry import Rule, all_rules, get_rule

NAME = "rule"
HELP = "show a rule's documentation (by code or symbol), or list every rule with --all"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the command's arguments."""
    parser.add_argument("rule", nargs="?", metavar="CODE_OR_SYMBOL", help="e.g. DZ301 or dagster-partitions")
    parser.add_argument("--all", action="store_true", help="list every rule")
    parser.add_argument("--output-format", choices=("text", "json"), default="text", help="default: text")


def rule_record(rule: Rule) -> dict[str, object]:
    """The JSON description of a rule."""
    return {
        "code": rule.code,
        "symbol": rule.symbol,
        "severity": rule.severity.name,
        "mapping": rule.mapping.value,
        "title": rule.title,
        "pylint_msgid": rule.pylint_msgid,
        "target": rule.target,
        "hint": rule.hint,
        "docs_url": rule.docs_url,
        "zenml_docs_url": rule.zenml_docs_url,
        "fixable": rule.fixer is not None,
    }


def run(args: argparse.Namespace) -> int:
    """Print one rule's docs or the list of rules."""
    if args.all:
        rules = all_rules()
        if args.output_format == "json":
            print(json.dumps([rule_record(r) for r in rules], indent=2))
        else:
            width = max(len(r.symbol) for r in rules)
            for r in rules:
                print(f"{r.code}  {r.symbol:<{width}}  {r.severity.name:<6}  {r.mapping.value:<11}  {r.title}")
        return 0
    if not args.rule:
        raise UsageError("give a rule code or symbol (e.g. `rule DZ301`), or --all")
    try:
        rule = get_rule(args.rule)
    except KeyError:
        raise UsageError(f"unknown rule {args.rule!r}; `dagster-zenml-lint rule --all` lists them") from None
    if args.output_format == "json":
        print(json.dumps(rule_record(rule), indent=2))
    else:
        print(render_rule(rule), end="")
    return 0
