"""The progress projection: where each learner stands on each activity, computed from
their statements as they are stored (each new statement is applied exactly once, by the
storing transaction)."""

from __future__ import annotations

from typing import Any

from . import vocab
from .builder import statement_build
from .models import ActivityRequirement, Progress, Statement
from .selectors import requirement_met


def project(stored: Statement) -> list[dict[str, Any]]:
    """Apply one newly stored statement to the learner's progress row for its activity.
    Returns the statements the LMS must now record: the completion of every parent
    activity (course) whose requirements the learner now all meets."""
    payload = stored.payload
    result = payload.get("result") or {}
    verb = stored.verb_id
    row, _created = Progress.objects.select_for_update().get_or_create(
        user_id=stored.user_id, activity_id=stored.activity_id)
    was_completed, was_success = row.completed, row.success
    # A pass is not a completion (cmi5 moveOn tells them apart): our quiz says both.
    if verb == vocab.COMPLETED or result.get("completion") is True:
        row.completed = True
        row.completed_at = min(filter(None, [row.completed_at, stored.timestamp]))
    if verb == vocab.PASSED or result.get("success") is True:
        row.success = True
    elif (verb == vocab.FAILED or result.get("success") is False) and row.success is not True:
        row.success = False
    scaled = (result.get("score") or {}).get("scaled")
    if scaled is not None and (row.score_scaled is None or scaled > row.score_scaled):
        row.score_scaled = scaled
    row.save()
    if (row.completed and not was_completed) or (row.success and not was_success):
        return _parent_completions(stored)
    return []


def _parent_completions(stored: Statement) -> list[dict[str, Any]]:
    """``completed`` statements for every parent activity the learner now completes."""
    parent_ids = set(
        ActivityRequirement.objects.filter(child_id=stored.activity_id).values_list(
            "parent_id", flat=True)
    )
    derived = []
    for parent_id in sorted(parent_ids):
        if Progress.objects.filter(user_id=stored.user_id, activity_id=parent_id,
                                   completed=True).exists():
            continue
        requirements = list(ActivityRequirement.objects.filter(parent_id=parent_id))
        rows = {
            row.activity_id: row
            for row in Progress.objects.filter(
                user_id=stored.user_id, activity_id__in=[r.child_id for r in requirements])
        }
        if all(requirement_met(rows.get(r.child_id), r.rule) for r in requirements):
            derived.append(statement_build(
                user=stored.user, verb_id=vocab.COMPLETED, activity_id=parent_id,
                result={"completion": True}, registration=stored.registration,
            ))
    return derived
