#!/usr/bin/env python3
"""Static check of DAG files for what Airflow 3 removed, renamed or moved.

usage: python3 scripts/check-dags.py [folder-or-file ...]     (default: the repository's dags/)

For every .py file under the given folders: a syntax check (py_compile), then, on the syntax
tree (ast; Airflow need not be installed), imports of modules and names Airflow 3 removed or
moved, DAG and operator arguments it removed, and task-context keys it removed, used in Jinja
templates, as context["key"] / context.get("key"), or as parameters of task callables.
One finding per line, `path:line: <what> — <Airflow 3 replacement>`; exit 1 if there is any,
0 if there is none, 2 on bad usage. Standard library only.

A static check cannot see everything: names reached through attribute access on a plain
`import airflow` or built at runtime are not resolved, and context dicts are only recognised
under the names `context`/`ctx`, a task's `**kwargs`, or a variable bound to
`get_current_context()`. `ruff check --select AIR3 --preview` has the complete rule set.

Sources (SOURCE_KEY: file, heading), cited next to each rule below. Paths are in the Airflow
repository (apache/airflow; mirror commit dda8d2786710). The 3.0 newsfragments were deleted when
the 3.0 release notes were written, by a2962b92b339 ("Update Release Notes for 3.0 & remove
newsfragments (#49913)"); they are read at its parent, a2962b92b339^.
"""

from __future__ import annotations

import argparse
import ast
import os
import py_compile
import re
import sys
import tempfile
import tokenize
from typing import Dict, Iterable, List, NamedTuple, Optional, Set, Tuple

NF = "airflow-core/newsfragments/{}.significant.rst @ a2962b92b339^"
SOURCES = {
    "NF41348": NF.format(41348) + ' "Rename ``Dataset`` as ``Asset``"',
    "NF41366": NF.format(41366) + ' "``airflow.contrib`` modules have been removed"',
    "NF41368": NF.format(41368) + ' "Support for deprecated core imports removed"',
    "NF41390": NF.format(41390) + ' "Support for SubDags is removed"',
    "NF41393": NF.format(41393) + ' "The ``use_task_execution_day`` parameter has been removed from the ``DayOfWeekSensor`` class."',
    "NF41453": NF.format(41453) + ' "Removed legacy scheduling arguments on DAG"',
    "NF41496": NF.format(41496) + ' "Removed deprecated methods in ``airflow/utils/dates.py``"',
    "NF41735": NF.format(41735) + ' "Removed deprecated module ``airflow.kubernetes``."',
    "NF41736": NF.format(41736) + ' "Removed deprecated parameters from core-operators."',
    "NF41761": NF.format(41761) + ' "Removed a set of deprecations in BaseOperator."',
    "NF41774": NF.format(41774) + ' "Removed a set of deprecations in ``DAG`` from ``airflow.models``."',
    "NF42252": NF.format(42252) + ' "Move bash operators from Airflow core to standard provider"',
    "NF42285": NF.format(42285) + ' "The SLA feature is removed in Airflow 3.0, to be replaced with Airflow Alerts in 3.1"',
    "NF43533": NF.format(43533) + ' "Unused and redundant functions from ``airflow.utils.dates`` module have been removed."',
    "NF43902": NF.format(43902) + ' "Renamed ``execution_date`` to ``logical_date`` across the codebase to align with Airflow 3.0."',
    "NF44820": NF.format(44820) + ' "Removed ``conf`` from the Task template context"',
    "NF45327": NF.format(45327) + ' "Renamed DAG argument ``fail_stop`` to ``fail_fast`` across the codebase to align with Airflow 3.0."',
    "NF46231": NF.format(46231) + ' "Moving EmptyOperator from Airflow core to the ``standard`` provider."',
    "NF46573": NF.format(46573) + ' "In Airflow 3.0, ``airflow.operators.email.EmailOperator`` is removed."',
    "NFAPI38": NF.format("api-38") + ' "With the new UI ... we have removed DAG and config level settings"',
    "NFAIP72": NF.format("aip-72") + ' (Label import moved to ``airflow.sdk``)',
    "RN_SDK": 'RELEASE_NOTES.rst, Airflow 3.0.0, "New Stable DAG Authoring Interface: ``airflow.sdk``"',
    "RN_SCHEDULE": 'RELEASE_NOTES.rst, Airflow 3.0.0, "Unified Scheduling Field"',
    "RN_CONTEXT": 'RELEASE_NOTES.rst, Airflow 3.0.0, "Context Cleanup and Parameter Removal"',
    "RN_PROVIDERS": 'RELEASE_NOTES.rst, Airflow 3.0.0, "Provider Refactor & Standardization"',
    "RN_REMOVALS": 'RELEASE_NOTES.rst, Airflow 3.0.0, "Deprecations & Removals"',
    "UG_IMPORTS": 'airflow-core/docs/installation/upgrading_to_airflow3.rst, "Key Import Updates"',
    "UG_BREAKING": 'airflow-core/docs/installation/upgrading_to_airflow3.rst, "Breaking Changes"',
    "OPS_SHIM": "airflow-core/src/airflow/operators/__init__.py, __deprecated_classes",
    "SENSORS_SHIM": "airflow-core/src/airflow/sensors/__init__.py, __deprecated_classes",
    "HOOKS_SHIM": "airflow-core/src/airflow/hooks/__init__.py, __deprecated_classes",
    "LAZY": "airflow-core/src/airflow/__init__.py, __lazy_imports (DAG -> .sdk)",
    "UTILS_CONTEXT": "airflow-core/src/airflow/utils/context.py, module-level DeprecatedImportWarning",
    "UTILS_PARSING": "airflow-core/src/airflow/utils/dag_parsing_context.py, DeprecatedImportWarning (removed in 3.2)",
    "UTILS_GONE": "airflow-core/src/airflow/utils/: helpers.py has no chain/cross_downstream, decorators.py is gone",
    "CONTEXT": "task-sdk/src/airflow/sdk/definitions/context.py, class Context (KNOWN_CONTEXT_KEYS)",
    "K8S10": 'providers/cncf/kubernetes/docs/changelog.rst, "10.0.0" / "Breaking changes"',
    "RUFF": "astral-sh/ruff crates/ruff_linter/src/rules/airflow/rules/removal_in_3.rs (AIR301)",
}

