"""Print how fix computation scales with the number of findings in one file.

``check --fix``/``--diff``/``--show-fixes``, the plugins and the editor lint with fixes,
so ``check_source(..., with_fixes=True)`` must stay near-linear in a file's size. Each
case generates one synthetic module and times the lint without and with fixes::

    python benchmarks/fix_scaling.py              # every case
    python benchmarks/fix_scaling.py --quick      # small sizes only
    python benchmarks/fix_scaling.py --case ops --case retry

``per 1k`` is the with-fixes time per 1,000 source lines: roughly constant down a
case's rows means linear scaling. Nothing is asserted; this only prints a table.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from dagster_zenml_lint.engine import check_source

HEADER = "from dagster import op, job, RetryPolicy, Backoff\n\n"


def plain_ops(n: int) -> str:
    """``n`` independent ``@op`` functions (one component each)."""
    return HEADER + "".join(f"@op\ndef op_{i}(x: int) -> int:\n    return x + {i}\n\n" for i in range(n))


def one_job(n: int) -> str:
    """``n`` ops wired in a chain by one ``@job``: a single component of ``n + 2`` members."""
    text = plain_ops(n) + "@op\ndef start() -> int:\n    return 1\n\n@job\ndef chain():\n    v0 = start()\n"
    text += "".join(f"    v{i + 1} = op_{i}(v{i})\n" for i in range(n))
    return text + "\n\nif __name__ == '__main__':\n    chain.execute_in_process()\n"


def log_calls(n: int) -> str:
    """``n`` ``context.log.info(...)`` calls, ten per op."""
    text = HEADER
    for op_index in range(max(n // 10, 1)):
        text += f"@op\ndef op_{op_index}(context) -> None:\n"
        text += "".join(f"    context.log.info('message {op_index} {i}')\n" for i in range(10)) + "\n"
    return text


def log_calls_one_op(n: int) -> str:
    """``n`` ``context.log.info(...)`` calls in a single op."""
    return (
        HEADER
        + "@op\ndef chatty(context) -> None:\n"
        + "".join(f"    context.log.info('message {i}')\n" for i in range(n))
    )


def retry_policies(n: int) -> str:
    """``n`` ops, each with an inline ``RetryPolicy(...)``."""
    policies = (
        "RetryPolicy(max_retries=3, delay=2)",
        "RetryPolicy(max_retries=2)",
        "RetryPolicy(max_retries=3, delay=1.5, backoff=Backoff.EXPONENTIAL)",
    )
    return HEADER + "".join(
        f"@op(retry_policy={policies[i % 3]})\ndef op_{i}(x: int) -> int:\n    return x + {i}\n\n" for i in range(n)
    )


def shared_policy(n: int) -> str:
    """``n`` ops sharing one module-level policy, all wired by one job."""
    text = HEADER + "POLICY = RetryPolicy(max_retries=2, delay=1)\n\n"
    text += "".join(f"@op(retry_policy=POLICY)\ndef op_{i}(x: int) -> int:\n    return x + {i}\n\n" for i in range(n))
    text += "@op\ndef start() -> int:\n    return 1\n\n@job\ndef chain():\n    v0 = start()\n"
    return text + "".join(f"    v{i + 1} = op_{i}(v{i})\n" for i in range(n))


CASES: dict[str, tuple[Callable[[int], str], tuple[int, ...], tuple[int, ...]]] = {
    # name: (generator, full sizes, --quick sizes)
    "ops": (plain_ops, (100, 300, 1000, 5000), (100, 300)),
    "one-job": (one_job, (100, 300, 1000), (100, 300)),
    "log": (log_calls, (500, 2000, 5000), (500, 2000)),
    "log-one-op": (log_calls_one_op, (500, 2000), (500,)),
    "retry": (retry_policies, (100, 500, 2000), (100, 500)),
    "shared-policy": (shared_policy, (100, 500), (100,)),
}


def timed(text: str, *, with_fixes: bool) -> tuple[float, int]:
    """Seconds to lint ``text`` and the number of findings that carry a fix."""
    start = time.perf_counter()
    findings = check_source(text, "scaling.py", with_fixes=with_fixes)
    return time.perf_counter() - start, sum(1 for f in findings if f.fix is not None)


def main() -> None:
    """Print one row per (case, size)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes only")
    parser.add_argument("--case", action="append", choices=sorted(CASES), help="run only these cases")
    args = parser.parse_args()
    print(f"{'case':<14} {'n':>6} {'lines':>7} {'lint s':>8} {'fixes s':>8} {'per 1k':>8} {'fixable':>8}")
    for name in args.case or CASES:
        generate, sizes, quick = CASES[name]
        for n in quick if args.quick else sizes:
            text = generate(n)
            lines = text.count("\n")
            plain, _ = timed(text, with_fixes=False)
            fixing, fixable = timed(text, with_fixes=True)
            per_k = fixing / lines * 1000
            print(f"{name:<14} {n:>6} {lines:>7} {plain:>8.2f} {fixing:>8.2f} {per_k:>8.3f} {fixable:>8}", flush=True)


if __name__ == "__main__":
    main()
