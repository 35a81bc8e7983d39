"""Place the nodes of a view before the browser sees them, so the page opens still and fast.

vis-network's own physics needs 12 s for 3,000 nodes in headless Chromium even when tuned
(../shared/FACTS.md), and networkx's spring layout ≈ 20 s for a 2,500-node component here. So:

- each connected component is laid out on its own, and the components are packed in rows,
  largest first, with the lone nodes in a grid grouped by type at the end (in one global
  layout small pairs and stars drift off to the rim);
- in a component, the leaves (degree 1: most observations, most members of a hub) are taken
  out and later set around their parent on a sunflower spiral; the rest is laid out by a
  force-directed (Fruchterman–Reingold) layout in numpy in which a node repels as much as it
  carries leaves, so that hubs get room for their leaves;
- the force layouts of small components share one numpy run (block-diagonal, no force
  between blocks), which gives each the very floats of a run of its own at a fraction of
  the cost: a run's time is mostly numpy's per-call overhead, 80 iterations of ~15 calls;
- everything is seeded and rounded to integers: the same graph gives the same picture.
"""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

import numpy as np

EDGE = 95.0  # typical edge length on screen, px at zoom 1
ROW = 56.0  # height of a row of lone nodes (a node and its label)
PAD = 22.0  # space between two labels side by side
GAP = 48.0  # space between packed components
ASPECT = 1.9  # width / height of the packed whole, about that of a screen beside the filters
GOLDEN = math.pi * (3 - math.sqrt(5))
SEED = 7
BATCH = 128  # nodes: small force layouts are run together up to this many (the cost grows with its square)


def layout_positions(count: int, edges: Sequence[tuple[int, int]], groups: Sequence[int],
                     widths: Sequence[float] | None = None) -> list[tuple[int, int]]:
    """Return integer (x, y) screen positions for nodes 0..count-1 joined by `edges`.

    `groups` (one number per node, e.g. the rank of its type) orders leaves and lone nodes so
    that nodes of one type sit together; `widths` (px, the width of each node's label) keeps
    labels of neighbours in rows apart. Deterministic: the same input, the same positions.

    >>> pos = layout_positions(4, [(0, 1), (0, 2)], [0, 1, 1, 2])
    >>> len(set(pos)) == 4 and pos == layout_positions(4, [(0, 1), (0, 2)], [0, 1, 1, 2])
    True
    """
    width = list(widths) if widths is not None else [60.0] * count
    neighbours: list[set[int]] = [set() for _ in range(count)]
    for a, b in edges:
        if a != b:
            neighbours[a].add(b)
            neighbours[b].add(a)
    comps = _components(neighbours)
    splits = {i: _Split(comp, neighbours, width) for i, comp in enumerate(comps) if len(comp) > 2}
    laid = dict(zip(splits, _forces([(sp.inner, sp.radius) for sp in splits.values()], neighbours)))
    for i, sp in splits.items():
        sp.place_leaves(laid[i], neighbours, groups)
    blocks = [laid[i] if i in laid else _pair(comp, width) for i, comp in enumerate(comps) if len(comp) > 1]
    lone = [comp[0] for comp in comps if len(comp) == 1]
    if lone:
        blocks.append(_flow(sorted(lone, key=lambda n: (groups[n], n)), width))
    placed = _pack(blocks, width)
    return [(round(placed[n][0]), round(placed[n][1])) for n in range(count)]


def _components(neighbours: list[set[int]]) -> list[list[int]]:
    """Return the connected components, largest first, each sorted."""
    seen = [False] * len(neighbours)
    out = []
    for start in range(len(neighbours)):
        if seen[start]:
            continue
        seen[start] = True
        stack, comp = [start], []
        while stack:
            v = stack.pop()
            comp.append(v)
            for w in neighbours[v]:
                if not seen[w]:
                    seen[w] = True
                    stack.append(w)
        out.append(sorted(comp))
    return sorted(out, key=lambda c: (-len(c), c[0]))


def _pair(comp: list[int], width: list[float]) -> dict[int, tuple[float, float]]:
    """Place a component of two nodes side by side, labels apart."""
    a, b = comp
    return {a: (0.0, 0.0), b: (max(EDGE * 0.7, (width[a] + width[b]) / 2 + PAD), 0.0)}


