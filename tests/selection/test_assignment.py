"""Expert-panel assignment (selection/assignment.py): examples and Hypothesis properties.

Pure Python: no database.  Timing (not asserted here): 50,000 applications x k=5 x 300
panelists take about 1.5-2 s (sparse conflicts) on the development machine.
"""

import itertools
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selection.assignment import (
    AFFILIATIONS,
    AssignmentResult,
    assign_panel,
    balance,
    eligible_panelists,
)
from selection.assignment_checks import check

# -- helpers -----------------------------------------------------------------------------


def run(apps, pans, conflicts=frozenset(), *, k, cap, existing=None, seed=0):
    conflicts = set(conflicts)
    result = assign_panel(
        apps, pans, conflicts, k=k, max_per_panelist=cap, existing=existing, seed=seed
    )
    assert check(result, apps, pans, conflicts, k=k, max_per_panelist=cap, existing=existing) == []
    return result


def spread(result, apps, pans, conflicts=frozenset()):
    return balance(result.loads, eligible_panelists(apps, pans, set(conflicts)))


def improving_moves(result, pans, conflicts, cap, existing):
    """Single moves of one (non-manual) application from a panelist with load L to a
    panelist with load <= L - 2 that is not on it, not conflicted, with spare capacity."""
    manual = {(a, p) for a, ps in (existing or {}).items() for p in ps}
    loads = result.loads
    moves = []
    for a, ps in result.assignments.items():
        on = set(ps)
        for p in ps:
            if (a, p) in manual:
                continue
            for q in pans:
                if (
                    q not in on
                    and (a, q) not in conflicts
                    and loads[q] < cap
                    and loads[q] <= loads[p] - 2
                ):
                    moves.append((a, p, q))
    return moves


def max_seats(apps, pans, conflicts, k, cap, fixed):
    """Maximum number of filled seats (independent augmenting-path b-matching)."""
    load = dict.fromkeys(pans, 0)
    for _a, p in fixed:
        load[p] += 1
    held: set[tuple[int, int]] = set()  # movable (application, panelist) pairs in use

    def augment(a, seen_p, seen_a):
        for p in pans:
            if (a, p) in conflicts or (a, p) in fixed or (a, p) in held or p in seen_p:
                continue
            seen_p.add(p)
            if load[p] < cap:
                held.add((a, p))
                load[p] += 1
                return True
            for b in apps:
                if (b, p) in held and b not in seen_a:
                    seen_a.add(b)
                    if augment(b, seen_p, seen_a):
                        held.discard((b, p))
                        held.add((a, p))
                        return True
        return False

    total = len(fixed)
    for a in apps:
        for _ in range(k - sum(1 for b, _p in fixed if b == a)):
            if not augment(a, set(), {a}):
                break
            total += 1
    return total


def brute_force(apps, pans, conflicts, k, cap, fixed):
    """(max seats, best max-min among assignments with max seats) by enumeration."""
    elig_all = eligible_panelists(apps, pans, conflicts)
    best = (-1, 0)
    options = []
    for a in apps:
        mine = {p for b, p in fixed if b == a}
        others = [p for p in pans if (a, p) not in conflicts and p not in mine]
        room = k - len(mine)
        opts = [tuple(mine) + c for r in range(room + 1) for c in itertools.combinations(others, r)]
        options.append(opts)
    for combo in itertools.product(*options):
        loads = dict.fromkeys(pans, 0)
        for ps in combo:
            for p in ps:
                loads[p] += 1
        if any(v > cap for v in loads.values()):
            continue
        seats = sum(len(ps) for ps in combo)
        bal = balance(loads, elig_all)
        if seats > best[0] or (seats == best[0] and bal < best[1]):
            best = (seats, bal)
    return best


@st.composite
def instances(draw, max_apps=60, max_pans=25, density=0.3, with_conflicts=True):
    n_apps = draw(st.integers(0, max_apps))
    n_pans = draw(st.integers(0, max_pans))
    k = draw(st.integers(1, 6))
    cap = draw(st.integers(1, 40))
    gen = random.Random(draw(st.integers(0, 2**32)))
    apps = [1000 + 3 * i for i in range(n_apps)]
    affs = draw(st.lists(st.sampled_from(AFFILIATIONS), min_size=n_pans, max_size=n_pans))
    pans = {100 + 7 * i: aff for i, aff in enumerate(affs)}
    d = gen.uniform(0, density) if with_conflicts else 0.0
    conflicts = {(a, p) for a in apps for p in pans if gen.random() < d}
    existing: dict[int, list[int]] = {}
    if with_conflicts and draw(st.booleans()):
        manual_load = dict.fromkeys(pans, 0)
        for a in apps:
            if pans and gen.random() < 0.2:
                picks = gen.sample(sorted(pans), min(len(pans), gen.randint(1, k)))
                ok = [p for p in picks if manual_load[p] < cap]
                for p in ok:
                    manual_load[p] += 1
                if ok:
                    existing[a] = ok
    seed = draw(st.integers(0, 1000))
    return apps, pans, conflicts, k, cap, existing, seed


FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- examples ----------------------------------------------------------------------------

