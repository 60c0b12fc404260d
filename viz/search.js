/* Search by any name: zh or en label, an alias, or toneless pinyin ("cuntian", "cun tian").
 *
 * Ranking: an exact name first, then a name (or a word of an English name) starting with the query, then
 * any name containing it; ties go to organisations before party organisations before people (the
 * enterprise "Murata" rather than its party branch), then to the most connected, then by label. The index
 * of every node's names is built on the first search, not while the page opens.
 */
"use strict";

window.kgSearch = function (records, input, list, onSelect) {
  const roleRank = { organisation: 0, party: 1, person: 2 };
  const norm = (s) => String(s || "").normalize("NFKC").toLowerCase().trim();
  const N = records.data.nodes;
  let index = null;

  function entries() {
    if (index !== null) return index;
    index = [];
    for (let i = 0; i < records.nodeCount; i++) {
      index.push({
        node: i,
        names: [N.zh[i], N.en[i], ...N.aliases[i]].map(norm).filter(Boolean),
        pinyin: N.pinyin[i].map(norm).map((p) => p.replace(/\s+/g, "")),
      });
    }
    return index;
  }

  function score(entry, q, compact) {
    if (entry.names.includes(q) || entry.pinyin.includes(compact)) return 0;
    const words = entry.names.flatMap((name) => name.split(/[\s,.()（）]+/));
    if (entry.names.some((name) => name.startsWith(q)) || words.some((w) => w && w.startsWith(q))) return 1;
    if (entry.pinyin.some((p) => p.startsWith(compact))) return 1;
    if (entry.names.some((name) => name.includes(q)) || entry.pinyin.some((p) => p.includes(compact))) return 2;
    return null;
  }

  function matches(query) {
    const q = norm(query);
    const compact = q.replace(/\s+/g, "");
    if (!q) return [];
    const found = [];
    for (const entry of entries()) {
      const s = score(entry, q, compact);
      if (s !== null) found.push([s, records.node(entry.node)]);
    }
    found.sort((a, b) => a[0] - b[0] || (roleRank[a[1].role] ?? 3) - (roleRank[b[1].role] ?? 3) ||
      b[1].degree - a[1].degree || (a[1].zh < b[1].zh ? -1 : a[1].zh > b[1].zh ? 1 : 0));
    return found.map((pair) => pair[1]);
  }

  function show(found) {
    list.replaceChildren();
    for (const n of found.slice(0, 15)) {
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.id = n.id;
      button.append(document.createTextNode(n.zh + " "));
      const sub = document.createElement("span");
      sub.className = "sub";
      sub.textContent = n.en || n.kind;
      button.append(sub);
      button.addEventListener("click", () => { list.hidden = true; onSelect(n.index); });
      const li = document.createElement("li");
      li.append(button);
      list.append(li);
    }
    list.hidden = found.length === 0;
  }

  input.addEventListener("input", () => show(matches(input.value)));
  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape") list.hidden = true;
    if (event.key !== "Enter") return;
    const found = matches(input.value);
    list.hidden = true;
    if (found.length) onSelect(found[0].index);
  });

  /* Select the best match of `query`, as pressing Enter does; returns its id or null. */
  return function search(query) {
    input.value = query;
    const found = matches(query);
    list.hidden = true;
    if (found.length) onSelect(found[0].index);
    return found.length ? found[0].id : null;
  };
};
