// The mesh graph: one node per agent, coloured and pulsing by status (and labelled with it, so
// colour is never the only signal), an edge between two agents once a message flowed between
// them, lit for a moment whenever one does, and linked meshworks as small nodes at the edge. The
// same view draws the live team and, in the replay panel, the team at a chosen moment.
import { STATUSES, statusOf } from "./core.js";
import { ForceLayout, hierarchy } from "./force.js";

const SVG = "http://www.w3.org/2000/svg";
const LIT_MS = 1500;
const WIDTH = 800;
const HEIGHT = 480;

function svg(tag, attributes) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    node.setAttribute(name, String(value));
  }
  return node;
}

export class Graph {
  constructor(root) {
    this.root = root;
    root.setAttribute("viewBox", "0 0 " + WIDTH + " " + HEIGHT);
    root.replaceChildren();
    this.edgeLayer = svg("g", { class: "edges" });
    this.nodeLayer = svg("g", { class: "nodes" });
    this.linkLayer = svg("g", { class: "linked" });
    root.append(this.edgeLayer, this.linkLayer, this.nodeLayer);
    this.layout = new ForceLayout(WIDTH, HEIGHT);
    this.agents = new Map();
    this.edges = new Map();
    this.mode = "force";
    this.lead = null;
    this.running = false;
  }

  /** The team: [{name, status, role}]; keeps positions of agents already drawn. */
  setAgents(agents) {
    const names = agents.map((agent) => agent.name);
    this.layout.setNodes(names);
    for (const [name, view] of this.agents) {
      if (!names.includes(name)) {
        view.group.remove();
        this.agents.delete(name);
      }
    }
    agents.forEach((agent) => {
      let view = this.agents.get(agent.name);
      if (!view) {
        const group = svg("g", { class: "node", "data-agent": agent.name });
        const title = svg("title", {});
        const circle = svg("circle", { r: 16 });
        const label = svg("text", { class: "label", y: 32, "text-anchor": "middle" });
        const status = svg("text", { class: "node-status", y: 46, "text-anchor": "middle" });
        group.append(title, circle, label, status);
        this.nodeLayer.append(group);
        view = { group, title, label, status };
        this.agents.set(agent.name, view);
      }
      view.label.textContent = agent.name + (agent.name === this.lead ? " ★" : "");
      view.role = agent.role || "";
      this.setStatus(agent.name, agent.status);
    });
    for (const key of [...this.edges.keys()]) {
      const [a, b] = key.split("|");
      if (!this.agents.has(a) || !this.agents.has(b)) {
        this.edges.get(key).line.remove();
        this.edges.delete(key);
      }
    }
    this.relayout();
  }

  setStatus(name, status) {
    const view = this.agents.get(name);
    if (!view) {
      return;
    }
    const known = statusOf(status);
    view.group.setAttribute("class", "node status-" + known);
    view.group.setAttribute("data-status", known);
    view.status.textContent = STATUSES[known].symbol + " " + STATUSES[known].label;
    view.title.textContent = name + (view.role ? " (" + view.role + ")" : "") + ": " + STATUSES[known].label;
  }

  /** Linked meshworks, drawn as small nodes along the bottom edge. */
  setLinked(names) {
    this.linkLayer.replaceChildren();
    names.forEach((name, i) => {
      const x = (WIDTH * (i + 1)) / (names.length + 1);
      const group = svg("g", { class: "linked-node", "data-meshwork": name, transform: "translate(" + x + "," + (HEIGHT - 14) + ")" });
      const title = svg("title", {});
      title.textContent = "linked meshwork " + name;
      const label = svg("text", { "text-anchor": "middle", y: 4 });
      label.textContent = "⇄ " + name;
      group.append(title, svg("rect", { x: -50, y: -11, width: 100, height: 20, rx: 6 }), label);
      this.linkLayer.append(group);
    });
  }

  edge(a, b) {
    const key = a < b ? a + "|" + b : b + "|" + a;
    let edge = this.edges.get(key);
    if (!edge) {
      edge = { line: svg("line", { class: "edge", "data-edge": key }), litUntil: 0, timer: null };
      this.edgeLayer.append(edge.line);
      this.edges.set(key, edge);
      this.layout.setLinks([...this.edges.keys()].map((k) => k.split("|")));
      this.relayout();
    }
    return edge;
  }

  /** A message flowed from one agent to others: their edges light up for a moment. */
  flash(from, recipients) {
    if (!this.agents.has(from)) {
      return;
    }
    recipients.filter((to) => to !== from && this.agents.has(to)).forEach((to) => {
      const edge = this.edge(from, to);
      edge.line.classList.add("lit");
      clearTimeout(edge.timer);
      edge.timer = setTimeout(() => edge.line.classList.remove("lit"), LIT_MS);
    });
  }

  /** Edges known from history, drawn unlit. */
  connect(from, recipients) {
    recipients.filter((to) => to !== from && this.agents.has(to) && this.agents.has(from)).forEach((to) => this.edge(from, to));
  }

  setMode(mode) {
    this.mode = mode;
    this.relayout();
  }

  setLead(name) {
    this.lead = name || null;
    for (const [agent, view] of this.agents) {
      view.label.textContent = agent + (agent === this.lead ? " ★" : "");
    }
    this.relayout();
  }

  relayout() {
    const names = [...this.agents.keys()];
    this.layout.setTargets(this.mode === "hierarchy"
      ? hierarchy(names, this.lead, [...this.edges.keys()].map((k) => k.split("|")), WIDTH, HEIGHT - 40)
      : null);
    this.run();
  }

  run() {
    if (this.running) {
      return;
    }
    this.running = true;
    const step = () => {
      // Off screen (a hidden panel), settle at once rather than animate.
      const visible = this.root.getClientRects().length > 0;
      let ticks = visible ? 1 : 300;
      while (ticks-- > 0 && !this.layout.asleep) {
        this.layout.tick();
      }
      this.draw();
      if (this.layout.asleep) {
        this.running = false;
        return;
      }
      requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  }

  draw() {
    const nodes = this.layout.nodes;
    for (const [name, view] of this.agents) {
      const node = nodes.get(name);
      if (node) {
        view.group.setAttribute("transform", "translate(" + node.x.toFixed(1) + "," + node.y.toFixed(1) + ")");
      }
    }
    for (const [key, edge] of this.edges) {
      const [a, b] = key.split("|").map((name) => nodes.get(name));
      if (a && b) {
        edge.line.setAttribute("x1", a.x.toFixed(1));
        edge.line.setAttribute("y1", a.y.toFixed(1));
        edge.line.setAttribute("x2", b.x.toFixed(1));
        edge.line.setAttribute("y2", b.y.toFixed(1));
      }
    }
  }
}