PANEL5 = {1: "government", 2: "enterprise", 3: "research", 4: "university", 5: "investment"}


def test_simple_ten_applications_five_panelists():
    apps = list(range(10, 20))
    result = run(apps, PANEL5, k=3, cap=10)
    assert all(len(ps) == 3 for ps in result.assignments.values())
    assert result.shortfalls == {}
    assert sorted(result.loads.values()) == [6, 6, 6, 6, 6]
    assert result.dropped == []
    assert isinstance(result, AssignmentResult)


def test_every_application_gets_all_panelists_when_k_equals_panel_size():
    result = run(list(range(10)), PANEL5, k=5, cap=10)
    assert all(ps == [1, 2, 3, 4, 5] for ps in result.assignments.values())
    assert result.loads == dict.fromkeys(PANEL5, 10)


def test_conflicts_respected():
    apps = list(range(10))
    conflicts = {(a, 1) for a in range(5)} | {(a, 2) for a in range(5, 10)} | {(3, 4)}
    result = run(apps, PANEL5, conflicts, k=3, cap=10)
    for a, ps in result.assignments.items():
        assert len(ps) == 3
        assert not {(a, p) for p in ps} & conflicts
    # Panelists 1 and 2 can take 5 applications at most, so 3, 4, 5 share the other
    # 20 seats: 7 + 7 + 6 is optimal and max - min = 2 cannot be improved.
    assert result.loads[1] == result.loads[2] == 5
    assert sorted(result.loads.values()) == [5, 5, 6, 7, 7]


def test_existing_pairs_kept():
    apps = list(range(10))
    existing = {0: [1, 2], 1: [1], 7: [5, 4, 3]}
    result = run(apps, PANEL5, k=3, cap=10, existing=existing)
    assert {1, 2} <= set(result.assignments[0])
    assert 1 in result.assignments[1]
    assert result.assignments[7] == [3, 4, 5]
    assert all(len(ps) == 3 for ps in result.assignments.values())
    assert spread(result, apps, PANEL5) <= 1


def test_existing_beyond_k_and_capacity_is_kept_but_nothing_added():
    apps = [1, 2, 3]
    existing = {1: [1, 2, 3, 4], 2: [1], 3: [1]}
    result = run(apps, PANEL5, k=2, cap=2, existing=existing)
    assert result.assignments[1] == [1, 2, 3, 4]
    assert result.loads[1] == 3  # manual decision beyond the cap of 2, nothing added
    assert result.shortfalls == {}


def test_conflicted_existing_pairs_dropped_and_reported():
    apps = [1, 2]
    conflicts = {(1, 3), (2, 5)}
    existing = {1: [3, 4], 2: [5]}
    result = run(apps, PANEL5, conflicts, k=3, cap=10, existing=existing)
    assert result.dropped == [(1, 3), (2, 5)]
    assert 3 not in result.assignments[1] and 4 in result.assignments[1]
    assert 5 not in result.assignments[2]
    assert all(len(ps) == 3 for ps in result.assignments.values())


def test_shortfall_when_too_few_eligible_panelists():
    pans = {1: "government", 2: "research", 3: "university"}
    apps = [10, 11, 12, 13]
    result = run(apps, pans, k=5, cap=10)
    assert result.shortfalls == dict.fromkeys(apps, 2)
    assert all(ps == [1, 2, 3] for ps in result.assignments.values())


def test_shortfall_from_conflicts_only_on_that_application():
    apps = [10, 11]
    conflicts = {(10, 1), (10, 2), (10, 3)}
    result = run(apps, PANEL5, conflicts, k=3, cap=10)
    assert result.assignments[10] == [4, 5]
    assert result.shortfalls == {10: 1}
    assert len(result.assignments[11]) == 3


def test_max_per_panelist_respected_with_shortfall():
    apps = list(range(10))
    result = run(apps, PANEL5, k=3, cap=4)
    assert result.loads == dict.fromkeys(PANEL5, 4)
    assert sum(result.shortfalls.values()) == 30 - 20
    assert all(len(ps) <= 3 for ps in result.assignments.values())


def test_capacity_is_used_through_reassignment():
    # Greedy alone may strand application 2: only panelist 1 is free for it, and
    # panelist 1 can be freed by moving application 1 to panelist 2.
    pans = {1: "government", 2: "research"}
    conflicts = {(2, 2), (3, 1)}
    result = run([1, 2, 3], pans, conflicts, k=1, cap=2)
    assert result.shortfalls == {}
    assert result.assignments[2] == [1]


def test_affiliation_mix_distinct_affiliations():
    result = run(list(range(12)), PANEL5, k=3, cap=12)
    for ps in result.assignments.values():
        assert len({PANEL5[p] for p in ps}) == 3


def test_affiliation_mix_with_repeated_affiliations():
    pans = {1: "government", 2: "government", 3: "research", 4: "research", 5: "university"}
    pans |= {6: "university"}
    for seed in range(5):
        result = run(list(range(10)), pans, k=3, cap=10, seed=seed)
        assert set(result.loads.values()) == {5}
        for ps in result.assignments.values():
            assert len({pans[p] for p in ps}) == 3


