"""Page weight: bytes transferred for the main pages, measured through Chromium.

    python bench/page_weight.py                       # a throw-away SQLite file
    python bench/page_weight.py --database-url postgres://postgres@127.0.0.1/hocso_bench_pw

Sets up a fresh database, imports the course pack ky-nang-so-co-ban (its first lesson is
text and one image, the second text only), runs collectstatic with the manifest storage
and serves the site with gunicorn as in production (DJANGO_DEBUG=0,
DJANGO_STATIC_MANIFEST=1: hashed static files, compressed, cached for ten years). Headless
Chromium (Debian's /usr/bin/chromium, driven by Playwright) with a 360×740 window then
loads each page: the bytes are the sum of Chrome's ``Network.loadingFinished``
encodedDataLength (headers and compressed bodies, as they crossed the network).

Each page is read to its end (scrolled down, so that lazy images load too). First load:
a fresh browser context (empty cache) for each page. Second load: the next
lesson in the same context as the first lesson, and a reload of the first lesson.
Budgets of the issue: a lesson with text and one image under 150 KB on first load and
under 30 KB on the next (KB = 1,000 bytes here). Over budget prints OVER; the exit code
is 0 all the same.

Media files: production serves them from its front server or storage; here gunicorn
serves the course images itself (WhiteNoise, a day of caching), so that they count.
Never point --database-url at a database you care about: it is dropped and made afresh.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACK = ROOT / "content" / "courses" / "ky-nang-so-co-ban"
CHROMIUM = Path(os.environ.get("HOCSO_CHROMIUM", "/usr/bin/chromium"))
VIEWPORT = {"width": 360, "height": 740}
USERNAME, PASSWORD = "hoc-vien", "bench-password-1"
BUDGETS = {"lesson (text + 1 image)": 150_000, "next lesson": 30_000, "lesson reload": 30_000}


def media_app():
    """The WSGI app gunicorn serves: the platform, plus the course images under /media/
    (images only: staff lists and certificates stay private)."""
    from django.conf import settings
    from whitenoise import WhiteNoise

    from lms.wsgi import application

    app = WhiteNoise(application, autorefresh=True, max_age=86_400)
    for folder in ("original_images", "images"):
        app.add_files(str(Path(settings.MEDIA_ROOT) / folder), prefix=f"media/{folder}/")
    return app


def _environment(tmp: Path, database_url: str) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_STATIC_MANIFEST": "1",
        "DJANGO_STATIC_ROOT": str(tmp / "static"),
        "DJANGO_MEDIA_ROOT": str(tmp / "media"),
        "DJANGO_SECRET_KEY": "bench-page-weight-throwaway-key-0123456789abcdef",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_COOKIES": "0",  # plain HTTP on the loopback
        "DJANGO_LOG_LEVEL": "WARNING",
    }


def site_build() -> dict[str, str]:
    """Migrate, collect the static files, import the pack, add an enrolled learner (first
    lesson done, so that the second is open whatever the unlocking rules). The pages'
    paths by name."""
    import django

    django.setup()
    from django.core.management import call_command

    from assessments.models import QuizPage
    from courses.models import CoursePage, LessonPage
    from courses.services import course_enrol, lesson_complete
    from lms.org.models import AgencyKind
    from tests.factories import PersonFactory, agency

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    call_command("import_course_packs", str(PACK), verbosity=0)
    course = CoursePage.objects.get(code=_pack_code())
    lessons = list(LessonPage.objects.child_of(course).live().order_by("path"))
    quiz = QuizPage.objects.child_of(course).live().first()
    ward = agency("Phường Hồng Hà", kind=AgencyKind.WARD, code="00097")
    person = PersonFactory(agency=ward, full_name="Nguyễn Thị Ánh Tuyết",
                           user__username=USERNAME, user__password=PASSWORD)
    course_enrol(user=person.user, course=course)
    lesson_complete(user=person.user, lesson=lessons[0])
    images = [block for block in lessons[0].body if block.block_type == "image"]
    print(f"course {course.code}: {len(lessons)} lessons; lesson 1 «{lessons[0].title}» "
          f"has {len(images)} image(s), lesson 2 «{lessons[1].title}»")
    from django.db import connections

    connections.close_all()
    return {"home (catalogue)": "/", "public catalogue": "/public/", "login": "/accounts/login/",
            "course": course.url, "lesson (text + 1 image)": lessons[0].url,
            "next lesson": lessons[1].url, "quiz": quiz.url if quiz else course.url}


def _pack_code() -> str:
    for line in (PACK / "course.yaml").read_text(encoding="utf-8").splitlines():
        if line.startswith("code:"):
            return line.split(":", 1)[1].strip().strip("\"'")
    raise SystemExit("no code in course.yaml")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gunicorn_start(env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "page_weight:media_app()", "--pythonpath",
         f"{ROOT},{ROOT / 'bench'}", "-b", f"127.0.0.1:{port}", "-w", "2",
         "--log-level", "warning"], cwd=ROOT, env={**os.environ, **env})
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/accounts/login/", timeout=5)  # noqa: S310
            return process, base
        except OSError:
            if process.poll() is not None:
                raise SystemExit("gunicorn stopped") from None
            time.sleep(0.3)
    process.terminate()
    raise SystemExit("gunicorn did not answer in 60 s")


# a screen at a time, as a reader scrolls (a jump to the bottom would skip lazy images)
_READ_TO_THE_END = """async () => {
  for (let y = 0; y < document.documentElement.scrollHeight; y += innerHeight / 2) {
    scrollTo(0, y);
    await new Promise(resolve => setTimeout(resolve, 60));
  }
  scrollTo(0, document.documentElement.scrollHeight);
}"""


@dataclass
class Load:
    name: str
    kind: str  # first / second
    bytes: int = 0
    requests: int = 0
    cached: int = 0
    urls: list[tuple[str, int]] = field(default_factory=list)


class Meter:
    """Bytes crossing the network for one page, from Chrome's own accounting (CDP)."""

    def __init__(self, context, page) -> None:
        self.page = page
        self.cdp = context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.urls: dict[str, str] = {}
        self.load: Load | None = None
        self.cdp.on("Network.requestWillBeSent", self._sent)
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.on("Network.requestServedFromCache", self._cached)

    def _sent(self, event) -> None:
        self.urls[event["requestId"]] = event["request"]["url"]

    def _finished(self, event) -> None:
        if self.load is not None:
            size = int(event["encodedDataLength"])
            self.load.bytes += size
            self.load.requests += 1
            self.load.urls.append((self.urls.get(event["requestId"], "?"), size))

    def _cached(self, event) -> None:
        if self.load is not None:
            self.load.cached += 1

    def measure(self, name: str, kind: str, url: str | None) -> Load:
        """Load ``url`` (None: reload the page) and read it to its end."""
        self.load = Load(name, kind)
        if url is None:
            self.page.reload()
        else:
            self.page.goto(url)
        self.page.wait_for_load_state("networkidle")
        # read to the end: lazy images (loading="lazy") below the fold count too
        self.page.evaluate(_READ_TO_THE_END)
        self.page.wait_for_load_state("networkidle")
        load, self.load = self.load, None
        return load


