"""Similar-case finder: earlier cases like this one, why, and what worked there.

Pure (no Flask, no database). The public API is small:

``CaseFinder(weights=None, numeric_scales=None, ruleset=None, max_reasons=4)``
    scikit-learn style estimator (``finder.estimator``). Settings are kept as given;
    ``None`` means the defaults of ``finder/weights.py`` and the rules in ``rules/``.

``CaseFinder.fit(cases) -> self``
    Index a list of canonical cases (``cases.validation.canonical_case``), distinct codes.

``CaseFinder.kneighbors(case, n_neighbors=5, *, exclude=(), worked_only=False) -> list``
    The most similar indexed cases for a canonical case (stored or not), best first, ties
    by code ascending; the case's own code is never returned, nor codes in ``exclude``.
    Each result is ``{"code", "title", "score", "reasons", "solutions", "outcome"}``:
    ``score`` a float (weighted sum of block similarities, 4 decimals), ``reasons`` short
    Dutch phrases ("beide: ouder met psychiatrische problematiek", "interesse paarden",
    "4 plaatsingen waarvan 2 gesloten"), ``solutions`` as in case/1 and ``outcome`` the
    case's outcome object. ``worked_only=True`` keeps only cases with a solution whose
    outcome is ``worked`` or ``partly``, and shows only those solutions.

``CaseFinder.add(case) -> self`` / ``CaseFinder.remove(code) -> self``
    Keep the index current without a refit. ``add`` of a code already indexed replaces
    it (a changed case). Words and codes outside the fitted vocabulary are ignored, and
    IDF stays as fitted, until the next ``fit``. A removed case is never returned.
    ``len(finder)`` counts the live cases; ``code in finder`` tells whether one is there.

``CaseFinder.rank(case, *, exclude=(), worked_only=False) -> [(position, score)]``
    Every candidate, best first (``finder.codes_[position]`` is its code); for evaluation.

``CaseFinder.similarities(case) -> {block: ndarray}``
    Unweighted similarity per block to every indexed position; for tuning weights.

Using a finder before ``fit`` raises ``sklearn.exceptions.NotFittedError``. A fitted
finder pickles (``joblib.dump(finder, path)`` / ``joblib.load(path)``), so an index can
be saved and loaded at start-up; refit after the rules, the thesaurus or the stop-word
list change.

Modules: ``analyzer`` (Dutch text: thesaurus, stop words, ``dutch_porter`` stems),
``features`` (the blocks of one case), ``weights`` (the block weights, in one place),
``estimator`` (``CaseFinder``), ``evaluation`` (hit@k and MRR@k of rankings),
``signals`` (which rules fire, remembered by what each rule reads), ``numeric`` (the
numeric block over the distinct rows only).
"""

__all__ = ["CaseFinder", "WORKED"]


def __getattr__(name):
    # scikit-learn and SciPy load when the finder is first used, not when the app starts.
    if name in __all__:
        from finder import estimator

        return getattr(estimator, name)
    raise AttributeError(f"module 'finder' has no attribute {name!r}")


def init_app(app):
    """The finder in the app: the library index, the family page section, CLI and API."""
    from cases import cli as cases_cli
    from finder import web

    web.init_app(app)
    app.register_blueprint(web.bp)
    app.jinja_env.globals["render_similar"] = web.render_similar
    cases_cli.cases_group.add_command(web.similar_command)
