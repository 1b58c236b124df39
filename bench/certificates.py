"""Certificates issued per second on one core: the floor, render + sign, and the full job.

    python bench/certificates.py                      # 10,000 learners, temp SQLite, 1 worker
    python bench/certificates.py --count 500 --loop 100           # a quick run
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hocso_bench_certs \\
        python bench/certificates.py --workers 2

(a) floor: ``render_certificate_pdf`` itself in a loop (the real page: the same text in Be
    Vietnam Pro and the same segno QR code; nothing cheaper draws the same page).
(b) render + sign in a loop, signing three ways: pyHanko's default ``PdfSigner`` with a
    plain ``SimpleSigner`` (it signs a dummy container first to size it), the same with the
    size given, and ``certificates.signing.pdf_sign``; per step: render ms, sign ms.
(c) the full job: COUNT learners with a completed ``Progress`` row for a course that has a
    ``CertificateType`` (then ANALYZE, as autovacuum would), and
    ``certificates.services.certificates_issue_due()`` timed in WORKERS processes, each
    issuing its own share (with more than one worker the due selector is narrowed to a
    contiguous range of learner ids by the benchmark; nothing else changes). If
    ``services.py`` does not sign yet, the benchmark adds ``pdf_sign`` after the render, so
    the figure is that of the signed job, and says so.

A PostgreSQL ``DATABASE_URL`` must name a database whose name starts with ``hocso_bench``:
it is dropped and created again. Without ``DATABASE_URL`` a temporary SQLite file is used
(one worker: SQLite takes one writer at a time). Never run by the tests.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from _setup import bench_database, bench_django  # noqa: E402
from certificate_pdf import certificate  # noqa: E402  (the benchmark's varied names)

from certificates.keys import SigningKey, dev_key_generate, signing_key_load  # noqa: E402
from certificates.pdf import render_certificate_pdf  # noqa: E402
from certificates.signing import pdf_sign  # noqa: E402

SIGN_ARGS = {"signer_name": "Nền tảng HọcSố", "reason": "Chứng nhận hoàn thành khóa học",
             "location": "Việt Nam"}
COURSE_CODE = "BENCH-CERT"


def _arguments() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--count", type=int, default=10_000, help="learners in the full job")
    p.add_argument("--loop", type=int, default=300, help="certificates in loops (a), (b)")
    p.add_argument("--workers", type=int, default=None,
                   help="processes for the full job (default: cores on PostgreSQL, 1 on SQLite)")
    p.add_argument("--skip-job", action="store_true", help="only (a) and (b)")
    p.add_argument("--worker", help=argparse.SUPPRESS)  # "k/K,key,cert": one share of (c)
    return p.parse_args()


def _key(directory: Path) -> tuple[Path, Path, SigningKey]:
    key_path, cert_path = directory / "signing-key.pem", directory / "signing-cert.pem"
    dev_key_generate(key_path=key_path, cert_path=cert_path, common_name="Nền tảng HọcSố",
                     organization="HọcSố (benchmark key)")
    return key_path, cert_path, signing_key_load(key_path=key_path, cert_path=cert_path)


def _rate(fn, count: int) -> tuple[float, list[float]]:
    fn(count)  # warm-up: fonts, imports, caches
    times = []
    for index in range(count):
        began = time.perf_counter()
        fn(index)
        times.append(time.perf_counter() - began)
    return count / sum(times), times


# -- (a) and (b): loops ---------------------------------------------------------------------

def _pyhanko_default_signer(key_files: tuple[Path, Path]):
    """A plain pyHanko SimpleSigner for the same key, loaded as pyHanko's documentation does."""
    from pyhanko.sign import signers

    return signers.SimpleSigner.load(str(key_files[0]), str(key_files[1]))


def _sign_plain(pdf: bytes, signer, *, sized: bool) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    meta = signers.PdfSignatureMetadata(
        field_name="HocSoSignature", md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES, name=SIGN_ARGS["signer_name"],
        reason=SIGN_ARGS["reason"], location=SIGN_ARGS["location"])
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    return signers.PdfSigner(meta, signer=signer).sign_pdf(
        writer, bytes_reserved=8192 if sized else None).getvalue()


