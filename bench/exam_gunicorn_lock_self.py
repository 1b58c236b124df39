"""gunicorn config for an experiment only (``exam_submit.py --experiment lock-self``): each
worker locks only the attempt row when it saves or submits (``select_for_update(of=
("self",))``), not also the quiz's page rows that ``select_related("quiz")`` joins, to
measure what that lock costs when many learners submit the same exam. Not production."""

from typing import Any


def post_worker_init(worker: Any) -> None:
    from assessments import services
    from assessments.models import Attempt

    original = services._locked

    def locked(user: Any, attempt_id: object) -> Attempt:
        attempt = (Attempt.objects.select_for_update(of=("self",)).select_related("quiz")
                   .filter(pk=attempt_id, user=user).first())
        return attempt if attempt is not None else original(user, attempt_id)

    services._locked = locked