class _Split:
    """A component of three or more nodes: its inner nodes, laid out by force, and its leaves.

    A leaf (degree 1) is set later around its parent, on a ring or spiral whose size the
    parent's repulsion (its `radius`) makes room for.
    """

    def __init__(self, comp: list[int], neighbours: list[set[int]], width: list[float]) -> None:
        self.leaves: dict[int, list[int]] = defaultdict(list)
        self.inner: list[int] = []
        for v in comp:
            if len(neighbours[v]) == 1:
                (parent,) = neighbours[v]
                if len(neighbours[parent]) > 1:  # in a pair both are leaves: keep one inside
                    self.leaves[parent].append(v)
                    continue
            self.inner.append(v)
        self.ring = {v: _Ring(len(kids), sum(width[k] for k in kids) / len(kids)) for v, kids in self.leaves.items()}
        self.radius = {v: self.ring[v].radius(len(self.leaves[v]) - 1) if v in self.ring else 0.0 for v in self.inner}

    def place_leaves(self, pos: dict[int, tuple[float, float]], neighbours: list[set[int]],
                     groups: Sequence[int]) -> None:
        """Add the leaves to `pos` (the inner nodes' places), around their parents."""
        for parent, kids in sorted(self.leaves.items()):
            kids.sort(key=lambda n: (groups[n], n))
            spiral = self.ring[parent]
            px, py = pos[parent]
            # start the spiral opposite the parent's other neighbours, so leaves face outwards
            others = [pos[w] for w in neighbours[parent] if w in pos]
            away = math.atan2(py - sum(o[1] for o in others) / len(others),
                              px - sum(o[0] for o in others) / len(others)) if others else 0.0
            for j, kid in enumerate(kids):
                r, angle = spiral.radius(j), spiral.angle(j)
                pos[kid] = (px + r * math.cos(away + angle), py + r * math.sin(away + angle))


class _Ring:
    """Where the leaves of one node go: one ring when few, else a sunflower spiral.

    The ring is wide enough for the leaves' labels; the spiral's step grows with them.
    """

    def __init__(self, total: int, mean_width: float) -> None:
        self.total = total
        self.ring = total <= 8
        self.ring_radius = max(EDGE, total * (mean_width * 0.75 + PAD) / (2 * math.pi))
        self.step = math.sqrt((mean_width + PAD) * 40.0) * 0.62

    def radius(self, j: int) -> float:
        return self.ring_radius if self.ring else EDGE * 0.8 + self.step * math.sqrt(j + 1)

    def angle(self, j: int) -> float:
        if self.ring:
            return 2 * math.pi * j / self.total if self.total > 1 else 0.0
        return j * GOLDEN


def _forces(sets: list[tuple[list[int], dict[int, float]]],
            neighbours: list[set[int]]) -> list[dict[int, tuple[float, float]]]:
    """Lay out each connected node set by force; small sets share a run (see `_force`)."""
    out: list[dict[int, tuple[float, float]]] = [{nodes[0]: (0.0, 0.0)} for nodes, _ in sets]  # one node: still
    batches: list[list[int]] = []
    size = BATCH
    for i, (nodes, _) in enumerate(sets):
        if len(nodes) > 1:
            if size + len(nodes) > BATCH:  # a set above BATCH nodes runs alone
                batches.append([])
                size = 0
            batches[-1].append(i)
            size += len(nodes)
    for batch in batches:
        for i, pos in zip(batch, _force([sets[i] for i in batch], neighbours)):
            out[i] = pos
    return out


