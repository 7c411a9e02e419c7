"""What each fix rewrites, when it is safe, unsafe or absent, and why (the finding says so)."""

from __future__ import annotations

import ast

import pytest

from dagster_zenml_lint.engine import check_source
from dagster_zenml_lint.findings import Applicability
from dagster_zenml_lint.fixers.apply import fix_text
from dagster_zenml_lint.registry import all_rules

FIXED_EXAMPLES = [
    pytest.param(rule, example, id=f"{rule.code}-{i}")
    for rule in all_rules()
    for i, example in enumerate(rule.examples)
    if example.fixed is not None
]


@pytest.mark.parametrize(("rule", "example"), FIXED_EXAMPLES)
def test_rule_examples_fix_to_their_expected_text(rule, example):
    result = fix_text(example.code, "example.py", unsafe=example.unsafe)
    assert result.text == example.fixed
    assert any(f.code == rule.code for f in result.applied)
    again = fix_text(result.text, "example.py", unsafe=example.unsafe)
    assert again.text == result.text, "a second fix run changed the text"


def test_every_fixable_rule_has_a_fixed_example():
    with_examples = {rule.code for rule, _ in (p.values for p in FIXED_EXAMPLES)}
    fixable = {r.code for r in all_rules() if r.fixer is not None}
    assert fixable <= with_examples, f"fixable rules without a fixed= example: {sorted(fixable - with_examples)}"


def _finding(text, code, line=None):
    findings = [f for f in check_source(text, "m.py", with_fixes=True) if f.code == code]
    if line is not None:
        findings = [f for f in findings if f.line == line]
    assert findings, f"no {code} finding"
    return findings[0]


OP_BLOCKERS = [
    ("@op(config_schema={'n': int})\ndef f(context) -> int:\n    return 1\n", "config_schema="),
    ("@op(required_resource_keys={'db'})\ndef f() -> int:\n    return 1\n", "required_resource_keys="),
    ("@op(tags={'kind': 'x'})\ndef f() -> int:\n    return 1\n", "tags="),
    ("@op(out=DynamicOut())\ndef f():\n    yield 1\n", "DynamicOut"),
    ("@op(out=Out(int, is_required=False))\ndef f():\n    return 1\n", "is_required=False"),
    ("@op(ins={'x': In(int, metadata={'a': 1})})\ndef f(x):\n    return x\n", "In(metadata=...)"),
    ("@op\ndef f(context) -> int:\n    context.log.info('x')\n    return 1\n", "context.log"),
    ("@op\ndef f() -> int:\n    return Output(1)\n", "Output"),
]


@pytest.mark.parametrize(("body", "named"), OP_BLOCKERS)
def test_op_fix_is_blocked_and_names_the_argument(body, named):
    text = "from dagster import DynamicOut, In, Out, Output, op\n\n\n" + body
    finding = _finding(text, "DZ101")
    assert finding.fix is None
    assert named in finding.fix_blocker


JOB_BLOCKERS = [
    ("config={'ops': {}}", "one()", "config="),
    ("resource_defs={}", "one()", "resource_defs="),
    ("executor_def=in_process_executor", "one()", "executor_def="),
    ("partitions_def=StaticPartitionsDefinition(['a'])", "one()", "partitions_def="),
    ("hooks=set()", "one()", "hooks="),
    ("tags={'a': 'b'}", "one()", "tags="),
    ("", "one.alias('other')()", ".alias()"),
    ("", "one.configured({}, name='x')()", ".configured()"),
    ("", "one.with_hooks(set())()", ".with_hooks()"),
]


@pytest.mark.parametrize(("arguments", "call", "named"), JOB_BLOCKERS)
def test_job_fix_is_blocked_and_names_the_reason(arguments, call, named):
    decorator = f"@job({arguments})" if arguments else "@job"
    text = (
        "from dagster import StaticPartitionsDefinition, in_process_executor, job, op\n\n\n"
        f"@op\ndef one() -> int:\n    return 1\n\n\n{decorator}\ndef my_job():\n    {call}\n"
    )
    finding = _finding(text, "DZ102")
    assert finding.fix is None
    assert named in finding.fix_blocker
    # the op is converted together with its job: blocked too, and it says by whom
    op_finding = _finding(text, "DZ101")
    assert op_finding.fix is None and "my_job" in op_finding.fix_blocker