def loops(count: int, key: SigningKey, key_files: tuple[Path, Path]) -> dict[str, float]:
    floor, render_times = _rate(lambda i: render_certificate_pdf(certificate(i)), count)
    pdfs = [render_certificate_pdf(certificate(i)) for i in range(count + 1)]
    render_ms = statistics.median(render_times) * 1000
    plain = _pyhanko_default_signer(key_files)
    ways = {
        "pyHanko default (size estimated)": lambda i: _sign_plain(pdfs[i], plain, sized=False),
        "pyHanko, size given": lambda i: _sign_plain(pdfs[i], plain, sized=True),
        "pdf_sign": lambda i: pdf_sign(pdfs[i], key=key, **SIGN_ARGS),
    }
    sizes = {"unsigned": statistics.mean(len(p) for p in pdfs) / 1024,
             "signed": statistics.mean(len(pdf_sign(p, key=key, **SIGN_ARGS))
                                       for p in pdfs[:50]) / 1024}
    print(f"\n(a) floor: render_certificate_pdf, {count} certificates, one core")
    print(f"    {floor:.1f} certificates/s; median {render_ms:.1f} ms; "
          f"{sizes['unsigned']:.1f} KB unsigned, {sizes['signed']:.1f} KB signed")
    print("\n(b) render + sign, one core (sign timed alone on pre-rendered PDFs)")
    print(f"    {'signing':<34} {'render ms':>9} {'sign ms':>8} {'render+sign/s':>14}")
    figures = {"floor": floor}
    for label, fn in ways.items():
        _, sign_times = _rate(fn, count)
        sign_ms = statistics.median(sign_times) * 1000
        per_second = 1000 / (render_ms + sign_ms)
        figures[label] = per_second
        print(f"    {label:<34} {render_ms:>9.1f} {sign_ms:>8.2f} {per_second:>14.1f}")
    began = time.perf_counter()
    for index in range(count):
        pdf_sign(render_certificate_pdf(certificate(index)), key=key, **SIGN_ARGS)
    together = count / (time.perf_counter() - began)
    figures["render+sign loop"] = together
    print(f"    render then pdf_sign in one loop: {together:.1f} certificates/s "
          f"({together / floor:.2f} of the floor)")
    return figures


# -- (c): the full job ------------------------------------------------------------------------



def job_prepare(count: int) -> None:
    """Migrate, one course with a certificate type, ``count`` learners who completed it."""
    from django.core.management import call_command
    from django.db import connection

    from lms.org.models import AgencyKind, Person, User
    from lms.records.models import Progress
    from tests.factories import agency, build_course

    call_command("migrate", verbosity=0)
    course = build_course(code=COURSE_CODE)
    hanoi = agency("Thành phố Hà Nội", kind=AgencyKind.PROVINCE, code="01")
    wards = [hanoi.add_child(code=f"{i:05d}", name=f"Phường Số {i}", kind=AgencyKind.WARD)
             for i in range(1, 4)]
    wards = [type(w).objects.get(pk=w.pk) for w in wards]
    users = User.objects.bulk_create(
        [User(username=f"bench-cert-{i}", password="!") for i in range(count)], batch_size=2000)
    Person.objects.bulk_create(
        [Person(user=user, full_name=certificate(i).holder_name, agency=wards[i % len(wards)],
                position="civil_servant") for i, user in enumerate(users)], batch_size=2000)
    Progress.objects.bulk_create(
        [Progress(user=user, activity_id=course.activity_id, completed=True) for user in users],
        batch_size=2000)
    with connection.cursor() as cursor:  # statistics as a running database would have them
        cursor.execute("ANALYZE")


