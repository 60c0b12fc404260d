/* What the network page draws: the filter state (classes, phase, focus, the budget view), which nodes and
 * edges pass it, and their vis items. Only drawn nodes and edges are vis items (with their tooltips), so a
 * page of 88,506 nodes opens as fast as its 2,000-node budget view. Edge styles come from one table per
 * relation (viz/styles.json), not from each edge. viz/network.js draws these items and lays them out.
 */
"use strict";

window.kgView = function (records, panel) {
  const data = records.data, N = data.nodes, E = data.edges;
  const state = { hiddenKinds: new Set(), phase: null, focus: null, initial: data.initial ? new Set(data.initial) : null };
  /* What is drawn, by node and edge index. */
  const visible = new Uint8Array(records.nodeCount), drawn = new Uint8Array(records.edgeCount);
  const moved = new Map();  /* where physics left a node kg/viz_layout.py did not place, while it is hidden */

  /* The vis options of each relation's edges (viz/styles.json), shared by all its edges. */
  const edgeStyles = {};
  for (const relation of data.relations) {
    const style = data.styles.relations[relation] || {};
    edgeStyles[relation] = {
      arrows: style.arrows ? "to" : "", dashes: style.dashes ?? false, width: style.width ?? 1,
      length: style.length ?? 100, color: { color: style.color ?? "#888888", highlight: "#111111", hover: "#333333" },
    };
  }

  function nodeShown(i) {
    if (state.hiddenKinds.has(data.kinds[N.kind[i]])) return false;
    if (state.phase !== null && !N.phases[i].includes(state.phase)) return false;
    if (state.focus) return state.focus.has(i);
    return !state.initial || state.initial.has(i);
  }

  function edgeShown(j) {
    if (!visible[E.from[j]] || !visible[E.to[j]]) return false;
    return state.phase === null || data.relations[E.relation[j]] !== "pairing" || E.phaseNumber[j] === state.phase;
  }

  function nodeItem(i) {
    const item = { id: N.id[i], label: N.label[i] || N.zh[i], group: data.kinds[N.kind[i]], title: panel.tooltip(i) };
    const at = typeof N.x[i] === "number" ? { x: N.x[i], y: N.y[i] } : moved.get(i);
    if (at) Object.assign(item, at);
    return item;
  }

  function edgeItem(j) {
    const relation = data.relations[E.relation[j]], style = edgeStyles[relation];
    return {
      id: "e" + j, from: N.id[E.from[j]], to: N.id[E.to[j]], title: panel.edgeTooltip(j),
      label: relation === "pairing" ? data.strings[E.phase[j]] : "", arrows: style.arrows, dashes: style.dashes,
      width: style.width, length: E.length[j] ?? style.length, color: Object.assign({}, style.color),
    };
  }

  function indexesOf(flags) {
    const found = [];
    for (let i = 0; i < flags.length; i++) if (flags[i]) found.push(i);
    return found;
  }

  for (let i = 0; i < records.nodeCount; i++) visible[i] = nodeShown(i) ? 1 : 0;
  for (let j = 0; j < records.edgeCount; j++) drawn[j] = edgeShown(j) ? 1 : 0;
  const nodeSet = new vis.DataSet(indexesOf(visible).map(nodeItem));
  const edgeSet = new vis.DataSet(indexesOf(drawn).map(edgeItem));

  /* Update `flags` (visible nodes or drawn edges) to `shown`: the indexes that appear and those that go. */
  function changes(flags, shown) {
    const appear = [], go = [];
    for (let i = 0; i < flags.length; i++) {
      const now = shown(i) ? 1 : 0;
      if (now !== flags[i]) (now ? appear : go).push(i);
      flags[i] = now;
    }
    return [appear, go];
  }

  /* Re-filter after a state change: drawn items come and go. `positionsOf(ids)` (the network's) says where
     the nodes about to go that kg/viz_layout.py did not place were, so they come back there. */
  function refresh(positionsOf) {
    const [shownNodes, hiddenNodes] = changes(visible, nodeShown);
    const gone = hiddenNodes.filter((i) => typeof N.x[i] !== "number").map((i) => N.id[i]);
    const at = gone.length ? positionsOf(gone) : {};
    for (const i of hiddenNodes) if (at[N.id[i]]) moved.set(i, at[N.id[i]]);
    const [shownEdges, hiddenEdges] = changes(drawn, edgeShown);
    edgeSet.remove(hiddenEdges.map((j) => "e" + j));
    nodeSet.remove(hiddenNodes.map((i) => N.id[i]));
    nodeSet.add(shownNodes.map(nodeItem));
    edgeSet.add(shownEdges.map(edgeItem));
  }

  /* Focus: the neighbourhood within `depth` relations, hosting costing nothing (as kg/viz_select.py). */
  function neighbourhood(start, depth) {
    const distance = new Map([[start, 0]]);
    const queue = [start];
    while (queue.length) {
      const i = queue.shift();
      for (const j of records.incident(i)) {
        const other = records.other(j, i), hosting = data.relations[E.relation[j]] === "hosting";
        const d = distance.get(i) + (hosting ? 0 : 1);
        if (d <= depth && d < (distance.has(other) ? distance.get(other) : depth + 1)) {
          distance.set(other, d);
          if (hosting) queue.unshift(other); else queue.push(other);
        }
      }
    }
    return new Set(distance.keys());
  }

  return { state, visible, drawn, nodeSet, edgeSet, refresh, neighbourhood, shown: () => indexesOf(visible) };
};
