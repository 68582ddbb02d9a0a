"""Expert-panel assignment for a selection round (pure Python: no Django, no database).

Every application must be scored by ``k`` panelists.  :func:`assign_panel` decides who
scores what, under these rules, in priority order:

1. Hard constraints: a conflicted (application, panelist) pair is never assigned, a
   panelist is never on the same application twice, nobody gets more than
   ``max_per_panelist`` applications, and the number of filled seats is *maximum*:
   an application lacks panelists (``shortfalls``) only if no assignment at all could
   give it more without taking them from another application.
2. Balanced loads: among all assignments satisfying (1) the result minimises the largest
   load and maximises the smallest one at the same time, so ``max - min <= 1`` over the
   eligible panelists whenever any assignment achieves it.
3. Mixed affiliations: among equally good choices, a panel spans as many affiliation
   types as it can.
4. Deterministic for a given ``seed``; ``random.Random(seed)`` only breaks ties.

Pairs that staff assigned by hand (``existing``) are kept and never moved; they count
towards loads (and may exceed ``max_per_panelist``: a manual decision wins, but no more
is added to such a panelist).  An existing pair that is conflicted is dropped and
reported in ``dropped``.

The algorithm
-------------
Model: a flow network source -> application (k seats) -> panelist (one unit per
non-conflicted pair) -> sink (``max_per_panelist`` units).  Loads are the flows into the
sink; balancing them means minimising the convex cost ``sum(load ** 2)``.

*Phase 1, constructive (greedy).*  Applications are ordered most-constrained first
(fewest non-conflicted panelists; random tie-break) and filled round-robin: in round r
every application that still needs an r-th panelist gets one.  The pick is the
least-loaded eligible panelist with spare capacity; among the equally least-loaded ones
it prefers an affiliation not yet on that application.  Panelists are kept in an array
sorted by load (bucket boundaries, O(1) per load increment), so a pick is a short scan.

*Phase 2, fill repair (augmenting paths).*  For an application left short, a BFS looks
for an alternating path  app -> p1 (not on app) ; p1 is on app b1 -> p2 (not on b1) ...
ending in a panelist with spare capacity, and shifts every seat along it: one more seat
is filled, no load changes except the last panelist's (+1).  This is max-flow
augmentation, so afterwards the number of filled seats is maximum.  A failed search
marks everything it visited as dead (a vertex that cannot reach spare capacity never
can again), which keeps the phase linear when capacity simply runs out.

*Phase 3, balance repair (local search with moves along paths).*  For load levels
L = max, max-1, ..., a multi-source BFS from the panelists of load L looks for an
alternating path to a panelist with load <= L-2 and spare capacity; the path moves one
application off the source (chains of single moves, the simplest being "move
application a from p to q"), lowering L by one and raising the target by one.  When no
such "cost-reducing path" exists from any panelist, ``sum(load ** 2)`` is minimal (the
optimality condition of convex-cost flow: no negative residual cycle; cycles through the
source cannot exist at maximum flow).  Load vectors of maximum flows form an M-convex
set, where a minimiser of ``sum(load ** 2)`` also minimises the maximum and maximises
the minimum load (Frank & Murota, discrete decreasing minimisation).  Hence: **if the
result has max - min > 1 (see :func:`balance`), no valid assignment with the same
kept pairs and the same number of filled seats achieves <= 1.**  A level, once
finished, stays finished: a later path cannot touch anything reachable from a
higher-loaded panelist (it would have been found), so one sweep down the levels is
enough.  When the greedy result is already within 1, this phase does nothing.

*Phase 4, affiliation repair (load-neutral).*  For a panel with a repeated affiliation,
replace one repeated (non-manual) panelist p by a panelist q of a missing affiliation
whose load is exactly p's load - 1 (p and q just trade loads: the multiset of loads,
hence balance and optimality, is unchanged), or else swap p with a panelist q of an
application b that lacks p's affiliation (loads unchanged; b gains p's affiliation and
loses at most q's, so no panel loses diversity).  Each step adds an affiliation to a
panel, so the phase terminates; the partner search is bounded by ``_SWAP_BUDGET``.

Cost: phase 1 is O(N * k * scan); phases 2-3 cost one graph search per augmentation
plus one per load level and are idle for typical inputs.  Measured on the development
machine: 50,000 applications x k=5 x 300 panelists in about 1.5-2 s (no or sparse
conflicts), about 4-6 s with ~15-27 conflicts per application (1.35 M conflict pairs,
mostly spent reading them).

Balance ``<= 1`` is provably impossible (the service should warn staff) e.g. when a
panelist is eligible for fewer applications than the others' minimum load - 1 (conflicted
with nearly everything), when hand-made ``existing`` pairs overload someone, or when a
panelist is eligible only for applications that ``existing`` pairs already fill to k.
Since the result is optimal, ``balance(result.loads, eligible_panelists(...)) > 1`` is
itself the proof.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# Applications looked at per attempt to find a swap partner in phase 4 (bounds its cost).
_SWAP_BUDGET = 500

AFFILIATIONS = ("government", "enterprise", "research", "university", "investment", "incubator")


@dataclass(frozen=True)
class AssignmentResult:
    # application id -> panelist ids (sorted), including kept existing pairs
    assignments: dict[int, list[int]]
    # application id -> how many panelists it still lacks (only entries > 0)
    shortfalls: dict[int, int]
    # panelist id -> number of applications (every panelist, zeros included)
    loads: dict[int, int]
    # existing (application, panelist) pairs dropped because they are conflicted
    dropped: list[tuple[int, int]]


def eligible_panelists(
    applications: Iterable[int],
    panelists: Iterable[int],
    conflicts: set[tuple[int, int]],
) -> set[int]:
    """Panelists without a conflict with at least one of ``applications``."""
    apps = set(applications)
    conflicted_count: dict[int, int] = {}
    for a, p in conflicts:
        if a in apps:
            conflicted_count[p] = conflicted_count.get(p, 0) + 1
    return {p for p in panelists if conflicted_count.get(p, 0) < len(apps)}


def balance(loads: Mapping[int, int], eligible_panelists: Iterable[int]) -> int:
    """max load - min load over ``eligible_panelists`` (0 when there are none)."""
    values = [loads.get(p, 0) for p in eligible_panelists]
    return max(values) - min(values) if values else 0


def assign_panel(
    applications: list[int],
    panelists: dict[int, str],
    conflicts: set[tuple[int, int]],
    *,
    k: int,
    max_per_panelist: int,
    existing: dict[int, list[int]] | None = None,
    seed: int = 0,
) -> AssignmentResult:
    """Assign ``k`` panelists to every application; see the module docstring.

    Raises ``ValueError`` for negative ``k``/``max_per_panelist``, duplicate application
    ids, or ``existing`` pairs naming an unknown application or panelist.
    """
    if k < 0 or max_per_panelist < 0:
        raise ValueError("k and max_per_panelist must be >= 0")
    if len(set(applications)) != len(applications):
        raise ValueError("duplicate application ids")
    return _Assigner(
        sorted(applications), panelists, conflicts, k, max_per_panelist, existing or {}, seed
    ).run()


class _Assigner:
    """Working state; applications and panelists are renumbered 0..N-1 / 0..P-1."""

    def __init__(self, app_ids, panelists, conflicts, k, cap, existing, seed):
        self.rng = random.Random(seed)
        self.k = k
        self.cap = cap
        self.app_ids = app_ids
        self.pan_ids = sorted(panelists)
        n, p_count = len(app_ids), len(self.pan_ids)
        self.n, self.p_count = n, p_count
        app_index = {a: i for i, a in enumerate(app_ids)}
        pan_index = {p: i for i, p in enumerate(self.pan_ids)}
        aff_names = sorted({panelists[p] for p in self.pan_ids})
        aff_index = {name: i for i, name in enumerate(aff_names)}
        self.n_aff = len(aff_names)
        self.aff = [aff_index[panelists[p]] for p in self.pan_ids]

        empty: frozenset[int] = frozenset()
        self.conf: list[frozenset[int] | set[int]] = [empty] * n
        self.conf_count = [0] * p_count  # applications each panelist is conflicted with
        app_get, pan_get = app_index.get, pan_index.get
        conf, conf_count = self.conf, self.conf_count
        for a, p in conflicts:
            ai = app_get(a)
            if ai is None:
                continue
            pi = pan_get(p)
            if pi is None:
                continue
            conf_a = conf[ai]
            if not conf_a:
                conf_a = conf[ai] = set()
            if pi not in conf_a:
                conf_a.add(pi)
                conf_count[pi] += 1

        self.on: list[set[int]] = [set() for _ in range(n)]
        self.fixed: list[frozenset[int] | set[int]] = [empty] * n
        self.apps_of: list[set[int]] = [set() for _ in range(p_count)]  # movable pairs only
        self.load = [0] * p_count
        self.aff_count = [[0] * self.n_aff for _ in range(n)]
        self.dropped: list[tuple[int, int]] = []
        for a in sorted(existing):
            if a not in app_index:
                raise ValueError(f"existing: unknown application {a}")
            ai = app_index[a]
            for p in sorted(set(existing[a])):
                if p not in pan_index:
                    raise ValueError(f"existing: unknown panelist {p}")
                pi = pan_index[p]
                if pi in self.conf[ai]:
                    self.dropped.append((a, p))
                    continue
                if not self.fixed[ai]:
                    self.fixed[ai] = set()
                self.fixed[ai].add(pi)
                self.on[ai].add(pi)
                self.load[pi] += 1
                self.aff_count[ai][self.aff[pi]] += 1

    # -- elementary changes ------------------------------------------------------------
    def _add(self, a: int, p: int) -> None:
        self.on[a].add(p)
        self.apps_of[p].add(a)
        self.load[p] += 1
        self.aff_count[a][self.aff[p]] += 1

    def _remove(self, a: int, p: int) -> None:
        self.on[a].discard(p)
        self.apps_of[p].discard(a)
        self.load[p] -= 1
        self.aff_count[a][self.aff[p]] -= 1

    def run(self) -> AssignmentResult:
        if self.n and self.p_count and self.k:
            self._greedy()
            self._fill()
            self._rebalance()
            self._mix_affiliations()
        pan_ids = self.pan_ids
        assignments = {
            a: sorted(pan_ids[p] for p in self.on[i]) for i, a in enumerate(self.app_ids)
        }
        shortfalls = {a: self.k - len(ps) for a, ps in assignments.items() if len(ps) < self.k}
        loads = {pan_ids[p]: self.load[p] for p in range(self.p_count)}
        return AssignmentResult(assignments, shortfalls, loads, self.dropped)

    # -- phase 1 -------------------------------------------------------------------------
    def _greedy(self) -> None:
        k, cap, p_count, rng = self.k, self.cap, self.p_count, self.rng
        load, conf, on, aff, aff_count = self.load, self.conf, self.on, self.aff, self.aff_count
        need = [k - len(on[a]) for a in range(self.n)]
        tie = list(range(self.n))
        rng.shuffle(tie)
        order_apps = sorted(
            (a for a in range(self.n) if need[a] > 0),
            key=lambda a: (p_count - len(conf[a]), tie[a]),
        )
        # Panelists sorted by load; start[L] = first position with load >= L.
        tie_p = list(range(p_count))
        rng.shuffle(tie_p)
        order = sorted(range(p_count), key=lambda p: (load[p], tie_p[p]))
        pos = [0] * p_count
        for i, p in enumerate(order):
            pos[p] = i
        top = max(max(load), cap) + 2
        start = [p_count] * (top + 1)
        for i in range(p_count - 1, -1, -1):
            start[load[order[i]]] = i
        for level in range(top - 1, -1, -1):
            start[level] = min(start[level], start[level + 1])

        add = self._add
        for rnd in range(k):
            remaining_apps = []
            for a in order_apps:
                if need[a] <= rnd:
                    continue
                remaining_apps.append(a)
                on_a, conf_a, counts = on[a], conf[a], aff_count[a]
                chosen = -1
                i = 0
                while i < p_count:
                    level = load[order[i]]
                    if level >= cap:
                        break
                    end = start[level + 1]
                    fallback = -1
                    while i < end:
                        p = order[i]
                        i += 1
                        if p in on_a or p in conf_a:
                            continue
                        if not counts[aff[p]]:
                            chosen = p
                            break
                        if fallback < 0:
                            fallback = p
                    if chosen < 0:
                        chosen = fallback
                    if chosen >= 0:
                        break
                    i = end
                if chosen < 0:
                    continue  # nobody left for this application; phase 2 will retry
                # Move `chosen` from block `level` to block `level + 1`.
                j = start[level + 1] - 1
                other = order[j]
                ci = pos[chosen]
                order[ci], order[j] = other, chosen
                pos[other], pos[chosen] = ci, j
                start[level + 1] = j
                add(a, chosen)
            order_apps = remaining_apps

    # -- shared graph search -------------------------------------------------------------
    def _search(self, source_apps, source_pans, is_target, dead_p=None, dead_a=None):
        """BFS over alternating paths.  Returns (target, parent_p, parent_a) or
        (None, visited_panelists, visited_apps).

        From application a: to any panelist q not on a and not conflicted ("add q to a").
        From panelist q: to any application it holds as a movable pair ("remove q").
        """
        on, conf, apps_of = self.on, self.conf, self.apps_of
        parent_p: dict[int, int] = {}  # panelist -> application it is added to
        parent_a: dict[int, int] = {}  # application -> panelist removed from it
        visited_p = set(source_pans)
        visited_a = set(source_apps)
        remaining = [
            q
            for q in range(self.p_count)
            if q not in visited_p and (dead_p is None or q not in dead_p)
        ]
        queue: deque[int] = deque()

        def expand_app(a):
            nonlocal remaining
            on_a, conf_a = on[a], conf[a]
            keep = []
            for q in remaining:
                if q in on_a or q in conf_a:
                    keep.append(q)
                    continue
                parent_p[q] = a
                if is_target(q):
                    return q
                visited_p.add(q)
                queue.append(q)
            remaining = keep
            return None

        for a in source_apps:
            found = expand_app(a)
            if found is not None:
                return found, parent_p, parent_a
        queue.extend(source_pans)
        while queue and remaining:
            q = queue.popleft()
            for b in apps_of[q]:
                if b in visited_a or (dead_a is not None and b in dead_a):
                    continue
                visited_a.add(b)
                parent_a[b] = q
                found = expand_app(b)
                if found is not None:
                    return found, parent_p, parent_a
                if not remaining:
                    break
        return None, visited_p, visited_a

    def _apply_path(self, target, parent_p, parent_a) -> None:
        q = target
        while True:
            a = parent_p[q]
            self._add(a, q)
            p = parent_a.get(a)
            if p is None:
                return
            self._remove(a, p)
            if p not in parent_p:
                return
            q = p

    # -- phase 2 -------------------------------------------------------------------------
    def _fill(self) -> None:
        cap, load, k = self.cap, self.load, self.k
        short = [a for a in range(self.n) if len(self.on[a]) < k]
        dead_p: set[int] = set()
        dead_a: set[int] = set()

        def has_spare(q):
            return load[q] < cap

        for a in short:
            while len(self.on[a]) < k and a not in dead_a:
                if not any(load[q] < cap for q in range(self.p_count)):
                    return
                found, x, y = self._search([a], [], has_spare, dead_p, dead_a)
                if found is None:
                    # Everything visited cannot reach spare capacity, now or later.
                    dead_p |= x
                    dead_a |= y  # includes `a`: ends this loop
                    continue
                self._apply_path(found, x, y)

    # -- phase 3 -------------------------------------------------------------------------
    def _rebalance(self) -> None:
        load, cap, apps_of = self.load, self.cap, self.apps_of
        candidates = [q for q in range(self.p_count) if self.conf_count[q] < self.n]
        if not candidates:
            return

        def lowest_receiver():
            spare = [load[q] for q in candidates if load[q] < cap]
            return min(spare) if spare else None

        level = max(load[q] for q in candidates)
        while True:
            low = lowest_receiver()
            if low is None or level < low + 2:
                return
            sources = [q for q in candidates if load[q] == level and apps_of[q]]
            limit = level - 2
            while sources:
                found, x, y = self._search(
                    [], sources, lambda q, limit=limit: load[q] <= limit and load[q] < cap
                )
                if found is None:
                    break
                self._apply_path(found, x, y)
                sources = [q for q in sources if load[q] == level]
            level -= 1

    # -- phase 4 -------------------------------------------------------------------------
    def _mix_affiliations(self) -> None:
        if self.n_aff < 2:
            return
        on, aff_count, n_aff = self.on, self.aff_count, self.n_aff
        self._by_aff: list[list[int]] = [[] for _ in range(n_aff)]
        for q in range(self.p_count):
            self._by_aff[self.aff[q]].append(q)
        # _lacking[f]: applications with at least one panelist but none of affiliation f.
        self._lacking: list[set[int]] = [set() for _ in range(n_aff)]
        for a in range(self.n):
            if on[a]:
                counts = aff_count[a]
                for f in range(n_aff):
                    if not counts[f]:
                        self._lacking[f].add(a)
        for a in range(self.n):
            # Each step adds one affiliation to `a` and takes none from anybody else.
            while len(on[a]) > sum(1 for c in aff_count[a] if c) and self._improve_mix(a):
                pass

    def _reindex(self, a: int) -> None:
        counts = self.aff_count[a]
        for f in range(self.n_aff):
            if counts[f]:
                self._lacking[f].discard(a)
            else:
                self._lacking[f].add(a)

    def _improve_mix(self, a: int) -> bool:
        """Replace one repeated-affiliation panelist of ``a`` by one of a missing
        affiliation, without changing the multiset of loads."""
        on, conf, fixed, aff, counts = self.on, self.conf, self.fixed, self.aff, self.aff_count[a]
        on_a, conf_a = on[a], conf[a]
        load, cap = self.load, self.cap
        repeated = [p for p in sorted(on_a) if counts[aff[p]] >= 2 and p not in fixed[a]]
        if not repeated:
            return False
        # Move: p gives `a` to a panelist q of a missing affiliation whose load is one
        # less than p's, so p and q just trade loads.
        for p in repeated:
            for f in range(self.n_aff):
                if counts[f]:
                    continue
                for q in self._by_aff[f]:
                    if load[q] == load[p] - 1 and load[q] < cap and q not in conf_a:
                        self._remove(a, p)
                        self._add(a, q)
                        self._reindex(a)
                        return True
        # Swap: p goes to an application b that lacks p's affiliation, b's panelist q of
        # an affiliation missing on `a` comes to `a`; loads unchanged, b loses nothing
        # (it gains p's affiliation, and q's was its only one of that kind at worst).
        for p in repeated:
            looked = 0
            for b in self._lacking[aff[p]]:
                looked += 1
                if looked > _SWAP_BUDGET:
                    break
                if b == a or p in conf[b]:
                    continue
                movable_b = self.apps_of
                for q in on[b]:
                    if counts[aff[q]] or q in conf_a or a in movable_b[q] or b not in movable_b[q]:
                        continue
                    self._remove(a, p)
                    self._remove(b, q)
                    self._add(a, q)
                    self._add(b, p)
                    self._reindex(a)
                    self._reindex(b)
                    return True
        return False
