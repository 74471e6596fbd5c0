"""`admit users …`: add, list and revoke the people who may act on cases.

Why on the command line and without a token: adding users is how a fresh installation gets
its first supervisor, so it must work for whoever runs admit beside its store (the database
and the key in the data directory, or ADMIT_DATABASE_URL). Each change is still an event in
the audit trail, recorded with the local account's name. The token is printed once and never
stored: only its hash is kept.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from admit.cli.app import app, fail, stdout
from admit.errors import InputError

if TYPE_CHECKING:  # the case store's libraries load only when a users command runs
    from admit.cases import CaseService

users_app = typer.Typer(help="Users of the case workflow and their API tokens.",
                        no_args_is_help=True)
app.add_typer(users_app, name="users")


def open_service() -> CaseService:
    from admit.cases import CaseError, CaseService

    try:
        return CaseService.from_env()
    except CaseError as exc:
        fail(exc.message)


@users_app.command("add")
def add(name: Annotated[str, typer.Argument(help="A unique user name.")],
        role: Annotated[str, typer.Option(help="officer, supervisor or auditor.")]) -> None:
    """Add a user with one role and print their API token (shown this once only)."""
    svc = open_service()
    try:
        token = svc.add_user(name, role)
    except InputError as exc:
        fail(str(exc))
    finally:
        svc.close()
    typer.echo(token)
    typer.echo(f"{name} ({role.strip().lower()}) added; keep the token above: it is not "
               "stored and cannot be shown again.", err=True)


@users_app.command("list")
def list_users(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False
               ) -> None:
    """Every user, their role, and when they were added or revoked (never tokens)."""
    svc = open_service()
    try:
        users = svc.users()
    finally:
        svc.close()
    if as_json:
        typer.echo(json.dumps(users, indent=2))
        return
    table = Table("name", "role", "added", "revoked")
    for user in users:
        table.add_row(escape(user["name"]), user["role"], user["created_at"][:19],
                      (user["revoked_at"] or "")[:19])
    stdout.print(table)


@users_app.command("revoke")
def revoke(name: Annotated[str, typer.Argument(help="The user whose token stops working.")]
           ) -> None:
    """Revoke a user's token; their past events stay in the trail under their name."""
    svc = open_service()
    try:
        svc.revoke_user(name)
    except InputError as exc:
        fail(str(exc))
    finally:
        svc.close()
    typer.echo(f"{name} revoked.", err=True)
