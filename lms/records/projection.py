"""The progress projection: where each learner stands on each activity, computed from
their statements as they are stored. The storing transaction applies each new statement
exactly once, a whole batch at a time: a handful of queries per batch, not per statement.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone

from lms.org.models import User

from . import vocab
from .builder import statement_build
from .models import ActivityRequirement, Progress, Statement
from .selectors import requirement_met

_FIELDS = ["completed", "success", "score_scaled", "completed_at", "updated_at"]


@dataclass
class _Change:
    """What a batch's statements say about one learner × activity."""

    completed_at: Any = None
    passed: bool = False
    failed: bool = False
    best_score: float | None = None
    registration: Any = None


def _changes(rows: Sequence[Statement]) -> dict[tuple[int, str], _Change]:
    changes: dict[tuple[int, str], _Change] = defaultdict(_Change)
    for row in rows:
        if row.user_id is None or not row.activity_id or row.verb_id == vocab.ANSWERED:
            # An answer to one question is evidence, not progress: no row per question.
            continue
        result = row.payload.get("result") or {}
        change = changes[(row.user_id, row.activity_id)]
        change.registration = change.registration or row.registration
        # A pass is not a completion (cmi5 moveOn tells them apart): our quiz says both.
        if row.verb_id == vocab.COMPLETED or result.get("completion") is True:
            change.completed_at = min(filter(None, [change.completed_at, row.timestamp]))
        if row.verb_id == vocab.PASSED or result.get("success") is True:
            change.passed = True
        elif row.verb_id == vocab.FAILED or result.get("success") is False:
            change.failed = True
        scaled = (result.get("score") or {}).get("scaled")
        if scaled is not None and (change.best_score is None or scaled > change.best_score):
            change.best_score = scaled
    return changes


def _lock(pairs: Sequence[tuple[int, str]]) -> dict[tuple[int, str], Progress]:
    # One clause per activity (a batch usually holds a few activities for many learners):
    # a clause per pair nests too deep for SQLite past a few hundred pairs.
    users_of: dict[str, set[int]] = defaultdict(set)
    for user_id, activity in pairs:
        users_of[activity].add(user_id)
    condition = Q()
    for activity, user_ids in users_of.items():
        condition |= Q(activity_id=activity, user_id__in=sorted(user_ids))
    locked = Progress.objects.select_for_update().filter(condition).order_by("pk")
    return {(row.user_id, row.activity_id): row for row in locked}


def _locked_rows(pairs: Sequence[tuple[int, str]]) -> dict[tuple[int, str], Progress]:
    """The progress rows of these pairs, created when missing, locked for this
    transaction (a racing batch waits, then sees what this one wrote)."""
    rows = _lock(pairs)
    missing = sorted(set(pairs) - set(rows))
    if missing:
        # Inserted in one order by every batch, so two batches never wait on each other
        # in a circle; a row another batch inserted meanwhile is simply skipped here.
        Progress.objects.bulk_create(
            [Progress(user_id=user, activity_id=activity) for user, activity in missing],
            ignore_conflicts=True)
        rows.update(_lock(missing))
    return rows


def project(rows: Sequence[Statement]) -> list[dict[str, Any]]:
    """Apply newly stored statements to their learners' progress rows. Returns the
    statements the LMS must now record: the completion of every parent activity (course)
    whose requirements a learner now all meets."""
    changes = _changes(rows)
    if not changes:
        return []
    progress = _locked_rows(list(changes))
    now = timezone.now()
    moved: dict[tuple[int, str], Any] = {}
    updated = []
    for pair, change in changes.items():
        row = progress[pair]
        before = (row.completed, row.completed_at, row.success, row.score_scaled)
        was_completed, was_success = row.completed, row.success
        if change.completed_at is not None:
            row.completed = True
            row.completed_at = min(filter(None, [row.completed_at, change.completed_at]))
        if change.passed:
            row.success = True
        elif change.failed and row.success is not True:
            row.success = False
        if change.best_score is not None and (
                row.score_scaled is None or change.best_score > row.score_scaled):
            row.score_scaled = change.best_score
        if (row.completed, row.completed_at, row.success, row.score_scaled) != before:
            row.updated_at = now
            updated.append(row)
        if (row.completed and not was_completed) or (row.success and not was_success):
            moved[pair] = change.registration
    if updated:
        Progress.objects.bulk_update(updated, _FIELDS)
    return _parent_completions(moved) if moved else []


def _parent_completions(moved: dict[tuple[int, str], Any]) -> list[dict[str, Any]]:
    """``completed`` statements for every parent activity a learner now completes."""
    parents_of: dict[str, set[str]] = defaultdict(set)
    for requirement in ActivityRequirement.objects.filter(
            child_id__in={activity for _user, activity in moved}):
        parents_of[requirement.child_id].add(requirement.parent_id)
    candidates: dict[tuple[int, str], Any] = {}
    for (user_id, activity), registration in moved.items():
        for parent in parents_of.get(activity, ()):
            candidates.setdefault((user_id, parent), registration)
    if not candidates:
        return []
    parents = {parent for _user, parent in candidates}
    users = {user for user, _parent in candidates}
    requirements: dict[str, list[ActivityRequirement]] = defaultdict(list)
    for requirement in ActivityRequirement.objects.filter(parent_id__in=parents):
        requirements[requirement.parent_id].append(requirement)
    children = {r.child_id for reqs in requirements.values() for r in reqs}
    rows = {(row.user_id, row.activity_id): row for row in Progress.objects.filter(
        user_id__in=users, activity_id__in=children | parents)}
    learners = User.objects.in_bulk(users)
    derived = []
    for (user_id, parent), registration in sorted(candidates.items()):
        done = rows.get((user_id, parent))
        if done is not None and done.completed:
            continue
        if all(requirement_met(rows.get((user_id, r.child_id)), r.rule)
               for r in requirements[parent]):
            derived.append(statement_build(
                user=learners[user_id], verb_id=vocab.COMPLETED, activity_id=parent,
                result={"completion": True}, registration=registration,
            ))
    return derived
