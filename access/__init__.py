"""Need-to-know access: family teams and the policy that decides who sees what."""


def init_app(app):
    """Family teams and the guard on every family route."""
    from access import cli, guard
    from core import plugins

    plugins.before_request(app, plugins.GUARD, guard.guard_family_routes)
    app.cli.add_command(cli.team_group)