def job_worker(spec: str) -> None:
    """One share of the job, in its own process; prints its figures as JSON."""
    share, key_path, cert_path = spec.split(",")
    index, workers = (int(part) for part in share.split("/"))
    from django.conf import settings
    from django.db.models import Max, Min

    from certificates import services
    from lms.org.models import User

    settings.HOCSO_SIGNING_KEY, settings.HOCSO_SIGNING_CERT = Path(key_path), Path(cert_path)
    key = signing_key_load(key_path=Path(key_path), cert_path=Path(cert_path))
    spent = {"render": 0.0, "sign": 0.0}
    signs_itself = hasattr(services, "pdf_sign")
    render = services.render_certificate_pdf

    def timed_render(data):
        began = time.perf_counter()
        pdf = render(data)
        spent["render"] += time.perf_counter() - began
        if signs_itself:
            return pdf
        began = time.perf_counter()
        pdf = pdf_sign(pdf, key=key, **SIGN_ARGS)
        spent["sign"] += time.perf_counter() - began
        return pdf

    services.render_certificate_pdf = timed_render
    if signs_itself:
        sign = services.pdf_sign

        def timed_sign(*args, **kwargs):
            began = time.perf_counter()
            try:
                return sign(*args, **kwargs)
            finally:
                spent["sign"] += time.perf_counter() - began

        services.pdf_sign = timed_sign
    if workers > 1:  # a contiguous range of learners each, which the planner estimates well
        first, last = (User.objects.filter(username__startswith="bench-cert-")
                       .aggregate(first=Min("pk"), last=Max("pk")).values())
        size = (last - first) // workers + 1
        low, high = first + index * size, first + (index + 1) * size
        due = services.certificate_due_user_ids
        services.certificate_due_user_ids = lambda *, certificate_type: due(
            certificate_type=certificate_type).filter(user_id__gte=low, user_id__lt=high)
    render_certificate_pdf(certificate(0))  # fonts registered before the clock starts
    cpu = time.process_time()
    began = time.perf_counter()
    summary = services.certificates_issue_due()
    print(json.dumps({"issued": summary.issued, "seconds": time.perf_counter() - began,
                      "cpu": time.process_time() - cpu, "signs_itself": signs_itself,
                      "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      **spent}))


def _cpu_times() -> tuple[float, float, float]:
    """(busy, steal, total) jiffies of the whole machine, from /proc/stat."""
    fields = [float(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + fields[4]
    steal = fields[7] if len(fields) > 7 else 0.0
    total = sum(fields[:8])
    return total - idle - steal, steal, total


def job(count: int, workers: int | None, floor: float, key_files: tuple[Path, Path],
        tmp: Path) -> None:
    url, postgres = bench_database(tmp)
    media = tmp / "media"
    bench_django(url, media, name="certificates")
    cores = len(os.sched_getaffinity(0))
    workers = workers or (cores if postgres else 1)
    began = time.perf_counter()
    job_prepare(count)
    print(f"\n(c) full job: {count} learners on {'PostgreSQL' if postgres else 'SQLite'}, "
          f"{workers} worker(s), {cores} core(s); data made in "
          f"{time.perf_counter() - began:.1f} s")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    began, machine = time.perf_counter(), _cpu_times()
    processes = [subprocess.Popen(
        [sys.executable, __file__, "--worker", f"{k}/{workers},{key_files[0]},{key_files[1]}"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for k in range(workers)]
    results = []
    for process in processes:
        output, errors = process.communicate()
        if process.returncode:
            sys.exit(f"a worker failed (exit {process.returncode}):\n{errors}")
        results.append(json.loads(output.strip().splitlines()[-1]))
    wall = time.perf_counter() - began
    busy, steal, total = (end - start
                          for end, start in zip(_cpu_times(), machine, strict=True))
    from certificates.models import Certificate

    issued = sum(r["issued"] for r in results)
    stored = Certificate.objects.exclude(pdf="").count()
    sample = Certificate.objects.order_by("?").first()
    from cryptography import x509

    from certificates.signing import pdf_signature_check

    trusted = x509.load_pem_x509_certificate(key_files[1].read_bytes())
    check = pdf_signature_check(sample.pdf.read(), trusted=trusted) if sample else None
    job_seconds = max(r["seconds"] for r in results)  # the clock starts after Django setup
    per_worker = statistics.mean(r["issued"] / r["seconds"] for r in results)
    cpu = sum(r["cpu"] for r in results)
    render = sum(r["render"] for r in results)
    sign = sum(r["sign"] for r in results)
    seconds = sum(r["seconds"] for r in results)
    signing = ("in services.py" if results[0]["signs_itself"]
               else "added by the benchmark (services.py does not sign yet)")
    print(f"    signing: {signing}")
    print(f"    issued {issued}, stored PDFs {stored}; job {job_seconds:.1f} s "
          f"({wall:.1f} s with process start-up); a random one signed and valid: "
          f"{bool(check and check.valid)}")
    print(f"    per certificate in a worker: render {render / issued * 1000:.1f} ms, sign "
          f"{sign / issued * 1000:.1f} ms, database + storage + rest "
          f"{(seconds - render - sign) / issued * 1000:.1f} ms; "
          f"max RSS {max(r['max_rss_mb'] for r in results):.0f} MB")
    print(f"    machine during the job: {busy / total * cores:.2f} of {cores} cores busy "
          f"(workers {cpu / wall:.2f}, the rest is the database and anything else running), "
          f"steal {steal / total * 100:.0f} %")
    rows = [("floor (a), one core", floor),
            (f"full job, {workers} worker(s) together", issued / job_seconds),
            ("full job per worker (its share / its time)", per_worker),
            ("full job per worker CPU-second", issued / cpu)]
    print("\n    | figure | certificates/s | of the floor |")
    print("    |---|---|---|")
    for label, value in rows:
        print(f"    | {label} | {value:.1f} | {value / floor:.2f} |")
    print(f"\n    target (within 3x of the floor): per core >= {floor / 3:.1f}/s -> "
          f"{'met' if per_worker >= floor / 3 else 'NOT met'}")


def main() -> None:
    args = _arguments()
    if args.worker:
        tmp = Path(os.environ["DJANGO_MEDIA_ROOT"]).parent
        bench_django(os.environ["DATABASE_URL"], tmp / "media", name="certificates")
        job_worker(args.worker)
        return
    with tempfile.TemporaryDirectory(prefix="bench-certs-") as directory:
        tmp = Path(directory)
        key_path, cert_path, key = _key(tmp)
        key_files = (key_path, cert_path)
        figures = loops(args.loop, key, key_files)
        if not args.skip_job:
            job(args.count, args.workers, figures["floor"], key_files, tmp)


if __name__ == "__main__":
    main()
