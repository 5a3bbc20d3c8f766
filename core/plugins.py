"""What the domains plug into the app, kept on the app (two apps never share it).

A domain's ``init_app`` registers its request hooks with a *stage*, so the order in
which they run is explicit rather than the order the domains happen to be listed in
(the maintenance check first, then who is asking, then may they, then forgery, the
access log's transaction last); and steps to run once every domain has plugged in
(the API blueprint once every domain added its routes; what needs the database once
it is migrated).
"""

EXTENSION = "maatwerktafel"

# Stages of the before_request hooks, in the order they run.
MAINTENANCE = 10
THROTTLE = 20
TOKEN = 30
IDLE = 40
GUARD = 50
FORGERY = 60
LAST = 90


def _registry(app):
    return app.extensions.setdefault(EXTENSION, {})


def add(app, kind, *values):
    """Register ``values`` of one kind (``migrations``, ``after_domains``, ...)."""
    _registry(app).setdefault(kind, []).extend(values)


def of(app, kind):
    """What was registered of ``kind``, in the order it was."""
    return list(_registry(app).get(kind, []))


def before_request(app, stage, hook):
    """Run ``hook`` before each request, at ``stage`` (see the stages above)."""
    add(app, "before_request", (stage, len(of(app, "before_request")), hook))


def install_hooks(app):
    """Register the staged before_request hooks with Flask, in stage order: as one hook
    that runs them in turn and stops at the first that answers, as Flask would (Flask's
    own bookkeeping per hook was a tenth of a poll's time)."""
    hooks = [hook for _, _, hook in sorted(of(app, "before_request"), key=lambda item: item[:2])]

    def staged_hooks():
        for hook in hooks:
            answer = hook()
            if answer is not None:
                return answer
        return None

    app.before_request(staged_hooks)
