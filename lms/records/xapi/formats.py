"""The ``format`` parameter of statement GETs: exact (as stored), ids (identifiers only)
and canonical (one language per language map, chosen by Accept-Language)."""

from __future__ import annotations

from typing import Any

from .agents import IFI_PROPERTIES

_LANGUAGE_MAP_KEYS = frozenset({"display", "name", "description"})


def _agent_ids(agent: Any) -> Any:
    if not isinstance(agent, dict):
        return agent
    out: dict[str, Any] = {"objectType": agent.get("objectType", "Agent")}
    identified = False
    for name in IFI_PROPERTIES:
        if name in agent:
            out[name] = agent[name]
            identified = True
    if out["objectType"] == "Group" and not identified:
        out["member"] = [_agent_ids(m) for m in agent.get("member") or []]
    return out


def _activity_ids(activity: Any) -> Any:
    if not isinstance(activity, dict):
        return activity
    return {"id": activity.get("id")}


def _object_ids(obj: dict[str, Any]) -> dict[str, Any]:
    kind = obj.get("objectType", "Activity")
    if kind == "Activity":
        return _activity_ids(obj)
    if kind in ("Agent", "Group"):
        return _agent_ids(obj)
    if kind == "SubStatement":
        return _statement_ids(obj)
    return obj


def _context_ids(context: dict[str, Any]) -> dict[str, Any]:
    context = dict(context)
    for name in ("instructor", "team"):
        if name in context:
            context[name] = _agent_ids(context[name])
    if "contextActivities" in context:
        context["contextActivities"] = {
            key: [_activity_ids(a) for a in value] if isinstance(value, list)
            else _activity_ids(value)
            for key, value in context["contextActivities"].items()
        }
    if "contextAgents" in context:
        context["contextAgents"] = [
            {**entry, "agent": _agent_ids(entry.get("agent"))}
            for entry in context["contextAgents"]]
    if "contextGroups" in context:
        context["contextGroups"] = [
            {**entry, "group": _agent_ids(entry.get("group"))}
            for entry in context["contextGroups"]]
    return context


def _statement_ids(statement: dict[str, Any]) -> dict[str, Any]:
    out = dict(statement)
    out["actor"] = _agent_ids(statement.get("actor"))
    if isinstance(statement.get("verb"), dict):
        out["verb"] = {"id": statement["verb"].get("id")}
    if isinstance(statement.get("object"), dict):
        out["object"] = _object_ids(statement["object"])
    if isinstance(statement.get("context"), dict):
        out["context"] = _context_ids(statement["context"])
    if "authority" in statement:
        out["authority"] = _agent_ids(statement["authority"])
    return out


def _pick_language(language_map: dict[str, Any], accepted: list[str]) -> dict[str, Any]:
    if not language_map:
        return language_map
    lowered = {key.lower(): key for key in language_map}
    for wanted in accepted:
        wanted = wanted.lower()
        if wanted in lowered:
            key = lowered[wanted]
            return {key: language_map[key]}
        for low, key in lowered.items():
            if low.split("-")[0] == wanted.split("-")[0]:
                return {key: language_map[key]}
    if "und" in language_map:
        return {"und": language_map["und"]}
    key = next(iter(language_map))
    return {key: language_map[key]}


def _canonical(value: Any, accepted: list[str]) -> Any:
    if isinstance(value, list):
        return [_canonical(item, accepted) for item in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for key, item in value.items():
        if key == "extensions":
            out[key] = item
        elif key in _LANGUAGE_MAP_KEYS and isinstance(item, dict) and all(
                isinstance(v, str) for v in item.values()):
            out[key] = _pick_language(item, accepted)
        else:
            out[key] = _canonical(item, accepted)
    return out


def accepted_languages(header: str | None) -> list[str]:
    """Language tags of an Accept-Language header, best first."""
    weighted = []
    for index, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        if not tag or tag == "*":
            continue
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        weighted.append((-quality, index, tag.strip()))
    return [tag for _q, _i, tag in sorted(weighted)]


def statement_format(statement: dict[str, Any], *, format: str,
                     languages: list[str]) -> dict[str, Any]:
    """``statement`` as the GET ``format`` asks (exact returns it unchanged)."""
    if format == "ids":
        return _statement_ids(statement)
    if format == "canonical":
        return _canonical(statement, languages)
    return statement
