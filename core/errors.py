"""Error pages: Dutch HTML for people, JSON for API clients. They reveal nothing more."""

import flask
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

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


def register(app):
    app.register_error_handler(HTTPException, handle_http_error)
    if not app.testing:
        app.register_error_handler(Exception, handle_unexpected)
