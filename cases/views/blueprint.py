"""The family pages' blueprint, apart from the package so that the route modules can
register on it without importing the package that imports them."""

import flask
import flask_login

bp = flask.Blueprint("cases", __name__, url_prefix="/gezinnen")


@bp.before_request
@flask_login.login_required
def require_login():
    """Every family page needs a logged-in user."""