def test_dynamic_map_collect_in_a_job_blocks_the_fix():
    text = (
        "from dagster import DynamicOut, DynamicOutput, job, op\n\n\n"
        "@op(out=DynamicOut())\ndef fan():\n    yield DynamicOutput(1, mapping_key='a')\n\n\n"
        "@op\ndef double(x: int) -> int:\n    return 2 * x\n\n\n"
        "@job\ndef my_job():\n    fan().map(double).collect()\n"
    )
    finding = _finding(text, "DZ102")
    assert finding.fix is None and ".collect()" in finding.fix_blocker


def test_execute_in_process_without_arguments_becomes_a_call():
    text = (
        "from dagster import job, op\n\n\n@op\ndef one() -> int:\n    return 1\n\n\n"
        "@job\ndef my_job():\n    one()\n\n\nif __name__ == '__main__':\n    my_job.execute_in_process()\n"
    )
    fixed = fix_text(text, "m.py").text
    assert "    my_job()\n" in fixed and "execute_in_process" not in fixed


def test_execute_in_process_with_run_config_blocks_the_fix():
    text = (
        "from dagster import job, op\n\n\n@op\ndef one() -> int:\n    return 1\n\n\n"
        "@job\ndef my_job():\n    one()\n\n\nmy_job.execute_in_process(run_config={'ops': {}})\n"
    )
    finding = _finding(text, "DZ102")
    assert finding.fix is None and "run_config=" in finding.fix_blocker
    assert fix_text(text, "m.py").text == text


def test_using_the_result_of_execute_in_process_makes_the_fix_unsafe():
    text = (
        "from dagster import job, op\n\n\n@op\ndef one() -> int:\n    return 1\n\n\n"
        "@job\ndef my_job():\n    one()\n\n\nassert my_job.execute_in_process().success\n"
    )
    finding = _finding(text, "DZ102")
    assert finding.fix.applicability is Applicability.UNSAFE
    assert fix_text(text, "m.py").text == text
    assert "assert my_job().success" in fix_text(text, "m.py", unsafe=True).text


def test_job_not_passing_an_op_input_is_not_converted():
    text = (
        "from dagster import job, op\n\n\n@op\ndef add(x: int, y: int) -> int:\n    return x + y\n\n\n"
        "@op\ndef one() -> int:\n    return 1\n\n\n@job\ndef my_job():\n    add(one())\n"
    )
    finding = _finding(text, "DZ102")
    assert finding.fix is None and "input 'y'" in finding.fix_blocker


def test_op_used_by_a_graph_is_not_converted():
    text = "from dagster import graph, op\n\n\n@op\ndef one() -> int:\n    return 1\n\n\n@graph\ndef g():\n    one()\n"
    finding = _finding(text, "DZ101")
    assert finding.fix is None and "@graph 'g'" in finding.fix_blocker


RETRY = (
    "from dagster import Backoff, Jitter, RetryPolicy, op\n\n\n@op(retry_policy={})\ndef f() -> int:\n    return 1\n"
)


