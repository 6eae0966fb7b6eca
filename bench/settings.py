"""The production settings (liaison.settings, from the environment as deployed) with the bench's URLconf:
the station's URLs and one bare view, served by the same gunicorn through the same middleware."""

from liaison.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
