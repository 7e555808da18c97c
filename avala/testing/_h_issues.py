"""Annotation issues (per sequence, per dataset, per task), QC tool catalog, annotation bulk edits.

Issues carry an extra `task` field (not in the official model) so `GET /annotation-issues/?task=`
can serve the SDK user page's `annotation_issues.list(task_id=...)`. Unknown tool / problem uids
are accepted and echoed (the catalog is reference data, not something a test should need).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from ._context import Ctx, Reply, created, no_content, ok
from ._crud import apply_patch, make, page
from ._h_datasets import dataset_by_slug
from ._routes import Router
from ._store import Obj, public
from ._validate import F, validate
from ._wire import ApiError

__all__ = ["ISSUE", "QC_TOOLS", "nested_problem", "nested_tool", "register"]

QC_TOOLS: list[dict[str, Any]] = [
    {
        "uid": "qc-tool-classification",
        "name": "Classification",
        "dataset_type": "image",
        "default": True,
        "problems": [
            {"uid": "qc-problem-wrong-class", "title": "Wrong class"},
            {"uid": "qc-problem-missing-attribute", "title": "Missing attribute"},
        ],
    },
    {
        "uid": "qc-tool-bounding-box",
        "name": "Bounding box",
        "dataset_type": "image",
        "default": False,
        "problems": [
            {"uid": "qc-problem-loose-box", "title": "Box is not tight"},
            {"uid": "qc-problem-missing-object", "title": "Missing object"},
        ],
    },
    {
        "uid": "qc-tool-cuboid",
        "name": "Cuboid",
        "dataset_type": "lidar",
        "default": True,
        "problems": [
            {"uid": "qc-problem-wrong-class", "title": "Wrong class"},
            {"uid": "qc-problem-bad-heading", "title": "Wrong heading"},
            {"uid": "qc-problem-missing-object", "title": "Missing object"},
        ],
    },
    {
        "uid": "qc-tool-tracking",
        "name": "Tracking",
        "dataset_type": "video",
        "default": True,
        "problems": [{"uid": "qc-problem-id-switch", "title": "Track id switch"}],
    },
]

ISSUE: dict[str, Any] = {
    "dataset_item_uid": None,
    "sequence_uid": None,
    "project": None,
    "reporter": None,
    "priority": "medium",
    "severity": "minor",
    "description": None,
    "status": "open",
    "tool": None,
    "problem": None,
    "wrong_class": None,
    "correct_class": None,
    "should_re_annotate": None,
    "should_delete": None,
    "frames_affected": None,
    "coordinates": None,
    "query_params": None,
    "created_at": None,
    "closed_at": None,
    "object_uid": None,
    "task": None,
}

_CLOSED = ("closed", "resolved")


def nested_tool(uid: str) -> dict[str, Any]:
    for tool in QC_TOOLS:
        if tool["uid"] == uid:
            return {"uid": uid, "name": tool["name"], "default": tool["default"]}
    return {"uid": uid, "name": uid, "default": False}


def nested_problem(uid: str) -> dict[str, Any]:
    for tool in QC_TOOLS:
        for problem in tool["problems"]:
            if problem["uid"] == uid:
                return dict(problem)
    return {"uid": uid, "title": uid}


def _reporter(user: Obj) -> dict[str, Any]:
    full = " ".join(p for p in (user.get("first_name"), user.get("last_name")) if p) or None
    return {
        "username": user["username"],
        "picture": None,
        "full_name": full,
        "type": "customer",
        "is_staff": False,
    }


_CREATE = {
    "tool_uid": F("str", required=True),
    "problem_uid": F("str", required=True),
    "sequence_uid": F("str", required=True),
    "dataset_item_uid": F("str", nullable=True),
    "project_uid": F("str", nullable=True),
    "priority": F("str", nullable=True),
    "severity": F("str", nullable=True),
    "description": F("str", nullable=True),
    "wrong_class": F("str", nullable=True),
    "correct_class": F("str", nullable=True),
    "should_re_annotate": F("bool", nullable=True),
    "should_delete": F("bool", nullable=True),
    "frames_affected": F("str", nullable=True),
    "coordinates": F("json", nullable=True),
    "query_params": F("dict", nullable=True),
    "object_uid": F("str", nullable=True),
    "task": F("str", nullable=True),
}

_UPDATE = {
    "status": F("str"),
    "priority": F("str"),
    "severity": F("str"),
    "description": F("str", nullable=True),
    "tool_uid": F("str"),
    "problem_uid": F("str"),
    "wrong_class": F("str", nullable=True),
    "frames_affected": F("str", nullable=True),
}


def _create(ctx: Ctx) -> Reply:
    values = validate(ctx.body(), _CREATE)
    if values["sequence_uid"] != ctx.params["sequence_uid"]:
        raise ApiError.field("sequence_uid", "Does not match the sequence in the URL.")
    project = None
    if values.get("project_uid"):
        found = ctx.col("projects").get(values["project_uid"])
        if found is None:
            raise ApiError.field("project_uid", "Project not found.")
        project = {"uid": found["uid"], "name": found["name"]}
    task = values.pop("task", None)
    if task and task not in ctx.col("tasks"):
        raise ApiError.field("task", f'Invalid pk "{task}" - object does not exist.')
    fields = {
        k: v for k, v in values.items() if k not in ("tool_uid", "problem_uid", "project_uid")
    }
    fields = {k: v for k, v in fields.items() if v is not None}
    obj = make(
        ctx.store,
        ISSUE,
        {
            **fields,
            "project": project,
            "task": task,
            "tool": nested_tool(values["tool_uid"]),
            "problem": nested_problem(values["problem_uid"]),
            "reporter": _reporter(ctx.user),
        },
    )
    ctx.col("annotation_issues").add(obj)
    return created(public(obj))


def _issue(ctx: Ctx) -> Obj:
    obj = ctx.get_or_404("annotation_issues", ctx.params["issue_uid"])
    if obj["sequence_uid"] != ctx.params["sequence_uid"]:
        raise ApiError.not_found()
    return obj


def _update(ctx: Ctx) -> Reply:
    obj = _issue(ctx)
    values = apply_patch(ctx, obj, _UPDATE)
    if "tool_uid" in values:
        obj["tool"] = nested_tool(obj.pop("tool_uid"))
    if "problem_uid" in values:
        obj["problem"] = nested_problem(obj.pop("problem_uid"))
    if "status" in values:
        obj["closed_at"] = ctx.now() if values["status"] in _CLOSED else None
    return ok(public(obj))


def _delete(ctx: Ctx) -> Reply:
    ctx.col("annotation_issues").remove(_issue(ctx)["uid"])
    return no_content()


def _by_sequence(ctx: Ctx) -> Reply:
    seq = ctx.params["sequence_uid"]
    item, project = ctx.q("dataset_item_uid"), ctx.q("project_uid")
    found = [
        public(o)
        for o in ctx.col("annotation_issues")
        if o["sequence_uid"] == seq
        and (item is None or o["dataset_item_uid"] == item)
        and (project is None or (o["project"] or {}).get("uid") == project)
    ]
    return ok(found)


def _dataset_issues(ctx: Ctx) -> list[Obj]:
    uid = dataset_by_slug(ctx, ctx.params["owner"], ctx.params["slug"])["uid"]
    sequences = {s["uid"] for s in ctx.col("dataset_sequences") if s["dataset_uid"] == uid}
    items = {i["uid"] for i in ctx.col("dataset_items") if i["dataset"] == uid}
    wanted = ctx.q("sequence_uid")
    return [
        o
        for o in ctx.col("annotation_issues")
        if (o["sequence_uid"] in sequences or o["dataset_item_uid"] in items)
        and (wanted is None or o["sequence_uid"] == wanted)
    ]


def _by_dataset(ctx: Ctx) -> Reply:
    return ok([public(o) for o in _dataset_issues(ctx)])


def _metrics(ctx: Ctx) -> Reply:
    issues = _dataset_issues(ctx)
    problems = Counter((o["problem"] or {}).get("uid") for o in issues)
    open_issues = [o for o in issues if o["status"] not in _CLOSED]
    return ok(
        {
            "status_count": dict(Counter(o["status"] for o in issues)),
            "priority_count": dict(Counter(o["priority"] for o in issues)),
            "severity_count": dict(Counter(o["severity"] for o in issues)),
            "mean_seconds_close_time_all": 3600 if len(open_issues) < len(issues) else None,
            "mean_seconds_close_time_customer": None,
            "mean_unresolved_issue_age_all": 86400 if open_issues else None,
            "mean_unresolved_issue_age_customer": None,
            "object_count_by_annotation_issue_problem_uid": [
                {"problem_uid": uid, "count": n} for uid, n in problems.items() if uid
            ],
        }
    )


def _by_task(ctx: Ctx) -> Reply:
    wanted = {name: ctx.q(name) for name in ("task", "status", "sequence_uid")}
    wanted = {name: value for name, value in wanted.items() if value is not None}
    return page(ctx, "annotation_issues", [lambda o: all(o[k] == v for k, v in wanted.items())])


def _tools(ctx: Ctx) -> Reply:
    kind = ctx.q("dataset_type")
    if kind is None:
        raise ApiError.field("dataset_type", "This field is required.")
    return ok([t for t in QC_TOOLS if t["dataset_type"] == kind])


def _bulk_edit(ctx: Ctx) -> Reply:
    dataset = dataset_by_slug(ctx, ctx.params["owner"], ctx.params["slug"])
    edits = ctx.body()
    if not isinstance(edits, list):
        kind = "dict" if isinstance(edits, dict) else type(edits).__name__
        raise ApiError(
            400, {"non_field_errors": [f'Expected a list of items but got type "{kind}".']}
        )
    errors: list[dict[str, Any]] = []
    for edit in edits:
        try:
            validate(edit, {"action": F("str", required=True)})
            errors.append({})
        except ApiError as exc:
            errors.append(exc.body)
    if any(errors):
        raise ApiError(400, errors)  # a ListSerializer answers with one error dict per item
    col = ctx.col("annotation_edits")
    for edit in edits:
        col.add({**edit, "uid": ctx.store.uids.uuid(), "_dataset": dataset["uid"]})
    return ok({"updated": len(edits)})


def register(router: Router) -> None:
    router.add("GET", "/sequences/{sequence_uid}/annotation-issues/", _by_sequence)
    router.add("POST", "/sequences/{sequence_uid}/annotation-issues/", _create)
    router.add("PATCH", "/sequences/{sequence_uid}/annotation-issues/{issue_uid}/", _update)
    router.add("DELETE", "/sequences/{sequence_uid}/annotation-issues/{issue_uid}/", _delete)
    router.add("GET", "/datasets/{owner}/{slug}/annotation-issues/", _by_dataset)
    router.add("GET", "/datasets/{owner}/{slug}/annotation-issues/metrics/", _metrics)
    router.add("GET", "/annotation-issues/", _by_task)
    router.add("GET", "/qc-available-tools/", _tools)
    router.add("POST", "/datasets/{owner}/{slug}/bulk-edition/", _bulk_edit)
