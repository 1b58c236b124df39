"""Move the questions typed inside quiz pages (the single-choice blocks of the first
version) into a question bank per quiz, point the quizzes (and their revisions) at them,
and turn each old attempt into slots holding the questions as they were asked."""

import json
import uuid
from collections import defaultdict

from django.db import migrations
from django.utils.html import escape


def _items(choices):
    for item in choices:
        if isinstance(item, dict) and "value" in item and "type" in item:
            yield item.get("id") or str(uuid.uuid4()), item["value"]
        else:
            yield str(uuid.uuid4()), item


def _raw(value):
    if isinstance(value, str):
        return json.loads(value or "[]")
    return list(value or [])


def _snapshot(question, options):
    return {
        "v": 1, "uid": str(question.uid), "kind": question.kind, "name": question.name,
        "prompt": question.prompt, "image_id": None, "mark": 1.0,
        "case_sensitive": False, "shuffle": True, "competency": "", "difficulty": 2,
        "options": [{"id": str(o.pk), "text": o.text, "match": "", "fraction": float(o.fraction),
                     "tolerance": None, "feedback": ""} for o in options],
        "feedback": {"correct": "", "partial": "", "wrong": ""},
        "explanation": question.explanation,
    }


def forwards(apps, schema_editor):
    QuizPage = apps.get_model("assessments", "QuizPage")
    QuestionBank = apps.get_model("assessments", "QuestionBank")
    Question = apps.get_model("assessments", "Question")
    QuestionOption = apps.get_model("assessments", "QuestionOption")
    Attempt = apps.get_model("assessments", "Attempt")
    Answer = apps.get_model("assessments", "Answer")
    AttemptSlot = apps.get_model("assessments", "AttemptSlot")
    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")

    questions = {}  # old block id -> (Question, {old choice id: option})

    def convert(quiz, stream):
        bank = None
        out = []
        for block in stream:
            if block.get("type") != "single_choice":
                out.append(block)
                continue
            if block.get("id") not in questions:
                if bank is None:
                    bank, _ = QuestionBank.objects.get_or_create(
                        name=f"{quiz.title} (#{quiz.pk})"[:255])
                value = block["value"]
                question = Question.objects.create(
                    bank=bank, kind="single_choice", prompt=f"<p>{escape(value['prompt'])}</p>",
                    explanation=value.get("explanation") or "")
                options = {}
                for order, (choice_id, choice) in enumerate(_items(value.get("choices", []))):
                    options[choice_id] = QuestionOption.objects.create(
                        question=question, sort_order=order, text=choice.get("text", ""),
                        fraction=1 if choice.get("correct") else 0)
                questions[block.get("id")] = (question, options)
            out.append({"type": "question", "id": block.get("id") or str(uuid.uuid4()),
                        "value": {"question": questions[block.get("id")][0].pk}})
        return out

    quiz_type = ContentType.objects.filter(app_label="assessments", model="quizpage").first()
    # The stored JSON is read and written as such: the model layer drops block types it no
    # longer knows, which is exactly what is being converted here.
    table = QuizPage._meta.db_table
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT page_ptr_id, questions FROM {table}")
        stored = cursor.fetchall()
    for quiz_id, raw in stored:
        quiz = QuizPage.objects.get(pk=quiz_id)
        converted = convert(quiz, _raw(raw))
        value = "CAST(%s AS jsonb)" if schema_editor.connection.vendor == "postgresql" else "%s"
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET questions = {value} WHERE page_ptr_id = %s",
                           [json.dumps(converted), quiz_id])
        if quiz_type is None:
            continue
        for revision in Revision.objects.filter(content_type=quiz_type, object_id=str(quiz.pk)):
            content = dict(revision.content)
            if "questions" in content:
                content["questions"] = json.dumps(convert(quiz, _raw(content["questions"])))
                revision.content = content
                revision.save(update_fields=["content"])

    numbers = defaultdict(int)
    for attempt in Attempt.objects.order_by("started_at", "pk"):
        numbers[(attempt.user_id, attempt.quiz_id)] += 1
        attempt.number = numbers[(attempt.user_id, attempt.quiz_id)]
        answers = {a.question_id: a for a in Answer.objects.filter(attempt=attempt)}
        slots = []
        for position, block_id in enumerate(attempt.question_ids or []):
            if block_id not in questions:
                continue
            question, options = questions[block_id]
            ordered = list(options.values())
            answer = answers.get(block_id)
            chosen = options.get(answer.choice_id) if answer else None
            slots.append(AttemptSlot(
                attempt=attempt, position=position, question=question,
                snapshot=_snapshot(question, ordered),
                layout={"options": [str(o.pk) for o in ordered]},
                response=str(chosen.pk) if chosen else None,
                fraction=(1.0 if answer and answer.correct else 0.0)
                if attempt.status == "submitted" else None,
            ))
        AttemptSlot.objects.bulk_create(slots)
        attempt.score_raw = attempt.correct_count
        attempt.score_max = float(len(slots)) if attempt.status == "submitted" else None
        attempt.save(update_fields=["number", "score_raw", "score_max"])


class Migration(migrations.Migration):

    dependencies = [
        ("assessments", "0003_banks_attempts"),
        ("wagtailcore", "0094_alter_page_locale"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
