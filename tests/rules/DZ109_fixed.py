"""DZ109 dagster-file-relative-path: `file_relative_path` becomes `os.path`.

Lines the rule must report end in ``# [dagster-file-relative-path]``; every other line is a trap.
"""


# --- flagged: must be reported

PATH = os.path.realpath(os.path.join(__file__, os.pardir, 'data.csv'))  # [dagster-file-relative-path]


# --- flagged: unsafe fix: the relative path is computed
import os


DBT_DIR = os.path.realpath(os.path.join(__file__, os.pardir, os.path.join('..', 'dbt')))  # [dagster-file-relative-path]


# --- clean: must stay silent
import os

PATH = os.path.join(os.path.dirname(__file__), 'data.csv')
