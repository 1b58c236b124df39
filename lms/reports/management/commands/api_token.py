"""Issue, rotate or revoke the coverage API token of an HR manager's account."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from lms.org.selectors import manager_scope_of


class Command(BaseCommand):
    help = ("Create the coverage API token of a user who has an HR scope (ManagerScope) and "
            "print its key, once. --rotate replaces an existing token (the old key stops "
            "working); --revoke deletes it.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="The user name of the token's holder.")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--rotate", action="store_true",
                           help="Replace the user's token with a new one.")
        group.add_argument("--revoke", action="store_true",
                           help="Delete the user's token.")

    def handle(self, *args, username: str, rotate: bool, revoke: bool, **options) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("No user %(username)s.") % {"username": username})
        if revoke:
            deleted, _rows = Token.objects.filter(user=user).delete()
            self.stdout.write(_("Token of %(username)s revoked.") % {"username": username}
                              if deleted else
                              _("%(username)s had no token.") % {"username": username})
            return
        scope = manager_scope_of(user=user)
        if scope is None:
            raise CommandError(_("%(username)s has no HR scope: assign the agency they "
                                 "manage first (admin, manager scopes).")
                               % {"username": username})
        with transaction.atomic():
            existing = Token.objects.select_for_update().filter(user=user)
            if existing.exists() and not rotate:
                raise CommandError(_("%(username)s has a token already: use --rotate to "
                                     "replace it, or --revoke.") % {"username": username})
            existing.delete()
            token = Token.objects.create(user=user)
        self.stdout.write(self.style.SUCCESS(
            _("API token of %(username)s (scope: %(agency)s). It is shown only this once:")
            % {"username": username, "agency": f"{scope.code} {scope.name}"}))
        self.stdout.write(token.key)
