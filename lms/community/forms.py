"""The HR form of a team: a commune of the manager's subtree, the leader and the members
among the people eligible in that commune (community-team position, not left)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lms.org.models import Agency, Person

from .models import Team
from .selectors import communes_in_scope, members_eligible


class CommuneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Agency) -> str:
        return f"{obj.name} ({obj.code})"


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.full_name} · {obj.agency.name}"


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.full_name} · {obj.agency.name}"


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=255)
    commune = CommuneChoiceField(label=_("Commune, ward or special zone"),
                                 queryset=Agency.objects.none())
    leader = PersonChoiceField(label=_("Team leader"), queryset=Person.objects.none(),
                               required=False, help_text=_("One of the members."))
    members = PeopleChoiceField(
        label=_("Members"), queryset=Person.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("People of the commune with the position “community digital team "
                    "member” who have not left. Someone missing? Check their position in "
                    "the staff list."))
    active = forms.BooleanField(label=_("Active"), required=False, initial=True,
                                help_text=_("Untick to disband the team (its visits stay "
                                            "counted)."))

    def __init__(self, *args: Any, root: Agency, instance: Team | None = None,
                 commune: Agency | None = None, **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": instance.name, "commune": instance.commune_id,
                "leader": instance.leader_id, "active": instance.active,
                "members": list(instance.members.values_list("pk", flat=True))}
        super().__init__(*args, **kwargs)
        self.instance = instance
        communes = communes_in_scope(root=root)
        self.fields["commune"].queryset = communes
        if instance is None:
            del self.fields["active"]
        chosen = commune or (instance.commune if instance else None)
        if chosen is None and instance is None and communes.count() == 1:
            chosen = communes.first()
        if self.is_bound:  # the members offered are those of the commune being saved
            raw = str(self.data.get("commune", "")).strip()
            posted = communes.filter(pk=raw).first() if raw.isdigit() else None
            chosen = posted or chosen
        if chosen is not None:
            self.fields["commune"].initial = chosen.pk
            eligible = members_eligible(commune=chosen)
            self.fields["members"].queryset = eligible
            self.fields["leader"].queryset = eligible
        self.commune = chosen
