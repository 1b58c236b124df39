from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from lms.org.models import Agency
from lms.records.clients import (
    client_create,
    client_rotate_secret,
    client_set_active,
    client_update,
)
from lms.records.models import Client


class Command(BaseCommand):
    help = (
        "Manage the HTTP Basic credentials of outside xAPI clients: create (prints the key "
        "and the secret, shown only this once), list, rotate a secret, deactivate."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="create a client")
        create.add_argument("--name", required=True)
        create.add_argument("--agency", metavar="CODE",
                            help="only for the people of this agency's subtree")
        create.add_argument("--read", action="store_true", help="may read statements")
        create.add_argument("--write", action="store_true", help="may write statements")
        create.add_argument("--key", help="a fixed key (tests, benchmarks, conformance)")
        create.add_argument("--secret", help="a fixed secret (tests, benchmarks, conformance)")
        create.add_argument("--replace", action="store_true",
                            help="with --key: if that client exists, reset its name, "
                                 "scopes, agency and secret and activate it")
        actions.add_parser("list", help="list the clients")
        rotate = actions.add_parser("rotate", help="give a client a new secret")
        rotate.add_argument("key")
        rotate.add_argument("--secret", help="a fixed secret instead of a random one")
        deactivate = actions.add_parser("deactivate", help="switch a client's credentials off")
        deactivate.add_argument("key")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['action']}")(options)

    @transaction.atomic
    def _create(self, options: dict[str, Any]) -> None:
        agency = None
        if options["agency"]:
            agency = Agency.objects.filter(code=options["agency"]).first()
            if agency is None:
                raise CommandError(f"no agency with code {options['agency']!r}")
        # A client with neither scope could do nothing: it may at least read.
        can_read = options["read"] or not options["write"]
        scopes = {"name": options["name"], "agency": agency, "can_read": can_read,
                  "can_write": options["write"]}
        existing = Client.objects.filter(key=options["key"]).first() if options["key"] else None
        if existing is not None:
            if not options["replace"]:
                raise CommandError(f"a client with key {options['key']!r} exists "
                                   f"(use --replace, or rotate {options['key']})")
            client_update(client=existing, **scopes)
            client, secret = existing, client_rotate_secret(client=existing,
                                                            secret=options["secret"])
        else:
            client, secret = client_create(**scopes, key=options["key"],
                                           secret=options["secret"])
        self.stdout.write(f"key: {client.key}\nsecret: {secret}")
        self.stdout.write(f"scopes: {_scopes(client)}; agency: {_agency(client)}")
        self.stderr.write("The secret is stored only as a hash: keep it now.")

    def _list(self, options: dict[str, Any]) -> None:
        clients = Client.objects.select_related("agency").order_by("name", "key")
        for client in clients:
            state = "active" if client.is_active else "inactive"
            self.stdout.write(f"{client.key}\t{client.name}\t{_scopes(client)}\t"
                              f"{_agency(client)}\t{state}")
        if not clients:
            self.stderr.write("No xAPI client.")

    def _rotate(self, options: dict[str, Any]) -> None:
        client = _client(options["key"])
        secret = client_rotate_secret(client=client, secret=options["secret"])
        self.stdout.write(f"key: {client.key}\nsecret: {secret}")
        self.stderr.write("The old secret no longer works; the new one is stored only as "
                          "a hash: keep it now.")

    def _deactivate(self, options: dict[str, Any]) -> None:
        client = _client(options["key"])
        client_set_active(client=client, active=False)
        self.stdout.write(f"{client.key}: deactivated")


def _client(key: str) -> Client:
    client = Client.objects.filter(key=key).first()
    if client is None:
        raise CommandError(f"no xAPI client with key {key!r}")
    return client


def _scopes(client: Client) -> str:
    return ",".join(s for s, on in (("read", client.can_read), ("write", client.can_write))
                    if on) or "-"


def _agency(client: Client) -> str:
    return client.agency.code if client.agency else "*"
