/* The query page: YASGUI pointed at this server's /sparql, with everything that would reach another host
 * switched off, and the bundled competency queries as one-click examples. */
(function () {
  "use strict";
  var ENTITY_BASE = "https://w3id.org/zqgj/id/";
  var ONTOLOGY_BASE = "https://w3id.org/zqgj/ontology";
  var Yasgui = window.Yasgui;
  var endpoint = window.location.origin + "/sparql";

  // The LOV autocompleters ("class", "property") ask lov.linkeddata.es; prefix completion stays on the
  // bundled prefix list (prefixCcApi null). The page's CSP (connect-src 'self') blocks them anyway.
  Yasgui.Yasqe.defaults.autocompleters = Yasgui.Yasqe.defaults.autocompleters.filter(function (name) {
    return name !== "class" && name !== "property";
  });
  Yasgui.Yasqe.defaults.prefixCcApi = null;

  var examples = JSON.parse(document.getElementById("kg-examples").textContent);
  var firstQuery = examples.length ? examples[0].query :
    "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10";
  Yasgui.Yasqe.defaults.value = firstQuery;

  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    corsProxy: undefined,
    endpointCatalogueOptions: {
      getData: function () { return [{ endpoint: endpoint }]; },
      keys: [],
      renderItem: function (data, source) {
        var span = document.createElement("span");
        span.textContent = data.value.endpoint;
        source.appendChild(span);
      }
    },
    persistenceId: "kg-serve-" + window.location.host
  });

  // A tab restored from an earlier session may point elsewhere; this page only queries this server.
  Object.keys(yasgui._tabs || {}).forEach(function (id) {
    var tab = yasgui.getTab(id);
    if (tab && tab.getEndpoint() !== endpoint) { tab.setRequestConfig({ endpoint: endpoint }); }
  });

  function localHref(href) {
    if (href.indexOf(ENTITY_BASE) === 0) { return "/id/" + href.slice(ENTITY_BASE.length); }
    if (href.indexOf(ONTOLOGY_BASE + "#") === 0) { return "/ontology#zq:" + href.slice(ONTOLOGY_BASE.length + 1); }
    if (href === ONTOLOGY_BASE) { return "/ontology"; }
    return null;
  }

  // Result cells link the graph's IRIs to this server's pages instead of w3id.org.
  function relink(root) {
    var links = root.querySelectorAll("a[href]");
    for (var i = 0; i < links.length; i++) {
      var local = localHref(links[i].getAttribute("href"));
      if (local) { links[i].setAttribute("href", local); links[i].removeAttribute("target"); }
    }
  }
  var observer = new MutationObserver(function (records) {
    records.forEach(function (record) {
      record.addedNodes.forEach(function (node) { if (node.querySelectorAll) { relink(node); } });
    });
  });
  observer.observe(document.getElementById("yasgui"), { childList: true, subtree: true });

  function paramArgs(name) {
    var inputs = document.querySelectorAll("input[data-example]");
    var args = [];
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i].getAttribute("data-example") === name) {
        args.push({ name: "$" + inputs[i].getAttribute("data-param"), value: inputs[i].value });
      }
    }
    return args;
  }

  function openExample(example) {
    var tab = yasgui.addTab(true, {
      name: example.name,
      yasqe: { value: example.query },
      requestConfig: { endpoint: endpoint, method: "POST", args: paramArgs(example.name) }
    });
    tab.query().catch(function () { /* YASR shows the error */ });
  }

  var byName = {};
  examples.forEach(function (example) { byName[example.name] = example; });
  var buttons = document.querySelectorAll("button.run-example");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].addEventListener("click", function (event) {
      var example = byName[event.currentTarget.getAttribute("data-name")];
      if (example) { openExample(example); }
    });
  }
  window.kgYasgui = yasgui;
}());