# --- Modules ----------------------------------------------------------------------------------
# module -> (status, replacement). "removed": fails to import on Airflow 3. "deprecated": still
# imports on Airflow 3 through a shim that warns, and goes in a later version.
STD = "airflow.providers.standard"
MODULES: Dict[str, Tuple[str, str]] = {
    # The walkthrough's own contrib imports, with the provider modules that hold them now.
    "airflow.contrib.operators.kubernetes_pod_operator": ("removed", "airflow.providers.cncf.kubernetes.operators.pod"),  # NF41366
    "airflow.contrib.kubernetes.secret": ("removed", "airflow.providers.cncf.kubernetes.secret"),  # NF41366
    # Removed outright.
    "airflow.providers.cncf.kubernetes.operators.kubernetes_pod": ("removed", "airflow.providers.cncf.kubernetes.operators.pod"),  # K8S10
    "airflow.operators.python_operator": ("removed", f"{STD}.operators.python"),  # NF41368; RUFF
    "airflow.operators.bash_operator": ("removed", f"{STD}.operators.bash"),  # NF41368
    "airflow.operators.dummy_operator": ("removed", f"{STD}.operators.empty.EmptyOperator"),  # NF41368; RUFF
    "airflow.operators.dummy": ("removed", f"{STD}.operators.empty.EmptyOperator"),  # NF41368; RUFF
    "airflow.operators.email_operator": ("removed", "airflow.providers.smtp.operators.smtp.EmailOperator"),  # NF41368; NF46573
    "airflow.operators.dagrun_operator": ("removed", f"{STD}.operators.trigger_dagrun"),  # NF41368; RUFF
    "airflow.operators.latest_only_operator": ("removed", f"{STD}.operators.latest_only"),  # NF41368; RUFF
    "airflow.operators.branch_operator": ("removed", f"{STD}.operators.branch"),  # NF41368; RUFF
    "airflow.operators.subdag": ("removed", "airflow.sdk.TaskGroup (SubDAGs are gone)"),  # NF41390
    "airflow.operators.subdag_operator": ("removed", "airflow.sdk.TaskGroup (SubDAGs are gone)"),  # NF41390
    "airflow.sensors.base_sensor_operator": ("removed", "airflow.sdk.BaseSensorOperator"),  # NF41368; RUFF
    "airflow.sensors.external_task_sensor": ("removed", f"{STD}.sensors.external_task"),  # NF41368; RUFF
    "airflow.sensors.time_delta_sensor": ("removed", f"{STD}.sensors.time_delta"),  # NF41368; RUFF
    "airflow.sensors.date_time_sensor": ("removed", f"{STD}.sensors.date_time"),  # NF41368; RUFF
    "airflow.hooks.base_hook": ("removed", "airflow.sdk.BaseHook"),  # NF41368; RUFF
    # Moved to the standard provider; the old path is a shim.
    "airflow.operators.python": ("deprecated", f"{STD}.operators.python"),  # OPS_SHIM; RN_PROVIDERS
    "airflow.operators.bash": ("deprecated", f"{STD}.operators.bash"),  # OPS_SHIM; NF42252
    "airflow.operators.empty": ("deprecated", f"{STD}.operators.empty"),  # OPS_SHIM; NF46231
    "airflow.operators.email": ("deprecated", "airflow.providers.smtp.operators.smtp"),  # OPS_SHIM; NF46573
    "airflow.operators.datetime": ("deprecated", f"{STD}.operators.datetime"),  # OPS_SHIM
    "airflow.operators.weekday": ("deprecated", f"{STD}.operators.weekday"),  # OPS_SHIM
    "airflow.operators.trigger_dagrun": ("deprecated", f"{STD}.operators.trigger_dagrun"),  # OPS_SHIM
    "airflow.operators.latest_only": ("deprecated", f"{STD}.operators.latest_only"),  # OPS_SHIM
    "airflow.operators.branch": ("deprecated", f"{STD}.operators.branch"),  # OPS_SHIM
    "airflow.operators.smooth": ("deprecated", f"{STD}.operators.smooth"),  # OPS_SHIM
    "airflow.operators.generic_transfer": ("deprecated", "airflow.providers.common.sql.operators.generic_transfer"),  # OPS_SHIM
    "airflow.sensors.base": ("deprecated", "airflow.sdk (BaseSensorOperator, PokeReturnValue)"),  # SENSORS_SHIM; UG_IMPORTS
    "airflow.sensors.python": ("deprecated", f"{STD}.sensors.python"),  # SENSORS_SHIM
    "airflow.sensors.bash": ("deprecated", f"{STD}.sensors.bash"),  # SENSORS_SHIM
    "airflow.sensors.date_time": ("deprecated", f"{STD}.sensors.date_time"),  # SENSORS_SHIM
    "airflow.sensors.time_sensor": ("deprecated", f"{STD}.sensors.time"),  # SENSORS_SHIM
    "airflow.sensors.time_delta": ("deprecated", f"{STD}.sensors.time_delta"),  # SENSORS_SHIM
    "airflow.sensors.weekday": ("deprecated", f"{STD}.sensors.weekday"),  # SENSORS_SHIM
    "airflow.sensors.filesystem": ("deprecated", f"{STD}.sensors.filesystem"),  # SENSORS_SHIM
    "airflow.sensors.external_task": ("deprecated", f"{STD}.sensors.external_task"),  # SENSORS_SHIM
    "airflow.hooks.base": ("deprecated", "airflow.sdk.BaseHook"),  # HOOKS_SHIM; UG_IMPORTS
    "airflow.hooks.filesystem": ("deprecated", f"{STD}.hooks.filesystem"),  # HOOKS_SHIM
    "airflow.hooks.package_index": ("deprecated", f"{STD}.hooks.package_index"),  # HOOKS_SHIM
    "airflow.hooks.subprocess": ("deprecated", f"{STD}.hooks.subprocess"),  # HOOKS_SHIM
    # Authoring interfaces that moved to the Task SDK.
    "airflow.decorators": ("deprecated", "airflow.sdk (dag, task, task_group, setup, teardown)"),  # UG_IMPORTS; RN_SDK
    "airflow.datasets": ("deprecated", "airflow.sdk (Asset, AssetAlias, AssetAll, AssetAny)"),  # NF41348; UG_IMPORTS
    "airflow.models.baseoperator": ("deprecated", "airflow.sdk (BaseOperator, chain, chain_linear, cross_downstream)"),  # UG_IMPORTS; RUFF
    "airflow.models.param": ("deprecated", "airflow.sdk (Param, ParamsDict)"),  # UG_IMPORTS
    "airflow.utils.task_group": ("deprecated", "airflow.sdk.TaskGroup"),  # UG_IMPORTS
    "airflow.utils.edgemodifier": ("deprecated", "airflow.sdk.Label"),  # NFAIP72
    "airflow.utils.context": ("deprecated", "airflow.sdk (Context, get_current_context)"),  # UTILS_CONTEXT; UG_IMPORTS
    "airflow.utils.dag_parsing_context": ("deprecated", "airflow.sdk.get_parsing_context"),  # UTILS_PARSING; RUFF
    "airflow.utils.decorators": ("removed", "nothing: apply_defaults is always done, drop the decorator"),  # UTILS_GONE; RUFF
}
# Every submodule of these is gone.
MODULE_PREFIXES: Dict[str, Tuple[str, str]] = {
    "airflow.contrib": ("removed", "its provider package (airflow.providers.<name>)"),  # NF41366; RUFF
    "airflow.kubernetes": ("removed", "airflow.providers.cncf.kubernetes.* and kubernetes.client.models"),  # NF41735
}
# Any other airflow.operators.X / airflow.sensors.X / airflow.hooks.X (e.g. http_operator,
# sql_sensor, postgres_hook, or a class imported from the package itself) is gone.  # NF41368
CORE_PACKAGES = ("airflow.operators", "airflow.sensors", "airflow.hooks")
CORE_PACKAGE_RULE = ("removed", "import it from its provider package (airflow.providers.<name>)")  # NF41368

