"""Read and check a course pack of format v2 (content/courses/<folder>/, described in
content/README.md) without touching the database. Every problem names its file (and the
question key or lesson where it lies); a pack with problems is refused as a whole."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .markdown import markdown_blocks

QUESTION_KINDS = ("single_choice", "multiple_response", "true_false")
LANGUAGES = ("vi", "en")
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n?(.*)\Z", re.DOTALL)
_TRUE_WORDS = {"đúng", "true"}
_FALSE_WORDS = {"sai", "false"}


class PackError(ValueError):
    """A pack that cannot be imported; ``problems`` lists each reason with its file."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class Choice:
    text: dict[str, str]
    correct: bool
    feedback: dict[str, str]


@dataclass
class QuestionSource:
    key: str
    kind: str
    competency: str
    difficulty: int
    prompt: dict[str, str]
    choices: list[Choice]
    explanation: dict[str, str]
    file: Path


@dataclass
class LessonText:
    """One language of a lesson: its front matter and Markdown body."""

    meta: dict[str, Any]
    body: str
    file: Path
    blocks: list[tuple[str, Any]] = field(default_factory=list)


@dataclass
class LessonSource:
    stem: str
    slug: str
    texts: dict[str, LessonText]
    questions: list[QuestionSource]


@dataclass
class CoursePack:
    folder: Path
    course: dict[str, Any]
    lessons: list[LessonSource] = field(default_factory=list)
    exam_questions: list[QuestionSource] = field(default_factory=list)

    @property
    def code(self) -> str:
        return str(self.course["code"])

    @property
    def exam(self) -> dict[str, Any]:
        return self.course["exam"]

    def all_questions(self) -> list[QuestionSource]:
        return [q for lesson in self.lessons for q in lesson.questions] + self.exam_questions


def _bilingual(value: Any) -> bool:
    return isinstance(value, dict) and all(
        isinstance(value.get(lang), str) and value[lang].strip() for lang in LANGUAGES)


class _Checker:
    def __init__(self, folder: Path, known_codes: set[str]) -> None:
        self.folder = folder
        self.known = known_codes
        self.problems: list[str] = []

    def problem(self, path: Path, message: str) -> None:
        try:
            name = path.relative_to(self.folder.parent)
        except ValueError:
            name = path
        self.problems.append(f"{name}: {message}")

    def yaml(self, path: Path) -> Any:
        if not path.is_file():
            self.problem(path, "file missing")
            return None
        try:
            return yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as error:
            self.problem(path, f"not valid YAML ({error})")
            return None

    def codes(self, path: Path, where: str, codes: Any) -> list[str]:
        if codes in (None, []):
            return []
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            self.problem(path, f"{where}: competencies must be a list of codes")
            return []
        for code in codes:
            if code not in self.known:
                self.problem(path, f"{where}: unknown competency code {code!r} (not in "
                                   "content/competencies/)")
        return codes

    def question(self, path: Path, raw: Any, number: int) -> QuestionSource | None:
        if not isinstance(raw, dict):
            self.problem(path, f"question {number}: not a mapping")
            return None
        key = str(raw.get("key") or "")
        where = f"question {key or number}"
        before = len(self.problems)
        if not key:
            self.problem(path, f"question {number}: needs a key")
        kind = raw.get("kind", "single_choice")
        if kind not in QUESTION_KINDS:
            self.problem(path, f"{where}: kind {kind!r} is not one of "
                               f"{', '.join(QUESTION_KINDS)}")
        competency = raw.get("competency")
        if not isinstance(competency, str) or not competency:
            self.problem(path, f"{where}: needs one competency code")
        else:
            self.codes(path, where, [competency])
        difficulty = raw.get("difficulty", 2)
        if difficulty not in (1, 2, 3):
            self.problem(path, f"{where}: difficulty must be 1, 2 or 3")
        for name in ("prompt", "explanation"):
            if not _bilingual(raw.get(name)):
                self.problem(path, f"{where}: {name} needs vi and en")
        choices: list[Choice] = []
        for index, choice in enumerate(raw.get("choices") or [], start=1):
            if not isinstance(choice, dict):
                self.problem(path, f"{where}: choice {index} is not a mapping")
                continue
            if not _bilingual(choice.get("text")):
                self.problem(path, f"{where}: choice {index} text needs vi and en")
            if not _bilingual(choice.get("feedback")):
                self.problem(path, f"{where}: choice {index} feedback needs vi and en")
            choices.append(Choice(text=choice.get("text") or {},
                                  correct=choice.get("correct") is True,
                                  feedback=choice.get("feedback") or {}))
        right = sum(1 for c in choices if c.correct)
        if len(choices) < 2:
            self.problem(path, f"{where}: needs at least two choices")
        elif right == 0:
            self.problem(path, f"{where}: no choice is marked correct")
        elif kind in ("single_choice", "true_false") and right != 1:
            self.problem(path, f"{where}: a {kind} question needs exactly one correct choice")
        if kind == "true_false" and len(self.problems) == before:
            words = [truth_value(c.text) for c in choices]
            if len(choices) != 2 or sorted(words, key=str) != [False, True]:
                self.problem(path, f"{where}: a true_false question needs the two choices "
                                   "Đúng/True and Sai/False")
        if len(self.problems) != before:
            return None
        return QuestionSource(key=key, kind=kind, competency=competency,
                              difficulty=difficulty, prompt=raw["prompt"], choices=choices,
                              explanation=raw["explanation"], file=path)

    def questions(self, path: Path, minimum: int = 1) -> list[QuestionSource]:
        data = self.yaml(path)
        if data is None:
            return []
        raw = data.get("questions") if isinstance(data, dict) else None
        if not isinstance(raw, list) or len(raw) < minimum:
            self.problem(path, f"needs a list 'questions' of at least {minimum}")
            return []
        return [q for number, item in enumerate(raw, start=1)
                if (q := self.question(path, item, number)) is not None]

    def lesson_text(self, path: Path) -> LessonText | None:
        if not path.is_file():
            self.problem(path, "file missing")
            return None
        text = path.read_text(encoding="utf-8")
        match = _FRONT_MATTER.match(text)
        if match is None:
            self.problem(path, "needs front matter between two '---' lines")
            return None
        try:
            meta = yaml.safe_load(match.group(1)) or {}
        except yaml.YAMLError as error:
            self.problem(path, f"front matter is not valid YAML ({error})")
            return None
        if not isinstance(meta, dict) or not str(meta.get("title") or "").strip():
            self.problem(path, "front matter needs a title")
            return None
        self.codes(path, "front matter", meta.get("competencies"))
        if not match.group(2).strip():
            self.problem(path, "the lesson has no text")
        blocks, problems = markdown_blocks(match.group(2), file=path,
                                           first_line=text[:match.start(2)].count("\n"))
        for problem in problems:
            self.problem(path, problem)
        return LessonText(meta=meta, body=match.group(2), file=path, blocks=blocks)