def test_panelist_conflicted_with_everything_is_outside_the_balance():
    apps = list(range(6))
    conflicts = {(a, 5) for a in apps}
    result = run(apps, PANEL5, conflicts, k=2, cap=10)
    assert result.loads[5] == 0
    assert eligible_panelists(apps, PANEL5, conflicts) == {1, 2, 3, 4}
    assert spread(result, apps, PANEL5, conflicts) == 0  # 12 seats over 4 panelists


def test_balance_impossible_is_reported_by_the_measure():
    # Panelist 5 may only score application 0; the others must take 3 each.
    apps = list(range(6))
    conflicts = {(a, 5) for a in apps if a}
    result = run(apps, PANEL5, conflicts, k=2, cap=10)
    assert result.loads[5] == 1
    assert spread(result, apps, PANEL5, conflicts) == 2  # optimal; <= 1 impossible


def test_empty_inputs():
    assert run([], PANEL5, k=3, cap=5).assignments == {}
    result = run([1, 2], {}, k=3, cap=5)
    assert result.assignments == {1: [], 2: []} and result.shortfalls == {1: 3, 2: 3}
    assert result.loads == {}
    assert run([1], PANEL5, k=0, cap=5).shortfalls == {}
    assert balance({}, []) == 0


def test_invalid_input():
    with pytest.raises(ValueError):
        assign_panel([1, 1], PANEL5, set(), k=1, max_per_panelist=1)
    with pytest.raises(ValueError):
        assign_panel([1], PANEL5, set(), k=1, max_per_panelist=1, existing={2: [1]})
    with pytest.raises(ValueError):
        assign_panel([1], PANEL5, set(), k=1, max_per_panelist=1, existing={1: [99]})
    with pytest.raises(ValueError):
        assign_panel([1], PANEL5, set(), k=-1, max_per_panelist=1)


def test_deterministic_and_independent_of_input_order():
    gen = random.Random(7)
    apps = list(range(200))
    pans = {p: gen.choice(AFFILIATIONS) for p in range(30)}
    conflicts = {(a, p) for a in apps for p in pans if gen.random() < 0.1}
    first = assign_panel(apps, pans, conflicts, k=5, max_per_panelist=40, seed=3)
    pairs = list(conflicts)
    gen.shuffle(pairs)
    again = assign_panel(
        list(reversed(apps)),
        dict(reversed(pans.items())),
        set(pairs),
        k=5,
        max_per_panelist=40,
        seed=3,
    )
    assert first == again


# -- properties --------------------------------------------------------------------------


@FAST
@given(instances())
def test_hard_constraints_and_local_balance(instance):
    apps, pans, conflicts, k, cap, existing, seed = instance
    result = run(apps, pans, conflicts, k=k, cap=cap, existing=existing, seed=seed)
    # check() covered: no conflicted pair, no duplicate, capacity, existing kept/dropped,
    # no short application next to a free non-conflicted panelist.
    assert improving_moves(result, pans, conflicts, cap, existing) == []
    fixed = {(a, p) for a, ps in existing.items() for p in ps if (a, p) not in conflicts}
    seats = sum(len(ps) for ps in result.assignments.values())
    assert seats == max_seats(apps, pans, conflicts, k, cap, fixed)


@FAST
@given(instances(with_conflicts=False))
def test_without_conflicts_loads_differ_by_at_most_one(instance):
    apps, pans, conflicts, k, cap, existing, seed = instance
    result = run(apps, pans, k=k, cap=cap, seed=seed)
    assert spread(result, apps, pans) <= 1
    assert all(len(ps) == min(k, len(pans)) for ps in result.assignments.values()) or all(
        v == cap for v in result.loads.values()
    )


@settings(max_examples=120, deadline=None)
@given(instances(max_apps=4, max_pans=5, density=0.4), st.integers(1, 3), st.integers(1, 4))
def test_optimal_against_brute_force(instance, k, cap):
    apps, pans, conflicts, _k, _cap, existing, seed = instance
    existing = {a: ps[:k] for a, ps in existing.items()}
    manual_load = dict.fromkeys(pans, 0)
    for ps in existing.values():
        for p in ps:
            manual_load[p] += 1
    if any(v > cap for v in manual_load.values()):
        existing = {}
    result = run(apps, pans, conflicts, k=k, cap=cap, existing=existing, seed=seed)
    fixed = {(a, p) for a, ps in existing.items() for p in ps if (a, p) not in conflicts}
    seats, best_spread = brute_force(apps, pans, conflicts, k, cap, fixed)
    assert sum(len(ps) for ps in result.assignments.values()) == seats
    assert spread(result, apps, pans, conflicts) == best_spread


@settings(max_examples=40, deadline=None)
@given(instances(max_apps=40, max_pans=15))
def test_same_seed_same_result(instance):
    apps, pans, conflicts, k, cap, existing, seed = instance
    once = assign_panel(
        apps, pans, conflicts, k=k, max_per_panelist=cap, existing=existing, seed=seed
    )
    twice = assign_panel(
        apps, pans, set(conflicts), k=k, max_per_panelist=cap, existing=existing, seed=seed
    )
    assert once == twice
