"""Project-scoped quality routes: consensus (summary, scores, compute, config) and quality targets.

`evaluate` computes a deterministic value per metric (the consensus mean for consensus metrics,
otherwise a stable hash of project + metric in [0.5, 1.0)), so breaches are reproducible.
"""

from __future__ import annotations

import statistics
import zlib
from typing import Any

from ._context import Ctx, Reply, created, no_content, ok
from ._crud import apply_patch, make, page
from ._routes import Router
from ._store import Obj, public
from ._validate import F, validate
from ._wire import ApiError

__all__ = ["CONSENSUS_CONFIG", "CONSENSUS_SCORE", "QUALITY_TARGET", "register"]

CONSENSUS_CONFIG: dict[str, Any] = {
    "iou_threshold": 0.5,
    "min_agreement_ratio": 0.5,
    "min_annotations": 2,
    "project": None,
    "created_at": None,
    "updated_at": None,
}

CONSENSUS_SCORE: dict[str, Any] = {
    "dataset_item_uid": None,
    "task_name": None,
    "score_type": "iou",
    "score": 0.0,
    "annotator_count": 2,
    "details": None,
    "project": None,
    "created_at": None,
}

QUALITY_TARGET: dict[str, Any] = {
    "name": None,
    "metric": None,
    "operator": "gte",
    "threshold": 0.0,
    "severity": "warning",
    "is_active": True,
    "notify_webhook": True,
    "notify_emails": [],
    "last_evaluated_at": None,
    "last_value": None,
    "is_breached": False,
    "breach_count": 0,
    "last_breached_at": None,
    "project": None,
    "created_at": None,
    "updated_at": None,
}

OPERATORS = ("gte", "gt", "lte", "lt", "eq")


def _project(ctx: Ctx) -> Obj:
    return ctx.get_or_404("projects", ctx.params["project_uid"])


def _scores(ctx: Ctx, project: str) -> list[Obj]:
    return [s for s in ctx.col("consensus_scores") if s["project"] == project]


# -- consensus -------------------------------------------------------------------------------


def _summary(ctx: Ctx) -> Reply:
    uid = _project(ctx)["uid"]
    scores = _scores(ctx, uid)
    values = [float(s["score"]) for s in scores]
    ratio = float(_config(ctx, uid)["min_agreement_ratio"])
    buckets = {"0.0-0.2": 0, "0.2-0.4": 0, "0.4-0.6": 0, "0.6-0.8": 0, "0.8-1.0": 0}
    for value in values:
        buckets[list(buckets)[min(4, int(value * 5))]] += 1
    by_task: dict[str, list[float]] = {}
    for s in scores:
        by_task.setdefault(s["task_name"], []).append(float(s["score"]))
    return ok(
        {
            "mean_score": round(statistics.fmean(values), 4) if values else 0.0,
            "median_score": round(statistics.median(values), 4) if values else 0.0,
            "min_score": min(values, default=0.0),
            "max_score": max(values, default=0.0),
            "total_items": len({s["dataset_item_uid"] for s in scores}),
            "items_with_consensus": len(
                {s["dataset_item_uid"] for s in scores if float(s["score"]) >= ratio}
            ),
            "score_distribution": buckets,
            "by_task_name": [
                {"task_name": name, "mean_score": round(statistics.fmean(v), 4), "count": len(v)}
                for name, v in by_task.items()
            ],
        }
    )


def _list_scores(ctx: Ctx) -> Reply:
    uid = _project(ctx)["uid"]
    return page(ctx, "consensus_scores", [lambda s: s["project"] == uid])


def _compute(ctx: Ctx) -> Reply:
    _project(ctx)
    return ok({"status": "started", "message": "Consensus computation started."})


def _config(ctx: Ctx, project: str) -> Obj:
    configs = ctx.col("consensus_configs")
    found = configs.find(lambda c: c["project"] == project)
    if found is None:
        found = configs.add(make(ctx.store, CONSENSUS_CONFIG, {"project": project}))
    return found


def _get_config(ctx: Ctx) -> Reply:
    return ok(public(_config(ctx, _project(ctx)["uid"])))


_CONFIG = {
    "iou_threshold": F("float", min=0, max=1),
    "min_agreement_ratio": F("float", min=0, max=1),
    "min_annotations": F("int", min=1),
}