def truth_value(text: dict[str, str]) -> bool | None:
    """True for a choice reading Đúng / True, False for Sai / False, else None."""
    words = {str(value).strip().lower() for value in text.values()}
    if words and words <= _TRUE_WORDS:
        return True
    if words and words <= _FALSE_WORDS:
        return False
    return None


_COURSE_TEXTS = ("title", "summary")
_EXAM_KEYS = ("slug", "title", "draw", "pass_mark")


def pack_read(folder: Path, *, known_codes: set[str]) -> CoursePack:
    """The pack in ``folder``, checked; raises ``PackError`` listing every problem."""
    check = _Checker(folder, known_codes)
    course_file = folder / "course.yaml"
    course = check.yaml(course_file)
    if course is None:
        raise PackError(check.problems)
    if not isinstance(course, dict) or not course.get("code"):
        raise PackError([f"{folder.name}/course.yaml: needs a course code"])
    for name in _COURSE_TEXTS:
        if not _bilingual(course.get(name)):
            check.problem(course_file, f"{name} needs vi and en")
    check.codes(course_file, "course", course.get("competencies"))
    exam = course.get("exam")
    if not isinstance(exam, dict) or any(key not in exam for key in _EXAM_KEYS):
        check.problem(course_file, f"exam needs {', '.join(_EXAM_KEYS)}")
        exam = None
    elif not _bilingual(exam.get("title")):
        check.problem(course_file, "exam title needs vi and en")
    stems = course.get("lessons")
    if not isinstance(stems, list) or not stems:
        check.problem(course_file, "lessons must list the lesson files (stems)")
        stems = []
    pack = CoursePack(folder=folder, course=course)
    lessons_dir = folder / "lessons"
    seen_slugs: set[str] = set()
    for stem in stems:
        stem = str(stem)
        slug = re.sub(r"^\d+-", "", stem)
        if slug in seen_slugs:
            check.problem(course_file, f"two lessons with the slug {slug!r}")
        seen_slugs.add(slug)
        texts = {lang: check.lesson_text(lessons_dir / f"{stem}.{lang}.md") for lang in LANGUAGES}
        questions = check.questions(lessons_dir / f"{stem}.questions.yaml")
        if all(texts.values()):
            pack.lessons.append(LessonSource(stem=stem, slug=slug, texts=texts,  # type: ignore[arg-type]
                                             questions=questions))
    if exam is not None:
        pack.exam_questions = check.questions(folder / "exam.yaml")
        draw = exam.get("draw")
        if not isinstance(draw, int) or draw < 1:
            check.problem(course_file, "exam draw must be a whole number from 1")
        elif len(pack.exam_questions) < 3 * draw:
            check.problem(folder / "exam.yaml",
                          f"the bank holds {len(pack.exam_questions)} good questions; "
                          f"it needs at least 3 x draw = {3 * draw}")
    keys: dict[str, Path] = {}
    for question in pack.all_questions():
        if question.key in keys:
            check.problem(question.file, f"question key {question.key!r} is used twice in the "
                                         f"course (also in {keys[question.key].name})")
        keys[question.key] = question.file
    if check.problems:
        raise PackError(check.problems)
    return pack


def pack_folders(root: Path) -> list[Path]:
    """The course folders under ``root`` (each with a course.yaml), in name order."""
    return sorted(path.parent for path in root.glob("*/course.yaml"))
