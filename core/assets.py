"""Front-end packages installed from the npm registry, served by the app itself."""

import pathlib

import flask

bp = flask.Blueprint("assets", __name__, url_prefix="/vendor")

# Only these files leave node_modules: a public name -> a path inside node_modules.
VENDORED = {
    "htmx.min.js": "htmx.org/dist/htmx.min.js",
    "panzoom.min.js": "@panzoom/panzoom/dist/panzoom.min.js",
    "chart.umd.min.js": "chart.js/dist/chart.umd.min.js",
}


@bp.get("/<name>")
def vendor(name):
    """Serve one allow-listed front-end file."""
    if name not in VENDORED:
        flask.abort(404)
    path = pathlib.Path(flask.current_app.config["NODE_MODULES"]) / VENDORED[name]
    if not path.is_file():
        flask.abort(404, description=f"{VENDORED[name]} is missing: run 'make install'")
    return flask.send_file(path, max_age=3600)
