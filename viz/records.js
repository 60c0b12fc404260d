/* The page's data (kg/viz_pack.py) read back as records, built only when asked for.
 *
 * The JSON holds columns: nodes.zh[i] is node i's label, an edge names its ends by node index, a record its
 * quotes by evidence index, and strings many records share are indexes into `strings`. A page of 88,506
 * nodes builds a record only for what it draws, lists or shows in the panel. Nothing here makes markup.
 */
"use strict";

window.kgRecords = function (data) {
  const N = data.nodes, E = data.edges, V = data.evidence, S = data.strings;
  const nodeCount = N.id.length, edgeCount = E.from.length;
  let index = null;

  /* The node index of an IRI, or -1 (the map is built on first use). */
  function indexOf(id) {
    if (index === null) index = new Map(N.id.map((iri, i) => [iri, i]));
    const i = index.get(id);
    return i === undefined ? -1 : i;
  }

  function node(i) {
    if (!(i >= 0 && i < nodeCount)) return null;
    return {
      index: i, id: N.id[i], zh: N.zh[i], en: N.en[i], label: N.label[i] || N.zh[i],
      kind: data.kinds[N.kind[i]], role: data.groups[N.kind[i]], aliases: N.aliases[i], pinyin: N.pinyin[i],
      ev: N.ev[i], degree: N.degree[i], phases: N.phases[i], x: N.x[i], y: N.y[i],
    };
  }

  function edge(j) {
    if (!(j >= 0 && j < edgeCount)) return null;
    const relation = data.relations[E.relation[j]], phase = S[E.phase[j]];
    return {
      index: j, id: "e" + j, source: E.from[j], target: E.to[j], from: N.id[E.from[j]], to: N.id[E.to[j]],
      key: E.key[j], relation, phase, phaseNumber: E.phaseNumber[j], label: relation === "pairing" ? phase : "",
      zh: E.zh[j], en: E.en[j], role: S[E.role[j]], roleEn: S[E.roleEn[j]], ev: E.ev[j], length: E.length[j],
    };
  }

  function evidence(k) {
    return {
      exact: V.exact[k], prefix: S[V.prefix[k]], suffix: S[V.suffix[k]], start: V.start[k], end: V.end[k],
      title: S[V.title[k]], source: S[V.source[k]],
    };
  }

  /* The edges at each node (an edge from a node to itself twice), as index ranges of one array. */
  const offsets = new Uint32Array(nodeCount + 1);
  for (let j = 0; j < edgeCount; j++) {
    offsets[E.from[j] + 1]++;
    offsets[E.to[j] + 1]++;
  }
  for (let i = 0; i < nodeCount; i++) offsets[i + 1] += offsets[i];
  const ends = new Uint32Array(2 * edgeCount), filled = offsets.slice(0, nodeCount);
  for (let j = 0; j < edgeCount; j++) {
    ends[filled[E.from[j]]++] = j;
    ends[filled[E.to[j]]++] = j;
  }

  /* The indexes of the edges at node i. */
  function incident(i) {
    return ends.subarray(offsets[i], offsets[i + 1]);
  }

  /* The node at the other end of edge j from node i. */
  function other(j, i) {
    return E.from[j] === i ? E.to[j] : E.from[j];
  }

  return { data, nodeCount, edgeCount, indexOf, node, edge, evidence, incident, other };
};