def _force(sets: list[tuple[list[int], dict[int, float]]],
           neighbours: list[set[int]]) -> list[dict[int, tuple[float, float]]]:
    """Lay out connected node sets by Fruchterman–Reingold, dense numpy, fixed seed.

    A node's repulsion grows with the disc its leaves will take, so hubs keep apart. Several
    sets run as one block-diagonal system: no force crosses two sets, each set keeps its own
    start, size and temperature, and every float comes out as in a run of the set alone (a
    zero added to a float32 sum changes nothing), so batching never moves a node.
    """
    k = EDGE
    starts, weights, ends, temperature, owner = [], [], [], [], []
    a: list[int] = []
    b: list[int] = []
    # every set starts from the same seeded draw; its first rows are a smaller draw's rows
    seeded = np.random.default_rng(SEED).random((max(len(nodes) for nodes, _ in sets), 2), dtype=np.float32)
    for s, (nodes, radius) in enumerate(sets):
        at = {v: len(owner) + i for i, v in enumerate(nodes)}
        for v in nodes:
            for w in neighbours[v]:
                if w in at and at[v] < at[w]:
                    a.append(at[v])
                    b.append(at[w])
        mass = 1.0 + np.array([radius[v] for v in nodes], dtype=np.float32) / k
        weights.append((mass[:, None] * mass[None, :]) * (k * k))
        side = k * math.sqrt(len(nodes)) * float(mass.mean())
        starts.append((seeded[:len(nodes)] - 0.5) * side)
        temperature.append(side / 8)
        owner += [s] * len(nodes)
        ends.append(len(owner))
    n = len(owner)
    pos = np.concatenate(starts).T.copy()  # (2, n): the xs, then the ys
    weight = np.zeros((n, n), dtype=np.float32)
    for w, end in zip(weights, ends):
        weight[end - len(w):end, end - len(w):end] = w
    iterations = 80 if max(len(nodes) for nodes, _ in sets) <= 600 else 50
    caps = _caps(temperature, iterations)[:, owner]  # each step's cap on each node's move
    # A run's time is numpy's per-call overhead, so a step makes few calls, each over x and y
    # at once, into arrays filled in place (a fresh one each step costs page faults once n is
    # large). Node i is column i (delta[:, j, i] = pos_i − pos_j): distances and weights are
    # symmetric, so the repulsion on i is a sum down column i, which numpy adds row after row
    # from 0 (j = 0, 1, …): the order, and so the floats, of a sum over j node by node.
    delta, push = np.empty((2, n, n), dtype=np.float32), np.empty((2, n, n), dtype=np.float32)
    dist2 = np.empty((n, n), dtype=np.float32)
    force = np.empty((2, n), dtype=np.float32)
    step = np.empty(n, dtype=np.float32)
    # An edge (i, j) pulls i by pos_j − pos_i, which delta holds at [:, i, j], and j by the
    # opposite, at [:, j, i]: the pulls on the edges' first ends, in edge order, then on their
    # second ends, added one by one (np.add.at), as d²/k along the edge.
    pulled = np.array(a + b, dtype=np.intp)
    pulls = pulled * n + np.array(b + a, dtype=np.intp)  # flat indices in an n×n array
    pulls_xy = np.concatenate([pulls, pulls + n * n])  # in delta: the pulls' x, then their y
    for cap in caps:
        np.subtract(pos[:, None, :], pos[:, :, None], out=delta)
        np.multiply(delta, delta, out=push)
        np.add(push[0], push[1], out=dist2)
        length = np.sqrt(dist2.take(pulls))
        np.maximum(dist2, 1.0, out=dist2)
        np.divide(weight, dist2, out=dist2)  # from here on: k²·m·m/d²
        np.add.reduce(np.multiply(delta, dist2, out=push), axis=1, out=force)  # repulsion k²·m·m/d
        spring = delta.take(pulls_xy).reshape(2, -1) * (length / k)
        np.add.at(force[0], pulled, spring[0])  # one axis at a time: numpy's fast path
        np.add.at(force[1], pulled, spring[1])
        np.multiply(force[0], force[0], out=step)
        step += force[1] * force[1]
        np.sqrt(step, out=step)
        pos += force / np.maximum(step, 1e-6) * np.minimum(step, cap)
    return [{v: (float(pos[0, i]), float(pos[1, i])) for i, v in enumerate(nodes, end - len(nodes))}
            for (nodes, _), end in zip(sets, ends)]


def _caps(temperature: list[float], iterations: int) -> np.ndarray:
    """Return each step's temperature of each set (steps × sets, float32): the cap on a move.

    A set's temperature starts at its own and cools by the same amount each step, subtracted
    in float64 step after step (what np.subtract.accumulate does), so every cap is the float
    of a run of the set alone.
    """
    start = np.array(temperature)
    cooling = np.vstack([start, np.tile(start / (iterations + 1), (iterations - 1, 1))])
    return np.subtract.accumulate(cooling, axis=0).astype(np.float32)


def _flow(nodes: list[int], width: list[float]) -> dict[int, tuple[float, float]]:
    """Place lone nodes like words in a paragraph: rows about twice as wide as the block is tall."""
    total = sum(width[v] + PAD for v in nodes)
    line = max(max(width[v] for v in nodes), math.sqrt(total * ROW * 2.2))
    out = {}
    x = y = 0.0
    for v in nodes:
        w = width[v] + PAD
        if x > 0 and x + w > line:
            x, y = 0.0, y + ROW
        out[v] = (x + w / 2, y)
        x += w
    return out


def _pack(blocks: list[dict[int, tuple[float, float]]], label: list[float]) -> dict[int, tuple[float, float]]:
    """Pack blocks in rows (shelves) about ASPECT times as wide as the whole is tall; centre at 0."""
    boxes = []
    for b in blocks:
        xs = [p[0] - label[v] / 2 for v, p in b.items()] + [p[0] + label[v] / 2 for v, p in b.items()]
        ys = [p[1] for p in b.values()]
        boxes.append((min(xs), min(ys), max(xs) - min(xs) + GAP, max(ys) - min(ys) + GAP))
    area = sum(w * h for _, _, w, h in boxes)
    width = max([math.sqrt(area * ASPECT)] + [w for _, _, w, _ in boxes])
    out: dict[int, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for block, (x0, y0, w, h) in zip(blocks, boxes):
        if x > 0 and x + w > width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for v, (px, py) in block.items():
            out[v] = (px - x0 + x, py - y0 + y)
        x += w
        row_height = max(row_height, h)
    if out:
        cx = (min(p[0] for p in out.values()) + max(p[0] for p in out.values())) / 2
        cy = (min(p[1] for p in out.values()) + max(p[1] for p in out.values())) / 2
        out = {v: (px - cx, py - cy) for v, (px, py) in out.items()}
    return out