def log_in(context, base: str) -> None:
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", USERNAME)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button").click()
    if "/accounts/login/" in page.url:
        raise SystemExit("could not log in")
    page.close()


def measure_all(base: str, paths: dict[str, str]) -> list[Load]:
    from playwright.sync_api import sync_playwright

    loads: list[Load] = []
    anonymous = {"login", "public catalogue"}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=["--no-sandbox"])
        setup = browser.new_context(viewport=VIEWPORT)
        log_in(setup, base)
        state = setup.storage_state()
        setup.close()
        for name, path in paths.items():
            if name == "next lesson":
                continue
            context = browser.new_context(
                viewport=VIEWPORT, storage_state=None if name in anonymous else state)
            page = context.new_page()
            meter = Meter(context, page)
            url = f"{base}{path}"
            loads.append(meter.measure(name, "first", url))
            if name == "lesson (text + 1 image)":
                loads.append(meter.measure("next lesson", "second",
                                           f"{base}{paths['next lesson']}"))
                page.goto(url)
                page.wait_for_load_state("networkidle")
                loads.append(meter.measure("lesson reload", "second", None))
            context.close()
        browser.close()
    return loads


def static_headers(base: str, lesson_path: str) -> list[str]:
    """How the stylesheet is served: its hashed name, caching and encodings."""
    with urllib.request.urlopen(f"{base}{lesson_path}", timeout=20) as response:  # noqa: S310
        html = response.read().decode()
    match = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', html)
    if not match:
        return ["stylesheet: no hashed site.css in the page (manifest storage off?)"]
    lines = [f"stylesheet: {match.group(1)}"]
    for encoding in ("gzip", "br"):
        request = urllib.request.Request(f"{base}{match.group(1)}",
                                         headers={"Accept-Encoding": encoding})
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
            body = response.read()
            lines.append(f"  Accept-Encoding {encoding}: Content-Encoding "
                         f"{response.headers.get('Content-Encoding', '(none)')}, "
                         f"{len(body)} bytes, Cache-Control "
                         f"{response.headers.get('Cache-Control')}")
    request = urllib.request.Request(f"{base}/accounts/login/",
                                     headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
        lines.append(f"login page HTML: Content-Encoding "
                     f"{response.headers.get('Content-Encoding', '(none)')}")
    return lines


def report(loads: list[Load], *, verbose: bool) -> None:
    print(f"\n{'page':<26}{'load':<8}{'requests':>9}{'cached':>8}{'bytes':>10}{'KB':>8}  budget")
    for load in loads:
        budget = BUDGETS.get(load.name)
        verdict = ""
        if budget:
            verdict = f"< {budget // 1000} KB {'ok' if load.bytes < budget else 'OVER'}"
        print(f"{load.name:<26}{load.kind:<8}{load.requests:>9}{load.cached:>8}"
              f"{load.bytes:>10}{load.bytes / 1000:>8.1f}  {verdict}")
        if verbose:
            for url, size in load.urls:
                print(f"    {size:>8}  {url}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", help="a hocso_bench… PostgreSQL database "
                        "(dropped and made afresh); default: a SQLite file in a temp folder")
    parser.add_argument("--verbose", action="store_true", help="list every request")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        raise SystemExit(f"no Chromium at {CHROMIUM}")
    sys.path.insert(0, str(ROOT))
    tmp = Path(tempfile.mkdtemp(prefix="page-weight-"))
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    from bench._setup import bench_database

    database_url, _postgres = bench_database(tmp)
    env = _environment(tmp, database_url)
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
    paths = site_build()
    process, base = gunicorn_start(env)
    try:
        loads = measure_all(base, paths)
        print("\n".join(static_headers(base, paths["lesson (text + 1 image)"])))
        report(loads, verbose=args.verbose)
    finally:
        process.terminate()
        process.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