# --- Names (module.attribute) ------------------------------------------------------------------
NAMES: Dict[str, Tuple[str, str]] = {
    "airflow.DAG": ("sdk", "from airflow.sdk import DAG"),  # RN_SDK; LAZY
    "airflow.models.DAG": ("sdk", "from airflow.sdk import DAG"),  # UG_IMPORTS
    "airflow.models.dag.DAG": ("sdk", "from airflow.sdk import DAG"),  # UG_IMPORTS
    "airflow.models.BaseOperator": ("sdk", "from airflow.sdk import BaseOperator"),  # UG_IMPORTS
    "airflow.models.Param": ("sdk", "from airflow.sdk import Param"),  # UG_IMPORTS
    "airflow.models.Variable": ("sdk", "from airflow.sdk import Variable"),  # UG_IMPORTS
    "airflow.models.variable.Variable": ("sdk", "from airflow.sdk import Variable"),  # UG_IMPORTS
    "airflow.models.Connection": ("sdk", "from airflow.sdk import Connection"),  # UG_IMPORTS
    "airflow.models.connection.Connection": ("sdk", "from airflow.sdk import Connection"),  # UG_IMPORTS
    "airflow.Dataset": ("removed", "from airflow.sdk import Asset"),  # NF41348; RUFF
    "airflow.utils.dates.days_ago": ("removed", "a fixed pendulum.datetime(...) start_date, or pendulum.today('UTC').add(days=-N)"),  # NF41496
    "airflow.utils.dates.date_range": ("removed", "pendulum intervals or a timetable"),  # NF41496
    "airflow.utils.dates.parse_execution_date": ("removed", "pendulum.parse"),  # NF43533
    "airflow.utils.dates.round_time": ("removed", "no replacement"),  # NF43533
    "airflow.utils.dates.scale_time_units": ("removed", "no replacement"),  # NF43533
    "airflow.utils.dates.infer_time_unit": ("removed", "no replacement"),  # NF43533
    "airflow.utils.helpers.chain": ("removed", "from airflow.sdk import chain"),  # UTILS_GONE; RN_REMOVALS; RUFF
    "airflow.utils.helpers.cross_downstream": ("removed", "from airflow.sdk import cross_downstream"),  # UTILS_GONE; RN_REMOVALS; RUFF
}

