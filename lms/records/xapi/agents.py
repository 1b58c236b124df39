"""Agents and groups as the LRS compares them: by inverse functional identifier (IFI)."""

from __future__ import annotations

from typing import Any

IFI_PROPERTIES = ("mbox", "mbox_sha1sum", "openid", "account")


def ifi_key(agent: dict[str, Any]) -> str:
    """The canonical key of an agent or identified group, e.g. ``mbox:mailto:a@b.vn`` or
    ``account:https://hocso.gov.vn|3f2c…``; groups are prefixed with ``group/`` because an
    agent and a group with the same IFI are different. Empty for an anonymous group."""
    if "mbox" in agent:
        key = f"mbox:{agent['mbox']}"
    elif "mbox_sha1sum" in agent:
        key = f"sha1:{str(agent['mbox_sha1sum']).lower()}"
    elif "openid" in agent:
        key = f"openid:{agent['openid']}"
    elif "account" in agent:
        account = agent["account"]
        key = f"account:{account.get('homePage', '')}|{account.get('name', '')}"
    else:
        return ""
    return f"group/{key}" if agent.get("objectType") == "Group" else key


def account_name(agent: dict[str, Any], *, home_page: str) -> str | None:
    """The account name of an agent whose account lives on ``home_page`` (one of our
    learners), else None."""
    account = agent.get("account")
    if agent.get("objectType", "Agent") != "Agent" or not isinstance(account, dict):
        return None
    if account.get("homePage") != home_page:
        return None
    name = account.get("name")
    return name if isinstance(name, str) else None
