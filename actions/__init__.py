def init_app(app):
    """Actions have tables only; their pages belong to the conference and the family."""
