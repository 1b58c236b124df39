"""Agents and Groups (xAPI 1.0.3 Data 2.4.2; 2.0 section 4.2.2.1).

An Agent has exactly one inverse functional identifier (IFI: mbox, mbox_sha1sum, openid or
account). A Group is identified (exactly one IFI, members optional) or anonymous (no IFI,
members required); a Group's members are Agents, never Groups.
"""

from __future__ import annotations

from typing import Any

from .validation_common import check_array, check_object, check_string
from .validation_formats import check_iri, check_mailto, check_sha1, check_uri, fail

IFIS = ("mbox", "mbox_sha1sum", "openid", "account")
AGENT_PROPERTIES = frozenset({"objectType", "name", *IFIS})
GROUP_PROPERTIES = AGENT_PROPERTIES | {"member"}
_ACCOUNT_PROPERTIES = frozenset({"homePage", "name"})
_ACCOUNT_REQUIRED = ("homePage", "name")


def _check_ifi(agent: dict[str, Any], path: str, *, required: bool) -> bool:
    """Check the IFI of an Agent or Group; returns whether it has one."""
    found = [name for name in IFIS if name in agent]
    if len(found) > 1:
        fail(path, f"must have exactly one inverse functional identifier, not "
                   f"{' and '.join(found)}")
    if not found:
        if required:
            fail(path, "must have exactly one inverse functional identifier "
                       "(mbox, mbox_sha1sum, openid or account)")
        return False
    name = found[0]
    value = agent[name]
    if name == "mbox":
        check_mailto(value, f"{path}.mbox")
    elif name == "mbox_sha1sum":
        check_sha1(value, f"{path}.mbox_sha1sum")
    elif name == "openid":
        check_uri(value, f"{path}.openid")
    else:
        account = check_object(value, f"{path}.account", _ACCOUNT_PROPERTIES,
                               _ACCOUNT_REQUIRED)
        check_iri(account["homePage"], f"{path}.account.homePage")
        check_string(account["name"], f"{path}.account.name")
    return True


def check_agent(value: Any, path: str, *, object_type_required: bool = False) -> None:
    """An Agent (``objectType`` absent or "Agent")."""
    agent = check_object(value, path, AGENT_PROPERTIES)
    object_type = agent.get("objectType")
    if object_type is None:
        if "objectType" in agent:
            fail(f"{path}.objectType", "must not be null")
        if object_type_required:
            fail(f"{path}.objectType", "is required (Agent or Group) when the object is an "
                                       "Agent or Group")
    elif object_type != "Agent":
        fail(f"{path}.objectType", "must be Agent")
    if "name" in agent:
        check_string(agent["name"], f"{path}.name")
    _check_ifi(agent, path, required=True)


def check_group(value: Any, path: str, *, identified: bool = False) -> bool:
    """A Group (``objectType`` "Group"); returns whether it is identified (has an IFI)."""
    group = check_object(value, path, GROUP_PROPERTIES, ("objectType",))
    if group["objectType"] != "Group":
        fail(f"{path}.objectType", "must be Group")
    if "name" in group:
        check_string(group["name"], f"{path}.name")
    has_ifi = _check_ifi(group, path, required=identified)
    if "member" in group:
        members = check_array(group["member"], f"{path}.member")
        if not members and not has_ifi:
            fail(f"{path}.member", "an anonymous Group must list at least one member")
        for index, member in enumerate(members):
            member_path = f"{path}.member[{index}]"
            if isinstance(member, dict) and member.get("objectType") == "Group":
                fail(f"{member_path}.objectType", "a Group's members must be Agents, not "
                                                  "Groups")
            check_agent(member, member_path)
    elif not has_ifi:
        fail(f"{path}.member", "is required in an anonymous Group (one without an inverse "
                               "functional identifier)")
    return has_ifi


def check_actor(value: Any, path: str, *, object_type_required: bool = False) -> None:
    """An Agent or a Group, told apart by ``objectType``."""
    if isinstance(value, dict) and value.get("objectType") == "Group":
        check_group(value, path)
    elif isinstance(value, dict) and value.get("objectType") not in (None, "Agent"):
        fail(f"{path}.objectType", "must be Agent or Group")
    else:
        check_agent(value, path, object_type_required=object_type_required)


def check_identified_actor(value: Any, path: str) -> None:
    """An Agent or an identified Group: what an ``agent`` request parameter names."""
    if isinstance(value, dict) and value.get("objectType") == "Group":
        check_group(value, path, identified=True)
    else:
        check_actor(value, path)


def check_authority(value: Any, path: str) -> None:
    """An Agent, or (3-legged OAuth) an anonymous Group of exactly two Agents."""
    if isinstance(value, dict) and value.get("objectType") == "Group":
        if check_group(value, path):
            fail(path, "a Group authority must be anonymous (no inverse functional "
                       "identifier)")
        if len(value["member"]) != 2:
            fail(f"{path}.member", "a Group authority must have exactly two Agents (OAuth "
                                   "consumer and user)")
    else:
        check_actor(value, path)
