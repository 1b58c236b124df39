"""docker-compose.yml describes the topology the end-to-end test runs without Docker."""

from pathlib import Path

import yaml

COMPOSE = Path(__file__).resolve().parents[1] / "docker-compose.yml"


def test_compose_has_the_five_services_with_healthchecks():
    compose = yaml.safe_load(COMPOSE.read_text())
    services = compose["services"]
    assert set(services) == {"postgres", "redis", "web", "worker", "beat"}
    assert all("healthcheck" in service for service in services.values())
    assert "gunicorn lms.wsgi" in services["web"]["command"]
    assert services["worker"]["command"].startswith("celery -A lms worker")
    assert "django_celery_beat.schedulers:DatabaseScheduler" in services["beat"]["command"]
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["CELERY_BROKER_URL"].startswith("redis://")
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"