# --- Arguments ---------------------------------------------------------------------------------
# Keyword arguments of DAG(...) / @dag(...).
DAG_ARGS: Dict[str, str] = {
    "schedule_interval": "schedule=",  # NF41453; RN_SCHEDULE; RUFF
    "timetable": "schedule=",  # NF41453; RN_SCHEDULE; RUFF
    "concurrency": "max_active_tasks=",  # NF41774
    "full_filepath": "nothing: drop it",  # NF41774
    "sla_miss_callback": "nothing: SLAs are gone (ignored with a warning; Deadline Alerts from 3.1)",  # NF42285; RUFF
    "default_view": "nothing: a per-user UI setting now",  # NFAPI38; RUFF
    "orientation": "nothing: a per-user UI setting now",  # NFAPI38; RUFF
    "fail_stop": "fail_fast=",  # NF45327; RUFF
}
# Keyword arguments of any operator, sensor or @task(...), and keys of default_args. (Not
# execution_timeout, retries, pool, ...: those still exist.)
OPERATOR_ARGS: Dict[str, str] = {
    "provide_context": "nothing: drop it; callables get the context keys they name, or all of them through **kwargs",  # NF41761 (undeclared arguments are an error)
    "task_concurrency": "max_active_tis_per_dag=",  # NF41761; RUFF
    "sla": "nothing: SLAs are gone (ignored with a warning; Deadline Alerts from 3.1)",  # NF42285; RUFF
    "use_task_execution_day": "use_task_logical_date=",  # NF41393; NF41736; RUFF
    "use_task_execution_date": "use_task_logical_date=",  # NF41736
}
# Only on the named operator.
CLASS_ARGS: Dict[Tuple[str, str], str] = {
    ("TriggerDagRunOperator", "execution_date"): "logical_date=",  # NF41736; RUFF
}
# trigger_rule values.
TRIGGER_RULES: Dict[str, str] = {
    "dummy": "always",  # NF41761
    "none_failed_or_skipped": "none_failed_min_one_success",  # NF41761
}

