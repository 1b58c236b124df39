"""Sample xAPI statements for the validation tests: examples of the specification
(xAPI 1.0.3 Data, Appendix A and C) and of the ADL conformance suite's templates, and a
helper to change one property of a statement by its field path."""

from __future__ import annotations

import copy
import re
from typing import Any

DELETE = object()

MBOX_AGENT = {"objectType": "Agent", "name": "xAPI mbox", "mbox": "mailto:xapi@adlnet.gov"}
ACCOUNT_AGENT = {"objectType": "Agent", "name": "Người học",
                 "account": {"homePage": "https://hocso.gov.vn", "name": "100042"}}
ACTIVITY = {"objectType": "Activity", "id": "http://www.example.com/meetings/occurances/34534"}
VERB = {"id": "http://adlnet.gov/expapi/verbs/attended",
        "display": {"en-GB": "attended", "en-US": "attended"}}
STATEMENT_REF = {"objectType": "StatementRef", "id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee"}

# The specification's simple statement (Appendix A).
SIMPLE = {
    "id": "fd41c918-b88b-4b20-a0a5-a4c32391aaa0",
    "timestamp": "2015-11-18T12:17:00+00:00",
    "actor": {"objectType": "Agent", "name": "Project Tin Can API",
              "mbox": "mailto:user@example.com"},
    "verb": {"id": "http://example.com/xapi/verbs#sent-a-statement",
             "display": {"en-US": "sent"}},
    "object": {"id": "http://example.com/xapi/activity/simplestatement",
               "definition": {"name": {"en-US": "simple statement"},
                              "description": {"en-US": "A simple Experience API statement."}}},
}

# The specification's long example (Appendix A), as an LRS returns it.
LONG = {
    "id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee",
    "actor": {
        "name": "Team PB", "mbox": "mailto:teampb@example.com", "objectType": "Group",
        "member": [
            {"name": "Andrew Downes", "objectType": "Agent",
             "account": {"homePage": "http://www.example.com", "name": "13936749"}},
            {"name": "Toby Nichols", "openid": "http://toby.openid.example.org/",
             "objectType": "Agent"},
            {"name": "Ena Hills", "mbox_sha1sum": "ebd31e95054c018b10727ccffd2ef2ec3a016ee9",
             "objectType": "Agent"},
        ],
    },
    "verb": VERB,
    "result": {
        "extensions": {"http://example.com/profiles/meetings/resultextensions/minuteslocation":
                       "X:\\meetings\\minutes\\examplemeeting.one"},
        "success": True, "completion": True,
        "response": "We agreed on some example actions.", "duration": "PT1H0M0S",
    },
    "context": {
        "registration": "ec531277-b57b-4c15-8d91-d292c5b2b8f7",
        "contextActivities": {
            "parent": [{"id": "http://www.example.com/meetings/series/267",
                        "objectType": "Activity"}],
            "category": [{"id": "http://www.example.com/meetings/categories/teammeeting",
                          "objectType": "Activity",
                          "definition": {"name": {"en": "team meeting"},
                                         "type": "http://example.com/expapi/activities/"
                                                 "meetingcategory"}}],
            "other": [{"id": "http://www.example.com/meetings/occurances/34257"},
                      {"id": "http://www.example.com/meetings/occurances/3425567"}],
        },
        "instructor": {"name": "Andrew Downes", "objectType": "Agent",
                       "account": {"homePage": "http://www.example.com", "name": "13936749"}},
        "team": {"name": "Team PB", "mbox": "mailto:teampb@example.com", "objectType": "Group"},
        "platform": "Example virtual meeting software",
        "language": "tlh",
        "statement": STATEMENT_REF,
    },
    "timestamp": "2013-05-18T05:32:34.804+00:00",
    "stored": "2013-05-18T05:32:34.804+00:00",
    "authority": {"objectType": "Agent",
                  "account": {"homePage": "http://cloud.scorm.com/", "name": "anonymous"}},
    "version": "1.0.0",
    "object": {
        "id": "http://www.example.com/meetings/occurances/34534", "objectType": "Activity",
        "definition": {
            "extensions": {"http://example.com/profiles/meetings/activitydefinitionextensions/"
                           "room": {"name": "Kilby", "id": "http://example.com/rooms/342"}},
            "name": {"en-GB": "example meeting", "en-US": "example meeting"},
            "description": {"en-GB": "An example meeting.", "en-US": "An example meeting."},
            "type": "http://adlnet.gov/expapi/activities/meeting",
            "moreInfo": "http://virtualmeeting.example.com/345256",
        },
    },
}


def base() -> dict[str, Any]:
    """The suite's default statement: mbox agent, verb with display, Activity object."""
    return {"actor": copy.deepcopy(MBOX_AGENT), "verb": copy.deepcopy(VERB),
            "object": copy.deepcopy(ACTIVITY)}


def substatement() -> dict[str, Any]:
    """A statement whose object is a SubStatement (the suite's object_substatement)."""
    statement = base()
    statement["object"] = {
        "objectType": "SubStatement", "actor": copy.deepcopy(MBOX_AGENT),
        "verb": {"id": "http://adlnet.gov/expapi/verbs/reported",
                 "display": {"en-GB": "reported", "en-US": "reported"}},
        "object": copy.deepcopy(ACTIVITY),
    }
    return statement


def interaction(interaction_type: str, **components: Any) -> dict[str, Any]:
    """A statement whose object is an interaction Activity (Appendix C)."""
    statement = base()
    statement["object"]["definition"] = {
        "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
        "interactionType": interaction_type, **components,
    }
    return statement


def changed(statement: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of ``statement`` with the property at ``path`` (e.g. ``context.team`` or
    ``actor.member[0].mbox``) set to ``value``, or removed when ``value`` is DELETE;
    missing objects on the way are created."""
    result = copy.deepcopy(statement)
    parts: list[str | int] = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        parts.append(int(index) if index else name)
    node: Any = result
    for part in parts[:-1]:
        if isinstance(part, str) and part not in node:
            node[part] = {}
        node = node[part]
    if value is DELETE:
        del node[parts[-1]]
    else:
        node[parts[-1]] = copy.deepcopy(value)
    return result
