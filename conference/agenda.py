"""The agenda of a case conference: its steps, and moving through them. Pure.

The default agenda follows ``../shared/docs/domain.md`` (How a case conference runs).
A facilitator may adapt it per conference: leave out a step or change its order; the
steps themselves (what each shows) are fixed here, so every screen knows what to draw.
"""

import dataclasses


@dataclasses.dataclass(frozen=True)
class Step:
    key: str
    title: str  # Dutch, as the projector shows it
    prompt: str  # one line under the title: what the step is for


STEPS = (
    Step("opening", "Opening", "Doel van vandaag, wie er aan tafel zit, instemming."),
    Step("family", "Het gezin in beeld", "Het genogram en het netwerk."),
    Step("child", "Het perspectief van het kind", "Zorgen, goede dingen en dromen."),
    Step("worries", "Zorgen en wat goed gaat", "Zorgen, wat goed gaat, wat moet gebeuren; 0-10."),
    Step("signals", "Signalen", "Welke partners ontbreken, welke waarschuwingen er zijn."),
    Step("elsewhere", "Wat elders werkte", "Vergelijkbare casussen en hun oplossingen."),
    Step("ideas", "Ideeën", "Vrij brainstormen: alles mag, niemand oordeelt nog."),
    Step("decisions", "Besluiten en acties", "Wat, wie, wanneer; wie houdt de regie; plan B."),
    Step("closing", "Afsluiting", "Samenvatting en de volgende datum."),
)  # fmt: skip
BY_KEY = {step.key: step for step in STEPS}
DEFAULT_AGENDA = tuple(step.key for step in STEPS)


class AgendaError(ValueError):
    """An agenda that cannot be used; the message is Dutch, for the user."""


def check_agenda(keys):
    """The agenda as a tuple of step keys, or AgendaError: known steps, each once, and
    the opening first and the closing last (a meeting without them is no meeting)."""
    keys = tuple(keys)
    unknown = [key for key in keys if key not in BY_KEY]
    if unknown:
        raise AgendaError(f"Onbekende stap: {', '.join(unknown)}.")
    if len(set(keys)) != len(keys):
        raise AgendaError("Elke stap mag maar één keer op de agenda staan.")
    if not keys or keys[0] != "opening" or keys[-1] != "closing":
        raise AgendaError("De agenda begint met de opening en eindigt met de afsluiting.")
    return keys


def steps_of(agenda):
    return [BY_KEY[key] for key in agenda]


def position(agenda, key):
    """The 1-based number of step ``key`` in the agenda (what the keyboard jumps to)."""
    return agenda.index(key) + 1


def next_step(agenda, current):
    index = agenda.index(current)
    return agenda[min(index + 1, len(agenda) - 1)]


def previous_step(agenda, current):
    index = agenda.index(current)
    return agenda[max(index - 1, 0)]


def step_number(agenda, number):
    """The step at 1-based ``number``, or AgendaError."""
    if not 1 <= number <= len(agenda):
        raise AgendaError(f"Kies een stap van 1 tot en met {len(agenda)}.")
    return agenda[number - 1]