# --- Task context keys -------------------------------------------------------------------------
# Absent from the Airflow 3 Context (CONTEXT); the list: NF43902, NF44820, UG_BREAKING, RUFF.
REMOVED_CONTEXT_KEYS: Dict[str, str] = {
    "execution_date": "logical_date (None for manual and asset-triggered runs)",  # NF43902; RN_CONTEXT
    "next_execution_date": "data_interval_end",  # NF43902
    "next_ds": "data_interval_end | ds",  # NF43902
    "next_ds_nodash": "data_interval_end | ds_nodash",  # NF43902
    "prev_execution_date": "prev_data_interval_start_success or data_interval_start, as the timetable allows",  # NF43902
    "prev_ds": "prev_data_interval_start_success | ds, as the timetable allows",  # NF43902
    "prev_ds_nodash": "prev_data_interval_start_success | ds_nodash, as the timetable allows",  # NF43902
    "prev_execution_date_success": "prev_data_interval_start_success",  # NF43902
    "tomorrow_ds": "macros.ds_add(ds, 1)",  # NF43902
    "tomorrow_ds_nodash": "macros.ds_add(ds, 1) | replace('-', '')",  # UG_BREAKING
    "yesterday_ds": "macros.ds_add(ds, -1)",  # NF43902
    "yesterday_ds_nodash": "macros.ds_add(ds, -1) | replace('-', '')",  # NF43902
    "conf": "read settings in code (from airflow.sdk import conf); ti.log_url for the UI address",  # NF44820; RN_CONTEXT
}

JINJA_BLOCK = re.compile(r"\{\{(.*?)\}\}|\{%(.*?)%\}", re.S)
JINJA_STRING = re.compile(r"'(?:\\.|[^'\\])*'|\"(?:\\.|[^\"\\])*\"")
IDENTIFIER = re.compile(r"(?<![\w.])[A-Za-z_]\w*")
CONTEXT_NAMES = {"context", "ctx"}


class Finding(NamedTuple):
    path: str
    line: int
    what: str
    replacement: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what} — {self.replacement}"


def describe(name: str, status: str) -> str:
    if status == "removed":
        return f"`{name}` is removed in Airflow 3"
    if status == "deprecated":
        return f"`{name}` is a deprecated alias in Airflow 3 (goes in a later version)"
    return f"`{name}` is not the Airflow 3 authoring interface (airflow.sdk)"


def module_rule(module: str) -> Optional[Tuple[str, str]]:
    if module in MODULES:
        return MODULES[module]
    for prefix, rule in MODULE_PREFIXES.items():
        if module == prefix or module.startswith(prefix + "."):
            return rule
    for package in CORE_PACKAGES:
        if module.startswith(package + "."):
            return CORE_PACKAGE_RULE
    return None


def dotted(node: ast.AST) -> Optional[str]:
    """`a.b.c` for a Name/Attribute chain, the callee's for a Call, else None."""
    if isinstance(node, ast.Call):
        return dotted(node.func)
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


