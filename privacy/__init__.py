"""The family's rights: consent, export of everything, retention and erasure."""


def init_app(app):
    """Consent, retention and erasure."""
    from privacy import views

    app.register_blueprint(views.bp)
