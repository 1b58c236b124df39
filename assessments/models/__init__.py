"""Question banks, quizzes and attempts."""

from .attempts import Attempt, AttemptSlot, AttemptStatus
from .banks import Difficulty, Question, QuestionBank, QuestionKind, QuestionOption
from .quizzes import GradingMethod, QuizKind, QuizPage, ReviewPolicy

__all__ = [
    "Attempt", "AttemptSlot", "AttemptStatus", "Difficulty", "GradingMethod", "Question",
    "QuestionBank", "QuestionKind", "QuestionOption", "QuizKind", "QuizPage", "ReviewPolicy",
]