def _put_config(ctx: Ctx) -> Reply:
    obj = _config(ctx, _project(ctx)["uid"])
    apply_patch(ctx, obj, _CONFIG)  # the SDK sends a partial body with PUT
    return ok(public(obj))


# -- quality targets --------------------------------------------------------------------------

_TARGET = {
    "name": F("str", required=True),
    "metric": F("str", required=True),
    "threshold": F("float", required=True),
    "operator": F("str", choices=OPERATORS, default="gte"),
    "severity": F("str", nullable=True, default="warning"),
    "is_active": F("bool", default=True),
    "notify_webhook": F("bool", default=True),
    "notify_emails": F("list", item="email", default=[]),
}
_TARGET_UPDATE = {
    k: F(f.kind, nullable=f.nullable, blank=not f.required, choices=f.choices, item=f.item)
    for k, f in _TARGET.items()
}


def _target(ctx: Ctx) -> Obj:
    project = _project(ctx)["uid"]
    obj = ctx.get_or_404("quality_targets", ctx.params["uid"])
    if obj["project"] != project:
        raise ApiError.not_found()
    return obj


def _list_targets(ctx: Ctx) -> Reply:
    uid = _project(ctx)["uid"]
    return page(ctx, "quality_targets", [lambda t: t["project"] == uid])


def _create_target(ctx: Ctx) -> Reply:
    uid = _project(ctx)["uid"]
    values = validate(ctx.body(), _TARGET)
    obj = make(ctx.store, QUALITY_TARGET, {**values, "project": uid})
    ctx.col("quality_targets").add(obj)
    return created(public(obj))


def _get_target(ctx: Ctx) -> Reply:
    return ok(public(_target(ctx)))


def _update_target(ctx: Ctx) -> Reply:
    obj = _target(ctx)
    apply_patch(ctx, obj, _TARGET_UPDATE)
    return ok(public(obj))


def _delete_target(ctx: Ctx) -> Reply:
    ctx.col("quality_targets").remove(_target(ctx)["uid"])
    return no_content()


def _metric_value(ctx: Ctx, project: str, metric: str) -> float:
    if "consensus" in metric:
        values = [float(s["score"]) for s in _scores(ctx, project)]
        if values:
            return round(statistics.fmean(values), 4)
    return round(0.5 + (zlib.crc32(f"{project}:{metric}".encode()) % 500) / 1000, 3)


def _breached(value: float, operator: str, threshold: float) -> bool:
    met = {
        "gte": value >= threshold,
        "gt": value > threshold,
        "lte": value <= threshold,
        "lt": value < threshold,
        "eq": value == threshold,
    }[operator]
    return not met


def _evaluate(ctx: Ctx) -> Reply:
    uid = _project(ctx)["uid"]
    now = ctx.now()
    results = []
    for target in ctx.col("quality_targets"):
        if target["project"] != uid or not target["is_active"]:
            continue
        value = _metric_value(ctx, uid, target["metric"])
        breached = _breached(value, target["operator"], float(target["threshold"]))
        target.update(last_evaluated_at=now, last_value=value, is_breached=breached)
        if breached:
            target["breach_count"] += 1
            target["last_breached_at"] = now
        results.append(
            {
                "uid": target["uid"],
                "name": target["name"],
                "metric": target["metric"],
                "operator": target["operator"],
                "threshold": float(target["threshold"]),
                "current_value": value,
                "is_breached": breached,
                "severity": target["severity"],
            }
        )
    return ok(results)


def register(router: Router) -> None:
    base = "/projects/{project_uid}"
    router.add("GET", f"{base}/consensus/", _summary)
    router.add("GET", f"{base}/consensus/scores/", _list_scores)
    router.add("POST", f"{base}/consensus/compute/", _compute)
    router.add("GET", f"{base}/consensus/config/", _get_config)
    router.add("PUT", f"{base}/consensus/config/", _put_config)
    router.add("GET", f"{base}/quality-targets/", _list_targets)
    router.add("POST", f"{base}/quality-targets/", _create_target)
    router.add("POST", f"{base}/quality-targets/evaluate/", _evaluate)
    router.add("GET", f"{base}/quality-targets/{{uid}}/", _get_target)
    router.add("PATCH", f"{base}/quality-targets/{{uid}}/", _update_target)
    router.add("DELETE", f"{base}/quality-targets/{{uid}}/", _delete_target)
