"""gunicorn settings, read when gunicorn starts in the project root (`gunicorn lapor.wsgi`).

Flags on the command line win over these (docs/deployment.md).
"""

import gc


def post_worker_init(worker: object) -> None:
    # Django, the URL patterns, the models and the templates are loaded now and live as long as
    # the worker: moved into the permanent generation, the collector no longer walks them on
    # every full collection, which requests trigger again and again.
    gc.freeze()
