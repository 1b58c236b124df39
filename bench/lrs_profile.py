"""Where the xAPI statement resource spends its time: requests through Django's test
client, in this process, against the benchmark database that lrs_ingest.py loaded.

    /work/venv/bin/python bench/lrs_profile.py                 # all kinds
    /work/venv/bin/python bench/lrs_profile.py --kind batch --top 30

For each kind of request (POST batch, POST single, GET by agent / activity / id) prints
the time per request, the SQL queries per request and the time they took (as the client
measures it: round trips included), then cProfile's top functions. It writes statements
into ``--database``: use it only on the throw-away benchmark database.
"""

from __future__ import annotations

import argparse
import base64
import cProfile
import io
import os
import pstats
import random
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    p.add_argument("--database", default="hocso_bench")
    p.add_argument("--site-url", default="https://hocso.gov.vn")
    p.add_argument("--kind", default="batch,single,agent,activity,id")
    p.add_argument("--requests", type=int, default=30, help="per kind (batches: / 3)")
    p.add_argument("--batch-size", type=int, default=100)
    p.add_argument("--top", type=int, default=25)
    p.add_argument("--without-projection", action="store_true",
                   help="replace the progress projection with a no-op (what the rest costs)")
    args = p.parse_args()
    url = f"{args.pg}/{args.database}"
    os.environ.update({"DATABASE_URL": url, "DJANGO_DEBUG": "false",
                       "DJANGO_SECRET_KEY": "bench-profile", "HOCSO_SITE_URL": args.site_url,
                       "DJANGO_LOG_LEVEL": "WARNING"})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
    import django

    django.setup()
    if args.without_projection:
        import lms.records.storage as storage

        storage.project = lambda row: []
    import lrs_db
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from lrs_data import Corpus
    from lrs_ingest import CLIENT_KEY

    lrs_db.client_ensure(CLIENT_KEY, "bench-secret")
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM org_user WHERE username LIKE %s",
                    [lrs_db.LEARNER_PREFIX + "%"])
        learners = cur.fetchone()[0]
    corpus = Corpus(home_page=settings.XAPI_ACCOUNT_HOMEPAGE,
                    activity_base=settings.XAPI_ACTIVITY_BASE, courses=100,
                    learner_ids=lrs_db.learners_ensure(url, learners), client_key=CLIENT_KEY)
    sample = lrs_db.sample(url, args.site_url, size=2000)
    token = base64.b64encode(f"{CLIENT_KEY}:bench-secret".encode()).decode()
    client = Client(HTTP_AUTHORIZATION=f"Basic {token}",
                    HTTP_X_EXPERIENCE_API_VERSION="1.0.3")
    rng = random.Random(time.time_ns())  # new statement ids on every run
    path = "/xapi/statements"

    def batch() -> object:
        body = "[" + ",".join(corpus.post_statement(rng) for _ in range(args.batch_size)) + "]"
        return client.post(path, body, content_type="application/json")

    def single() -> object:
        return client.post(path, corpus.post_statement(rng), content_type="application/json")

    kinds = {
        "batch": (batch, max(args.requests // 3, 1)),
        "single": (single, args.requests),
        "agent": (lambda: client.get(f"{path}?agent={quote(rng.choice(sample.agents))}"),
                  args.requests),
        "activity": (lambda: client.get(
            f"{path}?activity={quote(rng.choice(sample.activities), safe='')}"),
            args.requests),
        "id": (lambda: client.get(f"{path}?statementId={rng.choice(sample.statement_ids)}"),
               args.requests),
    }
    for kind in args.kind.split(","):
        send, count = kinds[kind]
        send()  # warm
        profiler = cProfile.Profile()
        with CaptureQueriesContext(connection) as queries:
            t0 = time.perf_counter()
            profiler.enable()
            for _ in range(count):
                response = send()
                assert response.status_code < 300, (response.status_code, response.content[:300])
            profiler.disable()
            elapsed = time.perf_counter() - t0
        sql = sum(float(q["time"]) for q in queries.captured_queries)
        print(f"\n=== {kind}: {count} requests, {elapsed / count * 1000:.1f} ms each "
              f"(under cProfile); {len(queries) / count:.1f} SQL queries each, "
              f"{sql / count * 1000:.1f} ms of SQL round trips each")
        shapes: dict[str, int] = {}
        for q in queries.captured_queries:
            key = q["sql"][:90]
            shapes[key] = shapes.get(key, 0) + 1
        for key, n in sorted(shapes.items(), key=lambda kv: -kv[1])[:8]:
            print(f"  {n / count:6.1f} x  {key}")
        out = io.StringIO()
        order = os.environ.get("PROFILE_SORT", "cumulative")  # or tottime
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(args.top)
        print("\n".join(line for line in out.getvalue().splitlines()[6:] if line.strip()))


if __name__ == "__main__":
    main()
