/* gcaudit report: renders result rows from the embedded JSON in pages, applies the filters.
   Every org string is set with textContent, never parsed as HTML. Filter state lives in the URL
   fragment (#sev=high,critical&status=FAIL&q=billing&pass=1) so a filtered view can be shared. */
(function () {
  "use strict";
  var PAGE = 50;
  var PRINT_CAP = 5000;
  var data = JSON.parse(document.getElementById("gcaudit-data").textContent);
  var STATUSES = data.statuses;
  var PASS = STATUSES.indexOf("PASS");
  // NOT_APPLICABLE rows are collapsed with the PASS rows: shown on request, not by default.
  var NA = STATUSES.indexOf("NOT_APPLICABLE");
  function quiet(row) { return row[1] === PASS || row[1] === NA; }
  var groups = data.groups;
  var rows = data.rows;
  var badges = data.badges || {};
  var links = data.links || {};

  var byGroup = groups.map(function () { return []; });
  var hay = new Array(rows.length);
  for (var i = 0; i < rows.length; i++) {
    var r = rows[i];
    var g = groups[r[0]];
    byGroup[r[0]].push(i);
    hay[i] = [g.id, g.title, STATUSES[r[1]], r[8], r[3], r[4], r[5], badges[r[6]] || ""].join("\n").toLowerCase();
  }

  var form = document.getElementById("filters");
  var search = document.getElementById("q");
  var sections = Array.prototype.slice.call(document.querySelectorAll("details.rule[data-group]"));
  var views = groups.map(function () { return { limit: PAGE, showPass: false, passLimit: PAGE }; });
  var state = { sev: null, status: null, q: "", pass: false };
  var printing = false;

  function checked(name) {
    var out = new Set();
    form.querySelectorAll("input[name=" + name + "]").forEach(function (box) { if (box.checked) { out.add(box.value); } });
    return out;
  }

  function readControls() {
    state.sev = checked("sev");
    state.status = checked("status");
    state.q = search.value.trim().toLowerCase();
  }

  function applyToControls() {
    form.querySelectorAll("input[name=sev]").forEach(function (box) { box.checked = state.sev.has(box.value); });
    form.querySelectorAll("input[name=status]").forEach(function (box) { box.checked = state.status.has(box.value); });
    search.value = state.q;
  }

  function readHash() {
    var params = new URLSearchParams(window.location.hash.replace(/^#/, ""));
    readControls();
    if (params.has("sev")) { state.sev = new Set(params.get("sev").split(",").filter(Boolean)); }
    if (params.has("status")) { state.status = new Set(params.get("status").split(",").filter(Boolean)); }
    if (params.has("q")) { state.q = params.get("q").trim().toLowerCase(); }
    state.pass = params.get("pass") === "1";
    applyToControls();
  }

  function writeHash() {
    var params = new URLSearchParams();
    var allSev = state.sev.size === data.severities.length;
    var allStatus = state.status.size === STATUSES.length;
    if (!allSev) { params.set("sev", Array.from(state.sev).join(",")); }
    if (!allStatus) { params.set("status", Array.from(state.status).join(",")); }
    if (state.q) { params.set("q", state.q); }
    if (state.pass) { params.set("pass", "1"); }
    var text = params.toString();
    try {
      window.history.replaceState(null, "", text ? "#" + text : window.location.pathname + window.location.search);
    } catch (e) { /* some file:// contexts refuse replaceState; the filters still work */ }
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function adminUrl(row) {
    var template = links[row[2]];
    if (!template || !row[7]) { return null; }
    var url = template.replace("{id}", encodeURIComponent(row[3]));
    return /^https:\/\//.test(url) ? url : null;
  }

  function rowElement(index) {
    var row = rows[index];
    var tr = el("tr", quiet(row) ? "passed" : "");
    tr.dataset.status = STATUSES[row[1]];
    var status = el("td");
    status.appendChild(el("span", "st st-" + STATUSES[row[1]], STATUSES[row[1]]));
    var badge = badges[row[6]];
    if (badge) { status.appendChild(el("span", "badge badge-" + badge.replace(/[^A-Za-z0-9_-]/g, ""), badge)); }
    status.dataset.label = "Status";
    tr.appendChild(status);
    var type = el("td", "type", row[8]);
    type.dataset.label = "Type";
    tr.appendChild(type);
    var resource = el("td", "resource");
    var url = adminUrl(row);
    if (url) {
      var a = el("a", "", row[4] || row[3]);
      a.href = url;
      a.rel = "noopener noreferrer";
      a.target = "_blank";
      a.title = "Open in the Genesys Cloud admin UI";
      resource.appendChild(a);
    } else {
      resource.appendChild(el("span", "", row[4] || row[3]));
    }
    if (row[3] && row[3] !== row[4]) { resource.appendChild(el("span", "rid", row[3])); }
    tr.appendChild(resource);
    tr.appendChild(el("td", "message", row[5]));
    tr.lastChild.dataset.label = "Message";
    resource.dataset.label = "Resource";
    return tr;
  }

  function setButton(button, text) {
    button.hidden = !text;
    button.textContent = text || "";
  }

  function render() {
    var q = state.q;
    var matched = 0;
    var shownGroups = 0;
    var budget = printing ? PRINT_CAP : Infinity;
    sections.forEach(function (section) {
      var gi = Number(section.dataset.group);
      var view = views[gi];
      var main = [];
      var pass = [];
      if (state.sev.has(groups[gi].sev)) {
        byGroup[gi].forEach(function (index) {
          var row = rows[index];
          if (!state.status.has(STATUSES[row[1]])) { return; }
          if (q && hay[index].indexOf(q) === -1) { return; }
          (quiet(row) ? pass : main).push(index);
        });
      }
      var total = main.length + pass.length;
      section.hidden = total === 0;
      if (!total) { return; }
      shownGroups += 1;
      matched += total;
      if (q) { section.open = true; }
      var limit = printing ? Math.min(main.length, budget) : view.limit;
      var showMain = main.slice(0, limit);
      budget -= showMain.length;
      // a search shows matching PASS rows too: the user is looking for that resource
      var passOpen = (view.showPass || state.pass || Boolean(q)) && !printing;
      var showPass = passOpen ? pass.slice(0, view.passLimit) : [];
      var fragment = document.createDocumentFragment();
      showMain.forEach(function (index) { fragment.appendChild(rowElement(index)); });
      showPass.forEach(function (index) { fragment.appendChild(rowElement(index)); });
      section.querySelector("[data-role=rows]").replaceChildren(fragment);
      section.querySelector("[data-role=count]").textContent =
        "Showing " + (showMain.length + showPass.length) + " of " + total;
      var pager = section.querySelector(".pager");
      var rest = main.length - showMain.length;
      setButton(pager.querySelector("[data-action=more]"),
        rest > 0 ? "Show " + Math.min(PAGE, rest) + " more (" + rest + " not shown)" : "");
      setButton(pager.querySelector("[data-action=pass]"),
        pass.length ? (passOpen ? "Hide " : "Show ") + pass.length + " passed or not applicable" : "");
      var passRest = pass.length - showPass.length;
      setButton(pager.querySelector("[data-action=pass-more]"),
        passOpen && passRest > 0 ? "Show " + Math.min(PAGE, passRest) + " more passed or not applicable" : "");
    });
    document.getElementById("shown").textContent =
      "Showing " + matched + " of " + rows.length + " results in " + shownGroups + " of " + groups.length + " rules.";
    document.getElementById("no-match").hidden = matched !== 0;
  }

  function update() {
    readControls();
    views.forEach(function (view) { view.limit = PAGE; view.passLimit = PAGE; });
    render();
    writeHash();
  }

  var timer = null;
  form.addEventListener("change", update);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  search.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, 120);
  });
  document.getElementById("reset").addEventListener("click", function () {
    form.querySelectorAll("input[type=checkbox]").forEach(function (box) { box.checked = true; });
    search.value = "";
    state.pass = false;
    views.forEach(function (view) { view.showPass = false; });
    update();
  });
  document.getElementById("findings").addEventListener("click", function (event) {
    var button = event.target.closest("button[data-action]");
    if (!button) { return; }
    var view = views[Number(button.dataset.group)];
    var action = button.dataset.action;
    if (action === "more") { view.limit += PAGE; }
    if (action === "pass") {
      if (state.pass) { state.pass = false; views.forEach(function (v) { v.showPass = true; }); }
      view.showPass = !view.showPass;
      view.passLimit = PAGE;
    }
    if (action === "pass-more") { view.passLimit += PAGE; }
    render();
    writeHash();
  });
  window.addEventListener("hashchange", function () { readHash(); render(); });
  window.addEventListener("beforeprint", function () {
    printing = true;
    sections.forEach(function (section) { section.dataset.wasOpen = section.open ? "1" : ""; section.open = true; });
    render();
  });
  window.addEventListener("afterprint", function () {
    printing = false;
    sections.forEach(function (section) { section.open = section.dataset.wasOpen === "1"; });
    render();
  });

  readHash();
  render();
  document.documentElement.dataset.ready = "1";
}());
