"""Inserting many rows at once without a model instance each.

On PostgreSQL: one ``INSERT … SELECT FROM unnest(array, array, …)`` per chunk, one array per
column that varies, the other columns given once (their default, ``auto_now`` and the like,
computed as ``save()`` would). Django's ``bulk_create`` spends most of a 50,000-person import
building and preparing model instances; this does not. Elsewhere (SQLite): ``bulk_create``.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, models
from django.db.models.expressions import DatabaseDefault

CHUNK = 5000


def bulk_insert(model: type[models.Model], rows: list[dict[str, Any]], *, key: str
                ) -> dict[Any, int]:
    """Insert ``rows`` (attribute name: value, the same attributes in every row; the other
    fields take their defaults) and return {the row's ``key`` value: its new primary key}."""
    if not rows:
        return {}
    if connection.vendor != "postgresql":
        made = model._default_manager.bulk_create([model(**row) for row in rows],
                                                  batch_size=2000)
        return {getattr(obj, key): obj.pk for obj in made}
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    given = [f for f in fields if f.attname in rows[0]]
    # a unique field with a callable default (a UUID) needs a value of its own per row
    drawn = [f for f in fields if f not in given and f.unique and callable(f.default)]
    template = model(**rows[0])
    constant: list[tuple[models.Field, Any]] = []
    for f in fields:
        if f in given or f in drawn:
            continue
        value = f.pre_save(template, add=True)
        if not isinstance(value, DatabaseDefault):
            constant.append((f, f.get_db_prep_save(value, connection)))
    quote = connection.ops.quote_name
    varying = given + drawn
    names = ", ".join(quote(f.column) for f in [*varying, *(f for f, _ in constant)])
    aliases = [f"c{i}" for i in range(len(varying))]
    select = ", ".join([*aliases, *(f"%s::{f.db_type(connection)}" for f, _ in constant)])
    arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in varying)
    key_column = model._meta.get_field(key).column
    sql = (f"INSERT INTO {quote(model._meta.db_table)} ({names}) SELECT {select} FROM "
           f"unnest({arrays}) AS t({', '.join(aliases)}) "
           f"RETURNING {quote(model._meta.pk.column)}, {quote(key_column)}")
    ids: dict[Any, int] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start:start + CHUNK]
            columns = [[f.get_db_prep_save(row[f.attname], connection) for row in chunk]
                       for f in given]
            columns += [[f.get_db_prep_save(f.get_default(), connection) for _ in chunk]
                        for f in drawn]
            cursor.execute(sql, [value for _, value in constant] + columns)
            ids.update((value, pk) for pk, value in cursor.fetchall())
    return ids


def bulk_set(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    """Update existing rows: each dict holds "pk" and the same attribute names, set to its
    values. On PostgreSQL one ``UPDATE … FROM unnest(…)`` per chunk (``bulk_update``'s
    ``CASE WHEN`` per field grows with the square of the batch); elsewhere ``bulk_update``."""
    if not rows:
        return
    names = [name for name in rows[0] if name != "pk"]
    if connection.vendor != "postgresql":
        model._default_manager.bulk_update([model(**row) for row in rows], names,
                                           batch_size=1000)
        return
    fields = [next(f for f in model._meta.concrete_fields if f.attname == name)
              for name in names]
    pk = model._meta.pk
    quote = connection.ops.quote_name
    aliases = [f"c{i}" for i in range(len(fields))]
    sql = (f"UPDATE {quote(model._meta.db_table)} AS m SET "
           + ", ".join(f"{quote(f.column)} = t.{a}" for f, a in zip(fields, aliases, strict=True))
           + f" FROM unnest(%s::{pk.db_type(connection)}[], "
           + ", ".join(f"%s::{f.db_type(connection)}[]" for f in fields)
           + f") AS t(pk, {', '.join(aliases)}) WHERE m.{quote(pk.column)} = t.pk")
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start:start + CHUNK]
            cursor.execute(sql, [[row["pk"] for row in chunk]] + [
                [f.get_db_prep_save(row[f.attname], connection) for row in chunk]
                for f in fields])