@pytest.mark.parametrize(
    ("policy", "expected", "applicability"),
    [
        ("RetryPolicy()", "retry=StepRetryConfig()", Applicability.SAFE),
        ("RetryPolicy(max_retries=3)", "retry=StepRetryConfig(max_retries=3)", Applicability.SAFE),
        (
            "RetryPolicy(max_retries=3, delay=10)",
            "StepRetryConfig(max_retries=3, delay=10, backoff=1)",
            Applicability.SAFE,
        ),
        ("RetryPolicy(2, 5)", "StepRetryConfig(max_retries=2, delay=5, backoff=1)", Applicability.SAFE),
        (
            "RetryPolicy(max_retries=2, delay=3.0)",
            "StepRetryConfig(max_retries=2, delay=3, backoff=1)",
            Applicability.SAFE,
        ),
        (
            "RetryPolicy(max_retries=2, delay=1.5)",
            "StepRetryConfig(max_retries=2, delay=2, backoff=1)",
            Applicability.UNSAFE,
        ),
        (
            "RetryPolicy(max_retries=2, delay=4, backoff=Backoff.EXPONENTIAL)",
            "StepRetryConfig(max_retries=2, delay=4, backoff=2)",
            Applicability.UNSAFE,
        ),
        (
            "RetryPolicy(max_retries=2, delay=4, jitter=None)",
            "StepRetryConfig(max_retries=2, delay=4, backoff=1)",
            Applicability.SAFE,
        ),
    ],
)
def test_retry_policy_argument_table(policy, expected, applicability):
    text = RETRY.format(policy)
    finding = _finding(text, "DZ103")
    assert finding.fix is not None and finding.fix.applicability is applicability
    fixed = fix_text(text, "m.py", unsafe=True).text
    assert expected in fixed
    assert "from zenml.config import StepRetryConfig" in fixed
    assert "RetryPolicy" not in fixed and "Backoff" not in fixed.replace("backoff", "")
    ast.parse(fixed)


@pytest.mark.parametrize(
    ("policy", "reason"),
    [
        ("RetryPolicy(max_retries=2, delay=4, backoff=Backoff.LINEAR)", "LINEAR"),
        ("RetryPolicy(max_retries=2, delay=4, jitter=Jitter.FULL)", "jitter"),
        ("RetryPolicy(max_retries=0)", "max_retries=0"),
    ],
)
def test_retry_policies_without_equivalent_get_no_fix(policy, reason):
    text = RETRY.format(policy)
    finding = _finding(text, "DZ103")
    assert finding.fix is None and reason in finding.fix_blocker
    fixed = fix_text(text, "m.py", unsafe=True).text
    assert f"@op(retry_policy={policy})\ndef f() -> int:" in fixed


def test_shared_retry_policy_variable_is_converted_with_its_ops():
    text = (
        "from dagster import RetryPolicy, job, op\n\nPOLICY = RetryPolicy(max_retries=2, delay=1)\n\n\n"
        "@op(retry_policy=POLICY)\ndef one() -> int:\n    return 1\n\n\n"
        "@job(op_retry_policy=POLICY)\ndef my_job():\n    one()\n"
    )
    fixed = fix_text(text, "m.py").text
    assert "POLICY = StepRetryConfig(max_retries=2, delay=1, backoff=1)" in fixed
    assert "@step(retry=POLICY)" in fixed and "@pipeline(retry=POLICY)" in fixed
    assert "dagster" not in fixed


def test_multi_output_op_gets_annotated_tuple():
    text = "from dagster import Out, op\n\n\n@op(out={'a': Out(int), 'b': Out(str)})\ndef two():\n    return 1, 'x'\n"
    fixed = fix_text(text, "m.py").text
    assert 'def two() -> Tuple[Annotated[int, "a"], Annotated[str, "b"]]:' in fixed
    assert "from typing import Annotated, Tuple" in fixed


def test_name_collision_uses_an_alias():
    text = "from dagster import op\n\nstep = 3\n\n\n@op\ndef one() -> int:\n    return step\n"
    fixed = fix_text(text, "m.py").text
    assert "from zenml import step as zenml_step" in fixed
    assert "@zenml_step\ndef one()" in fixed
    assert "step = 3" in fixed


def test_zenml_import_is_merged_into_an_existing_one():
    text = "from dagster import op\nfrom zenml import pipeline\n\n\n@op\ndef one() -> int:\n    return 1\n"
    fixed = fix_text(text, "m.py").text
    assert fixed.startswith("from zenml import pipeline, step\n\n\n@step\n")


def test_dagster_name_still_used_keeps_its_import():
    text = (
        "from dagster import asset, op\n\n\n@op\ndef one() -> int:\n    return 1\n\n\n"
        "@asset\ndef orders() -> int:\n    return 1\n"
    )
    fixed = fix_text(text, "m.py").text
    assert "from dagster import asset\n" in fixed
    assert "@step\ndef one()" in fixed and "@asset\ndef orders()" in fixed