def is_task_decorator(node: ast.AST) -> bool:
    name = dotted(node)
    return name is not None and (name == "task" or name.startswith("task.") or name.endswith(".task"))


def string_value(node: Optional[ast.AST]) -> Optional[str]:
    if sys.version_info < (3, 9) and isinstance(node, ast.Index):
        node = node.value  # type: ignore[attr-defined]
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


class DagChecker(ast.NodeVisitor):
    def __init__(self, path: str, source: str, tree: ast.Module) -> None:
        self.path = path
        self.source = source
        self.findings: List[Finding] = []
        # Functions handed to operators as python_callable: their parameters are context keys.
        self.callables: Set[str] = {
            kw.value.id
            for node in ast.walk(tree) if isinstance(node, ast.Call)
            for kw in node.keywords if kw.arg == "python_callable" and isinstance(kw.value, ast.Name)
        }
        self.context_names: List[Set[str]] = [set()]

    def add(self, node: ast.AST, what: str, replacement: str, line: Optional[int] = None) -> None:
        self.findings.append(Finding(self.path, line or getattr(node, "lineno", 1), what, replacement))

    # Imports
    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            rule = module_rule(alias.name)
            if rule:
                self.add(node, describe(alias.name, rule[0]), rule[1])

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level or not node.module:
            return
        rule = module_rule(node.module)
        if rule:
            self.add(node, describe(node.module, rule[0]), rule[1])
            return
        for alias in node.names:
            full = f"{node.module}.{alias.name}"
            rule = NAMES.get(full) or module_rule(full)
            if rule:
                self.add(node, describe(full, rule[0]), rule[1])

    # Calls: DAG / operator arguments, context.get("key")
    def visit_Call(self, node: ast.Call) -> None:
        callee = dotted(node.func) or ""
        short = callee.rsplit(".", 1)[-1]
        keywords = {kw.arg: kw for kw in node.keywords if kw.arg}
        if short in ("DAG", "dag"):
            for arg, replacement in DAG_ARGS.items():
                if arg in keywords:
                    self.add(keywords[arg].value, f"DAG argument `{arg}` is removed in Airflow 3", replacement)
        elif short.endswith(("Operator", "Sensor")) or "task_id" in keywords or is_task_decorator(node.func):
            for arg, replacement in OPERATOR_ARGS.items():
                if arg in keywords:
                    self.add(keywords[arg].value, f"operator argument `{arg}` is removed in Airflow 3", replacement)
            for (cls, arg), replacement in CLASS_ARGS.items():
                if short == cls and arg in keywords:
                    self.add(keywords[arg].value, f"{cls} argument `{arg}` is removed in Airflow 3", replacement)
        if "default_args" in keywords:
            self.check_default_args(keywords["default_args"].value)
        rule_value = keywords.get("trigger_rule")
        if rule_value is not None and string_value(rule_value.value) in TRIGGER_RULES:
            value = string_value(rule_value.value)
            self.add(rule_value.value, f'trigger rule "{value}" is removed in Airflow 3', f'"{TRIGGER_RULES[str(value)]}"')
        # context.get("execution_date")
        if isinstance(node.func, ast.Attribute) and node.func.attr == "get" and self.is_context(node.func.value) and node.args:
            self.check_context_key(node.args[0])
        self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        if any(isinstance(t, ast.Name) and t.id == "default_args" for t in node.targets):
            self.check_default_args(node.value)
        self.generic_visit(node)

    def check_default_args(self, node: ast.AST) -> None:
        if not isinstance(node, ast.Dict):
            return
        for key in node.keys:
            name = string_value(key)
            if name in OPERATOR_ARGS:
                self.add(key, f"operator argument `{name}` (in default_args) is removed in Airflow 3", OPERATOR_ARGS[name])

    def visit_Attribute(self, node: ast.Attribute) -> None:
        name = dotted(node) or ""
        if name.endswith(("TriggerRule.DUMMY", "TriggerRule.NONE_FAILED_OR_SKIPPED")):
            replacement = TRIGGER_RULES[node.attr.lower()].upper()
            self.add(node, f"`TriggerRule.{node.attr}` is removed in Airflow 3", f"TriggerRule.{replacement}")
        self.generic_visit(node)

    # Context keys: task callables' parameters, context["key"], Jinja
    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self.check_function(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self.check_function(node)

    def check_function(self, node) -> None:
        args = node.args
        if node.name in self.callables or any(is_task_decorator(d) for d in node.decorator_list):
            for arg in [*getattr(args, "posonlyargs", []), *args.args, *args.kwonlyargs]:
                if arg.arg in REMOVED_CONTEXT_KEYS:
                    self.add(arg, f"task context key `{arg.arg}` (as a parameter) is removed in Airflow 3", REMOVED_CONTEXT_KEYS[arg.arg])
        names = set(self.context_names[-1]) | CONTEXT_NAMES
        if args.kwarg:
            names.add(args.kwarg.arg)
        for inner in ast.walk(node):
            if isinstance(inner, ast.Assign) and (dotted(inner.value) or "").endswith("get_current_context") and isinstance(inner.value, ast.Call):
                names.update(t.id for t in inner.targets if isinstance(t, ast.Name))
        self.context_names.append(names)
        self.generic_visit(node)
        self.context_names.pop()

    def is_context(self, node: ast.AST) -> bool:
        return isinstance(node, ast.Name) and node.id in self.context_names[-1]

    def visit_Subscript(self, node: ast.Subscript) -> None:
        if self.is_context(node.value):
            self.check_context_key(node.slice)
        self.generic_visit(node)

    def check_context_key(self, node: ast.AST) -> None:
        key = string_value(node)
        if key in REMOVED_CONTEXT_KEYS:
            self.add(node, f"task context key `{key}` is removed in Airflow 3", REMOVED_CONTEXT_KEYS[key])

    def visit_Constant(self, node: ast.Constant) -> None:
        if not isinstance(node.value, str) or "{" not in node.value:
            return
        # Search the source text, so that line numbers are exact in multi-line strings.
        text = ast.get_source_segment(self.source, node) or node.value
        for block in JINJA_BLOCK.finditer(text):
            start = block.start(1) if block.group(1) is not None else block.start(2)
            body = JINJA_STRING.sub(lambda m: " " * len(m.group(0)), block.group(1) or block.group(2) or "")
            for ident in IDENTIFIER.finditer(body):
                key = ident.group(0)
                if key in REMOVED_CONTEXT_KEYS:
                    line = node.lineno + text[: start + ident.start()].count("\n")
                    self.add(node, f"template variable `{key}` is removed in Airflow 3", REMOVED_CONTEXT_KEYS[key], line)


def check_file(path: str, pyc_dir: str) -> List[Finding]:
    try:
        py_compile.compile(path, cfile=os.path.join(pyc_dir, "check.pyc"), doraise=True)
    except py_compile.PyCompileError as error:
        exc = error.exc_value
        line = getattr(exc, "lineno", None) or 1
        message = getattr(exc, "msg", None) or str(exc)
        return [Finding(path, line, f"does not compile: {error.exc_type_name}: {message}", "fix it: the DAG processor cannot import this file")]
    with tokenize.open(path) as handle:  # honours a coding cookie, like the compiler
        source = handle.read()
    tree = ast.parse(source, filename=path)
    checker = DagChecker(path, source, tree)
    checker.visit(tree)
    return checker.findings


def python_files(target: str) -> Iterable[str]:
    if os.path.isfile(target):
        yield target
        return
    for folder, dirs, files in os.walk(target):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not d.startswith("."))
        for name in sorted(files):
            if name.endswith(".py"):
                yield os.path.join(folder, name)


def main(argv: Optional[List[str]] = None) -> int:
    default = os.path.relpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "dags"))
    parser = argparse.ArgumentParser(
        prog="check-dags.py",
        description="Report DAG code that Airflow 3 removed or moved, and files that do not compile.",
    )
    parser.add_argument("targets", nargs="*", metavar="folder", help=f"folders (or .py files) to check; default: {default}")
    options = parser.parse_args(argv)
    targets = options.targets or [default]
    for target in targets:
        if not os.path.exists(target):
            parser.error(f"no such file or folder: {target}")
    findings: List[Finding] = []
    with tempfile.TemporaryDirectory(prefix="check-dags-") as pyc_dir:
        for target in targets:
            for path in python_files(target):
                findings.extend(check_file(path, pyc_dir))
    unique = sorted(set(findings), key=lambda f: (f.path, f.line, f.what))
    for finding in unique:
        print(finding)
    return 1 if unique else 0


if __name__ == "__main__":
    sys.exit(main())
