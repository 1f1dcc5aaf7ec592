// A small force layout for the mesh graph: nodes repel, linked nodes pull together, everything is
// drawn to the centre (or, in the hierarchy layout, to its level). Teams are tens of agents, so the
// O(n²) repulsion is cheaper than a quadtree's bookkeeping; the simulation cools and stops, and is
// woken again only when the team changes.

// Repulsion shrinks with the team so its cloud fits the box: about 4 × REPULSION / n per node.
const REPULSION = 30000;
const SPRING = 0.02;
const SPRING_LENGTH = 110;
const GRAVITY = 0.012;
const LEVEL_PULL = 0.12;
const DAMPING = 0.82;
const COOLING = 0.985;
const ASLEEP = 0.02;

export class ForceLayout {
  constructor(width, height) {
    this.width = width;
    this.height = height;
    this.nodes = new Map();
    this.links = [];
    this.alpha = 1;
    this.targets = null;
  }

  /** Keeps the nodes named, placing new ones on a circle, dropping the others. */
  setNodes(names) {
    const next = new Map();
    names.forEach((name, i) => {
      const old = this.nodes.get(name);
      if (old) {
        next.set(name, old);
      } else {
        const angle = (2 * Math.PI * i) / Math.max(1, names.length);
        next.set(name, {
          name,
          x: this.width / 2 + Math.cos(angle) * this.width * 0.3,
          y: this.height / 2 + Math.sin(angle) * this.height * 0.3,
          vx: 0,
          vy: 0
        });
      }
    });
    this.nodes = next;
    this.links = this.links.filter(([a, b]) => next.has(a) && next.has(b));
    this.alpha = 1;
  }

  setLinks(pairs) {
    this.links = pairs.filter(([a, b]) => this.nodes.has(a) && this.nodes.has(b));
    this.alpha = Math.max(this.alpha, 0.5);
  }

  /** Where each node is pulled to ({name: {x, y}}), or null for the free force layout. */
  setTargets(targets) {
    this.targets = targets;
    this.alpha = 1;
  }

  get asleep() {
    return this.alpha < ASLEEP;
  }

  tick() {
    const nodes = [...this.nodes.values()];
    const alpha = this.alpha;
    const repulsion = (REPULSION * 4) / Math.max(4, nodes.length);
    for (let i = 0; i < nodes.length; i++) {
      const a = nodes[i];
      for (let j = i + 1; j < nodes.length; j++) {
        const b = nodes[j];
        let dx = a.x - b.x;
        let dy = a.y - b.y;
        let d2 = dx * dx + dy * dy;
        if (d2 < 1) {
          dx = Math.random() - 0.5;
          dy = Math.random() - 0.5;
          d2 = 1;
        }
        const force = (repulsion * alpha) / d2;
        const d = Math.sqrt(d2);
        a.vx += (dx / d) * force;
        a.vy += (dy / d) * force;
        b.vx -= (dx / d) * force;
        b.vy -= (dy / d) * force;
      }
    }
    for (const [from, to] of this.links) {
      const a = this.nodes.get(from);
      const b = this.nodes.get(to);
      const dx = b.x - a.x;
      const dy = b.y - a.y;
      const d = Math.sqrt(dx * dx + dy * dy) || 1;
      const pull = (d - SPRING_LENGTH) * SPRING * alpha;
      a.vx += (dx / d) * pull;
      a.vy += (dy / d) * pull;
      b.vx -= (dx / d) * pull;
      b.vy -= (dy / d) * pull;
    }
    for (const node of nodes) {
      const target = this.targets && this.targets[node.name];
      if (target) {
        node.vx += (target.x - node.x) * LEVEL_PULL;
        node.vy += (target.y - node.y) * LEVEL_PULL;
      } else {
        // Pulled less sideways: the box is wider than tall.
        node.vx += (this.width / 2 - node.x) * GRAVITY * alpha * (this.height / this.width);
        node.vy += (this.height / 2 - node.y) * GRAVITY * alpha;
      }
      node.vx *= DAMPING;
      node.vy *= DAMPING;
      node.x = Math.min(this.width - 30, Math.max(30, node.x + node.vx));
      node.y = Math.min(this.height - 30, Math.max(30, node.y + node.vy));
    }
    this.alpha *= COOLING;
  }
}

/**
 * Levels for the hierarchy layout: the lead on top, then the agents it exchanged messages with,
 * then theirs, and the rest at the bottom; each level spread evenly across the width.
 */
export function hierarchy(names, lead, pairs, width, height) {
  const level = new Map();
  const neighbours = new Map(names.map((name) => [name, []]));
  pairs.forEach(([a, b]) => {
    if (neighbours.has(a) && neighbours.has(b)) {
      neighbours.get(a).push(b);
      neighbours.get(b).push(a);
    }
  });
  const queue = [];
  if (lead && neighbours.has(lead)) {
    level.set(lead, 0);
    queue.push(lead);
  }
  while (queue.length) {
    const name = queue.shift();
    for (const next of neighbours.get(name)) {
      if (!level.has(next)) {
        level.set(next, level.get(name) + 1);
        queue.push(next);
      }
    }
  }
  const deepest = Math.max(0, ...level.values());
  names.forEach((name) => {
    if (!level.has(name)) {
      level.set(name, lead ? deepest + 1 : 0);
    }
  });
  const rows = new Map();
  names.forEach((name) => {
    const row = level.get(name);
    rows.set(row, (rows.get(row) || []).concat(name));
  });
  const count = Math.max(...rows.keys()) + 1;
  const targets = {};
  rows.forEach((members, row) => {
    members.sort().forEach((name, i) => {
      targets[name] = {
        x: (width * (i + 1)) / (members.length + 1),
        y: 40 + ((height - 80) * (count === 1 ? 0.5 : row / (count - 1)))
      };
    });
  });
  return targets;
}
