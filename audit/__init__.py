"""The access log, in the spirit of NEN 7513: who did what with which family's data."""


def init_app(app):
    """The access log: an entry for every family request, in the change's transaction."""
    from audit import carry, cli, hooks, views
    from core import plugins

    app.after_request(hooks.log_family_request)
    # Last: only what the view writes carries the request's access-log entry.
    plugins.before_request(app, plugins.LAST, hooks.arm_change_entry)
    app.register_blueprint(views.bp)
    app.cli.add_command(cli.audit_group)
    plugins.add(app, "restore_carry", (carry.take, carry.put))