def test_context_log_becomes_a_module_logger_and_the_context_goes():
    text = (
        "from dagster import OpExecutionContext, op\n\n\n@op\ndef one(context: OpExecutionContext) -> int:\n"
        "    context.log.info('one')\n    context.log.warning('two')\n    return 1\n"
    )
    assert fix_text(text, "m.py").text == text, "DZ106 is unsafe: not applied by a plain --fix"
    fixed = fix_text(text, "m.py", unsafe=True).text
    assert fixed == (
        "import logging\n\nfrom zenml import step\n\nlogger = logging.getLogger(__name__)\n\n\n"
        "@step\ndef one() -> int:\n    logger.info('one')\n    logger.warning('two')\n    return 1\n"
    )


def test_context_used_for_more_than_logging_is_kept():
    text = (
        "from dagster import op\n\n\n@op\ndef one(context) -> str:\n"
        "    context.log.info('one')\n    return context.run_id\n"
    )
    fixed = fix_text(text, "m.py", unsafe=True).text
    assert "def one(context) -> str:" in fixed and "logger.info('one')" in fixed
    assert "@op\n" in fixed, "the op keeps its context, so it stays an op"


def test_get_dagster_logger_is_a_safe_fix():
    text = "from dagster import get_dagster_logger\n\nlog = get_dagster_logger()\nlog.info('x')\n"
    finding = _finding(text, "DZ108")
    assert finding.fix.applicability is Applicability.SAFE
    fixed = fix_text(text, "m.py").text
    assert fixed == "import logging\n\nlog = logging.getLogger(\"dagster.builtin\")\nlog.info('x')\n"


def test_config_class_becomes_pydantic_model_with_a_note():
    text = "from dagster import Config\n\n\nclass Settings(Config):\n    n: int = 1\n"
    assert fix_text(text, "m.py").text == text
    fixed = fix_text(text, "m.py", unsafe=True).text
    assert fixed == (
        "import pydantic\n\n\n# Migration note: Settings was Dagster run config; step parameter values now come "
        "from configs/*.yaml\nclass Settings(pydantic.BaseModel):\n    n: int = 1\n"
    )


def test_noqa_keeps_a_finding_from_being_fixed():
    text = "from dagster import op\n\n\n@op  # noqa: DZ101\ndef one() -> int:\n    return 1\n"
    assert fix_text(text, "m.py").text == text


def test_single_tuple_output_is_not_split_into_several_zenml_outputs():
    text = (
        "from typing import Tuple\n\nfrom dagster import op\n\n\n@op\ndef pair() -> Tuple[int, int]:\n    return 1, 2\n"
    )
    finding = _finding(text, "DZ101")
    assert finding.fix is None and "split" in finding.fix_blocker


def test_op_called_inside_another_op_makes_the_fix_unsafe():
    text = (
        "from dagster import job, op\n\n\n@op\ndef one() -> int:\n    return 1\n\n\n"
        "@op\ndef two() -> int:\n    return one() + 1\n\n\n@job\ndef my_job():\n    one()\n    two()\n"
    )
    finding = _finding(text, "DZ101", line=4)
    assert finding.fix.applicability is Applicability.UNSAFE
    assert "called inside op 'two'" in finding.fix_blocker


def test_removing_the_last_decorator_argument_keeps_comments_of_the_others():
    text = (
        "from dagster import Out, op\n\n\n@op(\n    name='rows',  # the op name\n    out=Out(list),\n)\n"
        "def extract():\n    return [1]\n"
    )
    fixed = fix_text(text, "m.py").text
    assert "@step(\n    name='rows',  # the op name\n)\ndef extract() -> list:\n" in fixed


def test_an_unused_result_of_execute_in_process_keeps_the_fix_safe():
    text = (
        "from dagster import job, op\n\n\n@op\ndef one() -> int:\n    return 1\n\n\n"
        "@job\ndef my_job():\n    one()\n\n\nif __name__ == '__main__':\n    result = my_job.execute_in_process()\n"
    )
    assert "    result = my_job()\n" in fix_text(text, "m.py").text
