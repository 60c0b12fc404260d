/* The network page: the vis network of what viz/view.js draws, the seeded layout that settles and stops,
 * selection, and the toolbar (class and phase filters, search, focus, reset). The data is the JSON in
 * #kg-data (written by kg/viz.py, read by viz/records.js); the panel is viz/panel.js. `window.kgviz`
 * exposes the state the browser tests read.
 */
"use strict";

(function () {
  const data = JSON.parse(document.getElementById("kg-data").textContent);
  const records = window.kgRecords(data);
  const N = data.nodes;
  const $ = (id) => document.getElementById(id);
  const panel = window.kgPanel(records, { selectNode: (i) => selectAt(i), selectEdge: (j) => selectEdgeAt(j) });
  const view = window.kgView(records, panel);
  const { state, visible, drawn, nodeSet, edgeSet } = view;
  const placed = Uint8Array.from(N.x, (x) => (typeof x === "number" ? 1 : 0));
  let resolveReady;
  const ready = new Promise((resolve) => { resolveReady = resolve; });
  const network = new vis.Network($("network"), { nodes: nodeSet, edges: edgeSet }, data.options);

  network.on("stabilizationProgress", (p) => {
    $("progress").textContent = "布局中 Laying out… " + Math.round((100 * p.iterations) / p.total) + "%";
  });
  /* The page opens on kg/viz_layout.py's positions with physics off. Physics runs only to place nodes
     the page reveals later (focus on a big graph), and is switched off again once they settle. */
  function settled() {
    network.setOptions({ physics: { enabled: false } });
    for (let i = 0; i < records.nodeCount; i++) if (visible[i]) placed[i] = 1;
    $("progress").textContent = "";
    network.fit({ animation: false });
    resolveReady();
  }
  network.on("stabilizationIterationsDone", settled);
  if (!data.options.physics.enabled) network.once("afterDrawing", settled);

  /* Re-filter after a state change: drawn items come and go; new, never laid out nodes start beside a
     placed neighbour. */
  function refresh() {
    view.refresh((ids) => network.getPositions(ids));
    counts();
    const fresh = view.shown().filter((i) => !placed[i]);
    if (fresh.length) {
      seedPositions(fresh);
      network.setOptions({ physics: { enabled: true } });
      network.stabilize(Math.min(data.options.physics.stabilization.iterations, 400));
    } else {
      network.fit({ nodes: nodeSet.getIds(), animation: false });
    }
  }

  function seedPositions(fresh) {
    const moves = [];
    fresh.forEach((i, k) => {
      const anchor = Array.from(records.incident(i), (j) => records.other(j, i)).find((o) => placed[o] && visible[o]);
      const at = anchor === undefined ? { x: 0, y: 0 } : network.getPositions([N.id[anchor]])[N.id[anchor]];
      const angle = (2 * Math.PI * k) / Math.max(fresh.length, 1);
      moves.push({ id: N.id[i], x: at.x + 120 * Math.cos(angle), y: at.y + 120 * Math.sin(angle) });
    });
    nodeSet.update(moves);
  }

  function counts() {
    $("counts").textContent = nodeSet.length + " / " + records.nodeCount + " 节点 nodes · " +
      edgeSet.length + " / " + records.edgeCount + " 连线 edges";
  }

  /* Focus on node i: its neighbourhood at the toolbar's depth (viz/view.js). */
  function focusAt(i) {
    state.focus = view.neighbourhood(i, Number($("depth").value));
    refresh();
    network.selectNodes([N.id[i]]);
  }

  /* Select node i, opening its neighbourhood first when it is hidden (a search on a big page). */
  function selectAt(i) {
    if (!(i >= 0 && i < records.nodeCount)) return;
    if (!visible[i]) {
      state.hiddenKinds.delete(data.kinds[N.kind[i]]);
      syncKindBoxes();
      if (state.phase !== null && !N.phases[i].includes(state.phase)) setPhase(null, false);
      state.focus = view.neighbourhood(i, Number($("depth").value));
      refresh();
    }
    network.selectNodes([N.id[i]]);
    network.focus(N.id[i], { scale: Math.max(network.getScale(), 0.9), animation: false });
    showDetails(i, null);
  }

  function selectEdgeAt(j) {
    if (!(j >= 0 && j < records.edgeCount)) return;
    if (drawn[j]) network.setSelection({ nodes: [], edges: ["e" + j] }, { unselectAll: true, highlightEdges: false });
    showDetails(null, j);
  }

  /* An edge's index from its vis id ("e12"), or -1. */
  function edgeIndex(id) {
    return /^e\d+$/.test(String(id)) ? Number(String(id).slice(1)) : -1;
  }

  function showDetails(i, j) {
    $("focus").disabled = i === null;
    $("focus").dataset.node = i === null ? "" : String(i);
    if (i !== null) panel.showNode($("details"), i);
    else panel.showEdge($("details"), j);
  }

  network.on("click", (params) => {
    if (params.nodes.length) showDetails(records.indexOf(params.nodes[0]), null);
    else if (params.edges.length) showDetails(null, edgeIndex(params.edges[0]));
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
  const search = window.kgSearch(records, $("search"), $("results"), selectAt);
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
  $("focus").addEventListener("click", () => { if ($("focus").dataset.node) focusAt(Number($("focus").dataset.node)); });
  $("reset").addEventListener("click", reset);
  if (data.note) {
    $("note").textContent = data.note;
    $("note").hidden = false;
  }
  counts();

  /* What the browser tests and benchmarks read; nodes by IRI, edges by vis id ("e12"). */
  window.kgviz = {
    network, data, records, ready, search, setPhase, reset,
    selectNode: (id) => selectAt(records.indexOf(id)),
    selectEdge: (id) => selectEdgeAt(edgeIndex(id)),
    focusOn: (id) => focusAt(records.indexOf(id)),
    node: (id) => records.node(records.indexOf(id)),
    edge: (id) => records.edge(edgeIndex(id)),
    visibleNodeIds: () => nodeSet.getIds(),
    visibleEdgeIds: () => edgeSet.getIds(),
    /* the DOM point in the middle of an edge, for tests that click it */
    edgeMidpoint(id) {
      const e = records.edge(edgeIndex(id));
      const p = network.getPositions([e.from, e.to]);
      return network.canvasToDOM({ x: (p[e.from].x + p[e.to].x) / 2, y: (p[e.from].y + p[e.to].y) / 2 });
    },
  };
})();
