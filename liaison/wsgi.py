import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")

application = get_wsgi_application()

# Outside the demo (DEMO_MODE), refuse to serve while demo accounts keep the published password.
from liaison.accounts.demo_guard import refuse_demo_passwords  # noqa: E402 (needs the app registry)

refuse_demo_passwords()
