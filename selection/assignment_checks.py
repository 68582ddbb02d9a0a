"""The hard constraints of a panel assignment, checked from the outside: what the tests
(including the property tests) hold every result of `selection.assignment` to."""

from __future__ import annotations

from collections.abc import Mapping

from selection.assignment import AssignmentResult


def check(
    result: AssignmentResult,
    applications: list[int],
    panelists: Mapping[int, str],
    conflicts: set[tuple[int, int]],
    *,
    k: int,
    max_per_panelist: int,
    existing: Mapping[int, list[int]] | None = None,
) -> list[str]:
    """Hard-constraint violations of ``result`` (empty list = valid).

    Checks: no conflicted pair, no duplicate, capacity (a panelist's manual pairs may
    exceed it, nothing else may be added then), kept/dropped existing pairs, consistent
    ``loads`` and ``shortfalls``, and maximality in the weak sense that no application
    is short while a non-conflicted panelist that is not on it still has spare capacity.
    """
    errors: list[str] = []
    existing = existing or {}
    if set(result.assignments) != set(applications):
        errors.append("assignments do not cover exactly the applications")
    loads = dict.fromkeys(panelists, 0)
    for a, ps in result.assignments.items():
        if ps != sorted(ps):
            errors.append(f"application {a}: panelists not sorted")
        if len(set(ps)) != len(ps):
            errors.append(f"application {a}: duplicate panelist")
        for p in ps:
            if p not in panelists:
                errors.append(f"application {a}: unknown panelist {p}")
                continue
            if (a, p) in conflicts:
                errors.append(f"application {a}: conflicted panelist {p}")
            loads[p] += 1
    if loads != result.loads:
        errors.append("loads do not match assignments")
    manual: dict[int, int] = {}
    expected_dropped = set()
    for a, ps in existing.items():
        for p in set(ps):
            if (a, p) in conflicts:
                expected_dropped.add((a, p))
            else:
                manual[p] = manual.get(p, 0) + 1
                if p not in result.assignments.get(a, []):
                    errors.append(f"existing pair ({a}, {p}) not kept")
    if set(result.dropped) != expected_dropped or len(result.dropped) != len(expected_dropped):
        errors.append("dropped pairs do not match the conflicted existing pairs")
    limit = {p: max(max_per_panelist, manual.get(p, 0)) for p in panelists}
    for p, n in loads.items():
        if n > limit[p]:
            errors.append(f"panelist {p}: load {n} exceeds {limit[p]}")
    for a, ps in result.assignments.items():
        short = max(0, k - len(ps))
        if result.shortfalls.get(a, 0) != short:
            errors.append(f"application {a}: shortfall {result.shortfalls.get(a)} != {short}")
        if short:
            on = set(ps)
            for p in panelists:
                if p not in on and (a, p) not in conflicts and loads[p] < max_per_panelist:
                    errors.append(f"application {a} short while panelist {p} is free")
                    break
    if any(v <= 0 for v in result.shortfalls.values()):
        errors.append("shortfalls lists a non-positive entry")
    return errors
