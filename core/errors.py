"""Error pages: Dutch HTML for people, JSON for API clients. They reveal nothing more."""

import flask
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from core import maintenance

MESSAGES = {
    400: ("Ongeldig verzoek", "Het verzoek kon niet worden verwerkt."),
    401: ("Niet ingelogd", "Log in om verder te gaan."),
    403: ("Geen toegang", "Je hebt geen toegang tot deze pagina."),
    404: ("Niet gevonden", "Deze pagina bestaat niet."),
    405: ("Niet toegestaan", "Deze handeling kan hier niet."),
    409: ("Conflict", "De gegevens zijn intussen gewijzigd."),
    413: ("Te groot", "Het bestand of de tekst is te groot."),
    429: ("Even geduld", "Te veel pogingen. Probeer het over een paar minuten opnieuw."),
    500: ("Er ging iets mis", "Er ging iets mis aan onze kant. Er is niets half opgeslagen."),
    503: ("Onderhoud", maintenance.MESSAGE),
}


def _wants_json():
    return flask.request.path.startswith("/api/") or flask.request.path == "/api"


def handle_http_error(error):
    status = error.code or 500
    if _wants_json():
        description = error.description if status < 500 else "internal error"
        return flask.jsonify({"error": description}), status
    title, text = MESSAGES.get(status, (error.name, error.description))
    if isinstance(error, CSRFError):
        flask.g.audit_outcome = "denied"
        title, text = "Formulier verlopen", "Herlaad de pagina en probeer het opnieuw."
    fragment = flask.request.headers.get("HX-Request") == "true"
    template = "_error.html" if fragment else "error.html"
    return flask.render_template(template, status=status, title=title, text=text), status


def handle_unexpected(error):
    flask.current_app.logger.exception("unhandled error", exc_info=error)
    from werkzeug.exceptions import InternalServerError

    return handle_http_error(InternalServerError())


def maintenance_response(_error=None):
    """503 while a restore runs: Dutch for people, the same sentence for API clients."""
    if _wants_json():
        response = flask.jsonify({"error": maintenance.MESSAGE})
    else:
        fragment = flask.request.headers.get("HX-Request") == "true"
        title, text = MESSAGES[503]
        html = flask.render_template(
            "_error.html" if fragment else "error.html", status=503, title=title, text=text
        )
        response = flask.make_response(html)
    response.status_code = 503
    response.headers["Retry-After"] = str(maintenance.RETRY_AFTER_SECONDS)
    return response


def refuse_writes_during_maintenance():
    """before_request: a write gets the 503 at once while a restore runs.

    The write transaction checks again once it holds the lock (core.database), so a
    request that passed here just before the restore began cannot commit after it.
    """
    if flask.request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    path = flask.current_app.config["DATABASE"]
    if maintenance.holder(path) is not None:
        return maintenance_response()
    return None


def register(app):
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(maintenance.UnderMaintenance, maintenance_response)
    if not app.testing:
        app.register_error_handler(Exception, handle_unexpected)
