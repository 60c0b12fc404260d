/* The side panel and the legend of the network page.
 *
 * Every string here comes from the graph (labels, aliases, quotes) and is data, not markup: it reaches
 * the page through textContent and createTextNode only, never innerHTML, so a label such as
 * "<img src=x onerror=...>" shows as those characters and runs nothing. Nodes, edges and quotes are
 * named by their index in the page's data (viz/records.js).
 */
"use strict";

window.kgPanel = function (records, hooks) {
  const data = records.data;

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function nodeLink(i) {
    const n = records.node(i);
    const button = el("button", "link", n.zh);
    button.type = "button";
    if (n.en) button.title = n.en;
    button.addEventListener("click", () => hooks.selectNode(i));
    return button;
  }

  function kindText(kind) {
    const style = data.styles.kinds[kind];
    return style ? style.zh + " " + style.en : kind;
  }

  /* One quote inside its sentence: prefix, the highlighted quote, suffix; then where it is from. */
  function quote(k) {
    const ev = records.evidence(k);
    const figure = el("figure", "quote");
    const block = el("blockquote");
    block.append(document.createTextNode(ev.prefix || ""), el("mark", null, ev.exact));
    block.append(document.createTextNode(ev.suffix || ""));
    const where = (ev.title || ev.source.split("/").pop()) + (ev.start === null ? "" : " · " + ev.start + "–" + ev.end);
    figure.append(block, el("figcaption", null, where));
    return figure;
  }

  function section(parent, title, items) {
    if (!items.length) return;
    parent.append(el("h3", null, title));
    const list = el("ul");
    for (const item of items) list.append(item);
    parent.append(list);
  }

  function item(...parts) {
    const li = el("li");
    for (const part of parts) li.append(typeof part === "string" ? document.createTextNode(part) : part);
    return li;
  }

  function edgeButton(e, text) {
    const button = el("button", "link", text);
    button.type = "button";
    button.addEventListener("click", () => hooks.selectEdge(e.index));
    return button;
  }

  function relationItems(i) {
    const out = { host: [], party: [], posts: [], pairings: [], other: [] };
    for (const j of records.incident(i)) {
      const e = records.edge(j), other = records.other(j, i);
      if (e.relation === "hosting") {
        (e.source === i ? out.host : out.party).push(item(nodeLink(other), ...e.ev.map(quote)));
      } else if (e.relation === "post") {
        const role = e.role + (e.roleEn ? " (" + e.roleEn + ")" : "");
        out.posts.push(item(nodeLink(other), " · ", edgeButton(e, role || "post"), ...e.ev.map(quote)));
      } else if (e.relation === "pairing") {
        out.pairings.push(pairingItem(e, other, null));
      } else {
        out.other.push(item(nodeLink(other), " · ", edgeButton(e, e.relation), ...e.ev.map(quote)));
      }
    }
    for (const k of records.incident(i)) {  /* an organisation's pairings are made by its party organisations */
      const h = records.edge(k);
      if (h.relation !== "hosting" || h.target !== i) continue;
      for (const j of records.incident(h.source)) {
        const e = records.edge(j);
        if (e.relation === "pairing") out.pairings.push(pairingItem(e, records.other(j, h.source), h.source));
      }
    }
    return out;
  }

  function pairingItem(e, other, via) {
    const parts = [nodeLink(other), " · ", edgeButton(e, e.phase || "pairing")];
    if (via !== null) parts.push(" (via ", nodeLink(via), ")");
    return item(...parts, ...e.ev.map(quote));
  }

  function header(target, title, subtitle, badge, iri) {
    target.replaceChildren(el("h2", null, title));
    if (subtitle) target.append(el("p", "en", subtitle));
    if (badge) target.append(badge);
    if (iri) target.append(el("p", "iri", iri));
  }

  function showNode(target, i) {
    const n = records.node(i);
    const style = data.styles.kinds[n.kind] || {};
    const badge = el("span", "badge", kindText(n.kind));
    badge.style.background = style.background || "#eee";
    badge.style.color = style.font || "#000";
    badge.style.borderColor = style.border || "#999";
    header(target, n.zh, n.en, badge, n.id);
    const rel = relationItems(i);
    section(target, "别名 Aliases", n.aliases.map((a) => item(a)));
    section(target, "所属 Hosted by", rel.host);
    section(target, "党组织 Party organisations", rel.party);
    section(target, "职务 Posts", rel.posts);
    section(target, "结对 Pairings", rel.pairings);
    section(target, "其他 Other relations", rel.other);
    section(target, "证据 Evidence", n.ev.map((ev) => item(quote(ev))));
  }

  function showEdge(target, j) {
    const e = records.edge(j);
    const rel = data.styles.relations[e.relation] || { zh: e.relation, en: e.relation };
    const kind = el("span", "badge", rel.zh + " " + rel.en + (e.phase ? " · " + e.phase : ""));
    const role = e.role ? e.role + (e.roleEn ? " (" + e.roleEn + ")" : "") : "";
    header(target, e.zh || rel.zh + " " + rel.en, e.en || role, kind, e.key);
    section(target, "从 From", [item(nodeLink(e.source))]);
    section(target, "到 To", [item(nodeLink(e.target))]);
    section(target, "证据 Evidence", e.ev.map((ev) => item(quote(ev))));
    if (!e.ev.length) target.append(el("p", "hint", "没有引文 No quote recorded for this relation."));
  }

  function legend(kindList, relationList, onToggle) {
    const counts = new Map();
    for (const k of data.nodes.kind) counts.set(data.kinds[k], (counts.get(data.kinds[k]) || 0) + 1);
    for (const [kind, style] of Object.entries(data.styles.kinds)) {
      if (!counts.has(kind)) continue;
      const box = el("input");
      box.type = "checkbox";
      box.checked = true;
      box.dataset.kind = kind;
      box.addEventListener("change", () => onToggle(kind, box.checked));
      const swatch = el("span", "swatch " + style.shape);
      swatch.style.background = style.background;
      swatch.style.borderColor = style.border;
      if (style.corners !== undefined) swatch.style.borderRadius = style.corners / 2 + "px";
      if (style.borderWidth) swatch.style.borderWidth = style.borderWidth + "px";
      const label = el("label");
      label.append(box, swatch, document.createTextNode(kindText(kind) + " "), el("span", "count", counts.get(kind)));
      kindList.append(item(label));
    }
    const used = new Set(data.relations);
    for (const [name, style] of Object.entries(data.styles.relations)) {
      if (!used.has(name)) continue;
      const line = el("span", "line" + (Array.isArray(style.dashes) ? " dotted" : style.dashes ? " dashed" : ""));
      line.style.borderTopColor = style.color;
      relationList.append(item(line, style.zh + " " + style.en + (style.arrows ? " →" : "")));
    }
  }

  function tooltip(i) {
    const n = records.node(i);
    const box = el("div");
    box.append(el("strong", null, n.zh));
    if (n.en) box.append(el("div", null, n.en));
    box.append(el("div", "sub", kindText(n.kind)));
    return box;
  }

  function edgeTooltip(j) {
    const e = records.edge(j);
    const rel = data.styles.relations[e.relation] || { zh: e.relation, en: e.relation };
    const from = records.node(e.source), to = records.node(e.target);
    const box = el("div");
    box.append(el("strong", null, rel.zh + " " + rel.en + (e.phase ? " · " + e.phase : "") + (e.role ? " · " + e.role : "")));
    box.append(el("div", "sub", from.zh + " → " + to.zh));
    return box;
  }

  return { showNode, showEdge, legend, tooltip, edgeTooltip };
};
