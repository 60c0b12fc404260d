/* The network page: filters (class, phase), search, focus, reset, and the seeded layout that settles
 * and stops. The data is the JSON in #kg-data (written by kg/viz.py); the panel is viz/panel.js.
 * `window.kgviz` exposes the state the browser tests read.
 */
"use strict";

(function () {
  const data = JSON.parse(document.getElementById("kg-data").textContent);
  const $ = (id) => document.getElementById(id);
  const panel = window.kgPanel(data, { selectNode: (id) => selectNode(id), selectEdge: (id) => selectEdge(id) });
  const byId = new Map(data.nodes.map((n) => [n.id, n]));
  const edgeById = new Map(data.edges.map((e) => [e.id, e]));
  const state = { hiddenKinds: new Set(), phase: null, focus: null, initial: data.initial ? new Set(data.initial) : null };
  let visible = new Set();
  const placed = new Set(data.nodes.filter((n) => typeof n.x === "number").map((n) => n.id));
  let resolveReady;
  const ready = new Promise((resolve) => { resolveReady = resolve; });

  function nodeShown(n) {
    if (state.hiddenKinds.has(n.kind)) return false;
    if (state.phase !== null && !n.phases.includes(state.phase)) return false;
    if (state.focus) return state.focus.has(n.id);
    return !state.initial || state.initial.has(n.id);
  }

  function edgeShown(e) {
    if (!visible.has(e.from) || !visible.has(e.to)) return false;
    return state.phase === null || e.relation !== "pairing" || e.phaseNumber === state.phase;
  }

  const nodeSet = new vis.DataSet(data.nodes.map((n) => Object.assign({}, n, { title: panel.tooltip(n) })));
  const edgeSet = new vis.DataSet(data.edges.map((e) => Object.assign({}, e, { title: panel.edgeTooltip(e) })));
  visible = new Set(data.nodes.filter(nodeShown).map((n) => n.id));
  const nodeView = new vis.DataView(nodeSet, { filter: (n) => visible.has(n.id) });
  const edgeView = new vis.DataView(edgeSet, { filter: (e) => edgeShown(e) });
  const network = new vis.Network($("network"), { nodes: nodeView, edges: edgeView }, data.options);

  network.on("stabilizationProgress", (p) => {
    $("progress").textContent = "布局中 Laying out… " + Math.round((100 * p.iterations) / p.total) + "%";
  });
  /* The page opens on kg/viz_layout.py's positions with physics off. Physics runs only to place nodes
     the page reveals later (focus on a big graph), and is switched off again once they settle. */
  function settled() {
    network.setOptions({ physics: { enabled: false } });
    for (const id of visible) placed.add(id);
    $("progress").textContent = "";
    network.fit({ animation: false });
    resolveReady();
  }
  network.on("stabilizationIterationsDone", settled);
  if (!data.options.physics.enabled) network.once("afterDrawing", settled);

  /* Re-filter after a state change; new, never laid out nodes start beside a placed neighbour. */
  function refresh() {
    visible = new Set(data.nodes.filter(nodeShown).map((n) => n.id));
    const fresh = [...visible].filter((id) => !placed.has(id));
    nodeView.refresh();
    edgeView.refresh();
    counts();
    if (fresh.length) {
      seedPositions(fresh);
      network.setOptions({ physics: { enabled: true } });
      network.stabilize(Math.min(data.options.physics.stabilization.iterations, 400));
    } else {
      network.fit({ nodes: [...visible], animation: false });
    }
  }

  function seedPositions(fresh) {
    const moves = [];
    fresh.forEach((id, i) => {
      const anchor = panel.incident.get(id).map((e) => (e.from === id ? e.to : e.from)).find((o) => placed.has(o));
      const at = anchor ? network.getPositions([anchor])[anchor] : { x: 0, y: 0 };
      const angle = (2 * Math.PI * i) / Math.max(fresh.length, 1);
      moves.push({ id, x: at.x + 120 * Math.cos(angle), y: at.y + 120 * Math.sin(angle) });
    });
    nodeSet.update(moves);
  }

  function counts() {
    const shownEdges = edgeView.getIds().length;
    $("counts").textContent = visible.size + " / " + data.nodes.length + " 节点 nodes · " +
      shownEdges + " / " + data.edges.length + " 连线 edges";
  }

  /* Focus: the neighbourhood within `depth` relations, hosting costing nothing (as kg/viz_select.py). */
  function neighbourhood(start, depth) {
    const distance = new Map([[start, 0]]);
    const queue = [start];
    while (queue.length) {
      const id = queue.shift();
      for (const e of panel.incident.get(id)) {
        const other = e.from === id ? e.to : e.from;
        const d = distance.get(id) + (e.relation === "hosting" ? 0 : 1);
        if (d <= depth && d < (distance.has(other) ? distance.get(other) : depth + 1)) {
          distance.set(other, d);
          if (e.relation === "hosting") queue.unshift(other); else queue.push(other);
        }
      }
    }
    return new Set(distance.keys());
  }

  function focusOn(id) {
    state.focus = neighbourhood(id, Number($("depth").value));
    refresh();
    network.selectNodes([id]);
  }

  function selectNode(id) {
    if (!byId.has(id)) return;
    if (!visible.has(id)) {
      state.hiddenKinds.delete(byId.get(id).kind);
      syncKindBoxes();
      if (state.phase !== null && !byId.get(id).phases.includes(state.phase)) setPhase(null, false);
      state.focus = neighbourhood(id, Number($("depth").value));
      refresh();
    }
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 0.9), animation: false });
    showDetails(id, null);
  }

  function selectEdge(id) {
    const e = edgeById.get(id);
    if (!e) return;
    if (edgeView.get(id)) network.setSelection({ nodes: [], edges: [id] }, { unselectAll: true, highlightEdges: false });
    showDetails(null, e);
  }

  function showDetails(nodeId, edge) {
    $("focus").disabled = nodeId === null;
    $("focus").dataset.node = nodeId || "";
    if (nodeId !== null) panel.showNode($("details"), nodeId);
    else panel.showEdge($("details"), edge);
  }

  network.on("click", (params) => {
    if (params.nodes.length) showDetails(params.nodes[0], null);
    else if (params.edges.length) showDetails(null, edgeById.get(params.edges[0]));
  });

  function setPhase(phase, doRefresh = true) {
    state.phase = phase;
    $("phase").value = phase === null ? "" : String(phase);
    if (doRefresh) refresh();
  }

  function syncKindBoxes() {
    for (const box of document.querySelectorAll("#kinds input")) box.checked = !state.hiddenKinds.has(box.dataset.kind);
  }

  function reset() {
    state.hiddenKinds.clear();
    state.focus = null;
    syncKindBoxes();
    $("search").value = "";
    $("results").hidden = true;
    network.unselectAll();
    $("details").replaceChildren(hint);
    $("focus").disabled = true;
    setPhase(null);
  }

  const hint = $("details").firstElementChild;
  const search = window.kgSearch(data, $("search"), $("results"), selectNode);
  panel.legend($("kinds"), $("relations"), (kind, shown) => {
    if (shown) state.hiddenKinds.delete(kind); else state.hiddenKinds.add(kind);
    refresh();
  });
  for (const phase of data.phases) {
    const option = document.createElement("option");
    option.value = String(phase.number);
    option.textContent = phase.label;
    $("phase").append(option);
  }
  $("phase").addEventListener("change", () => setPhase($("phase").value === "" ? null : Number($("phase").value)));
  $("focus").addEventListener("click", () => { if ($("focus").dataset.node) focusOn($("focus").dataset.node); });
  $("reset").addEventListener("click", reset);
  if (data.note) {
    $("note").textContent = data.note;
    $("note").hidden = false;
  }
  counts();

  window.kgviz = {
    network, data, ready, search, selectNode, selectEdge, setPhase, reset, focusOn,
    visibleNodeIds: () => nodeView.getIds(),
    visibleEdgeIds: () => edgeView.getIds(),
    /* the DOM point in the middle of an edge, for tests that click it */
    edgeMidpoint(id) {
      const e = edgeById.get(id);
      const p = network.getPositions([e.from, e.to]);
      return network.canvasToDOM({ x: (p[e.from].x + p[e.to].x) / 2, y: (p[e.from].y + p[e.to].y) / 2 });
    },
  };
})();
