"""Template helpers of the library: de-identified text with its tags marked."""

import markupsafe

from library.display import readable, segments


def deidentified(text, tags=None):
    """Library text with its tags shown as marked words (see ``library.display``)."""
    parts = []
    for part, tag in segments(text or "", tags):
        if tag is None:
            parts.append(markupsafe.escape(part))
        else:
            parts.append(
                markupsafe.Markup(
                    '<span class="redacted" title="Geanonimiseerd ([{}])">{}</span>'
                ).format(tag, part)
            )
    return markupsafe.Markup("").join(parts)


def register(app):
    app.jinja_env.filters["deidentified"] = deidentified
    app.jinja_env.filters["deidentified_text"] = readable
