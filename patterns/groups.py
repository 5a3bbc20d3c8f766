"""Groups of similar families: k-means over the finder's feature blocks. Pure.

The vectors use the finder's structured blocks (``finder.features.case_features``):
problems by role, residence, goal, family structure and partners (present, in the
team, missing), one column per token (present or not), plus the numeric block scaled
to 0-1. The free-text blocks (narrative, interests) stay out: a group is described by
what its families share, and that description must not quote a family's own words.
k-means with a fixed seed gives the same groups for the same cohort.
"""

import itertools
import math
import warnings
from collections import Counter

import numpy as np
from scipy import sparse
from sklearn.cluster import KMeans
from sklearn.exceptions import ConvergenceWarning

from cases import codes
from finder.estimator import FAMILY_LABELS

BLOCKS = ("problems", "residence", "goal", "family", "partners")
PREFIXES = tuple((block, f"{block}|") for block in BLOCKS)
FIT_SAMPLE = 20_000  # larger cohorts: fit on a seeded sample, then assign every family
NUMERIC_CAPS = {"placements": 10.0, "secure": 5.0, "informal": 10.0, "age": 18.0}
MAX_GROUPS = 6
SHARED = 0.6  # a token describes a group when at least this share of it has it
MAX_WORDS = 5

ROLES = {"kind": "kind", "ouder": "ouder", "broerzus": "broer of zus", "familie": "familie"}
# The finder's family-structure phrases, a few worded for a group ("hechte grootouders").
FAMILY_FLAGS = {
    **FAMILY_LABELS,
    "grootouders_hecht": "hechte grootouders",
    "oom_tante": "ooms of tantes in beeld",
    "oom_tante_hecht": "hechte oom of tante",
    "kind_ouder_verwijderd": "afstand tussen kind en ouder",
    "kind_ouder_hecht": "kind en ouder hecht",
}


def group_count(n):
    """How many groups for ``n`` families: about sqrt(n / 2), from 1 to MAX_GROUPS."""
    if n < 2:
        return n
    return max(1, min(MAX_GROUPS, round(math.sqrt(n / 2)), n))


def tokens(features):
    """The tokens of one family's feature blocks (each once)."""
    found = set()
    for block, prefix in PREFIXES:
        found.update(map(prefix.__add__, features.get(block, ())))
    return found


def token_label(token, rule_titles=None):
    """A token in Dutch: ``problems|ouder:psychiatric`` -> ``ouder: psychiatrische ...``."""
    block, _, value = token.partition("|")
    kind, _, code = value.partition(":")
    if block == "problems":
        return f"{ROLES.get(kind, kind)}: {codes.PROBLEMS.get(code, code)}"
    if block == "residence":
        where = codes.RESIDENCES.get(code, code)
        return f"kind woont nu: {where}" if kind == "nu" else f"kind was ooit: {where}"
    if block == "goal":
        return f"doel: {codes.GOALS.get(code, code)}"
    if block == "family":
        return FAMILY_FLAGS.get(value, value.replace("_", " "))
    if block == "partners":
        label = codes.PARTNERS.get(code, code)
        return {
            "aanwezig": f"betrokken: {label}",
            "team": f"in het team: {label}",
            "ontbreekt": f"ontbreekt: {label}",
            "signaal": f"signaal: {(rule_titles or {}).get(code, code)}",
        }.get(kind, value)
    return value


def _numeric(features):
    found = features.get("numeric") or {}
    return [min(float(found.get(k) or 0.0), cap) / cap for k, cap in NUMERIC_CAPS.items()]


def vectors(features_list, family_tokens=None):
    """A sparse matrix (families x columns) and each family's tokens."""
    if family_tokens is None:
        family_tokens = [tokens(f) for f in features_list]
    columns = sorted(set().union(*family_tokens)) if family_tokens else []
    index = {token: i for i, token in enumerate(columns)}
    rows = [row for row, found in enumerate(family_tokens) for _ in found]
    cols = [index[token] for found in family_tokens for token in found]
    binary = sparse.csr_matrix(
        (np.ones(len(rows)), (rows, cols)), shape=(len(features_list), len(columns))
    )
    numeric = np.array([_numeric(f) for f in features_list], dtype=float).reshape(
        len(features_list), len(NUMERIC_CAPS)
    )
    matrix = sparse.hstack([binary, sparse.csr_matrix(numeric)], format="csr")
    return matrix, family_tokens


def cluster(features_list, k=None, family_tokens=None):
    """Group labels (0..k-1) for the families, by k-means with a fixed seed; groups
    are numbered by size (largest first), ties by first member."""
    n = len(features_list)
    if n == 0:
        return []
    k = group_count(n) if k is None else min(k, n)
    if k <= 1:
        return [0] * n
    matrix, family_tokens = vectors(features_list, family_tokens)
    model = KMeans(n_clusters=k, n_init=4, random_state=0)
    sample = matrix
    if n > FIT_SAMPLE:
        rows = np.random.default_rng(0).choice(n, FIT_SAMPLE, replace=False)
        sample = matrix[np.sort(rows)]
    sample = sample.toarray()  # dense k-means is much faster on these few columns
    with warnings.catch_warnings():
        # Fewer distinct families than groups: k-means says so and leaves groups empty,
        # which the numbering below skips.
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(sample)
    labels = model.predict(matrix)
    sizes = Counter(labels.tolist())
    first = {}
    for i, label in enumerate(labels.tolist()):
        first.setdefault(label, i)
    order = sorted(sizes, key=lambda label: (-sizes[label], first[label]))
    renumber = {label: i for i, label in enumerate(order)}
    return [renumber[label] for label in labels.tolist()]


def describe(member_tokens, overall, total, rule_titles=None):
    """What a group's families share: tokens at least SHARED of them have, the most
    shared and most distinctive (share in the group minus share overall) first.
    ``overall`` counts each token over all ``total`` families."""
    size = len(member_tokens)
    inside = Counter(itertools.chain.from_iterable(member_tokens))
    shared = [
        (inside[t] / size, inside[t] / size - overall[t] / total, t)
        for t in inside
        if inside[t] / size >= SHARED
    ]
    shared.sort(key=lambda item: (-item[0], -item[1], item[2]))
    return [
        {"token": t, "label": token_label(t, rule_titles), "families": inside[t], "share": share}
        for share, _distinct, t in shared[:MAX_WORDS]
    ]


def groups(records, k=None, rule_titles=None):
    """The groups of a cohort: ``[{"group", "families": [record ids], "size",
    "shared": [{token, label, families, share}], "description"}]``."""
    features_list = [r["features"] for r in records]
    all_tokens = [tokens(f) for f in features_list]
    labels = cluster(features_list, k, all_tokens)
    overall = Counter(itertools.chain.from_iterable(all_tokens))
    members_of = {}
    for i, label in enumerate(labels):
        members_of.setdefault(label, []).append(i)
    found = []
    for group in sorted(set(labels)):
        members = members_of[group]
        shared = describe([all_tokens[i] for i in members], overall, len(all_tokens), rule_titles)
        size = len(members)
        noun = "gezin" if size == 1 else "gezinnen"
        words = "; ".join(
            f"{s['label']} ({s['families']} van {size})" if s["families"] < size else s["label"]
            for s in shared
        )
        found.append(
            {
                "group": group + 1,
                "families": [records[i]["id"] for i in members],
                "size": size,
                "shared": shared,
                "description": (
                    f"{size} {noun}; gedeeld: {words}" if words
                    else f"{size} {noun} zonder duidelijke gemeenschappelijke kenmerken"
                ),
            }
        )  # fmt: skip
    return found
