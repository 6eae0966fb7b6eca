// The big screen (templates/dashboard/screen.html): rotates its panels, fetches its data every minute and
// updates the page in place, never reloading for it. What keeps a wall screen alive for weeks:
// - the same DOM nodes are reused on every refresh (text set only when it changed), so memory stays flat;
// - when the server is away the last data stays up with a banner of its age, and the fetch backs off;
// - once a night it reloads itself, but only after the server answers, so a night-time outage never
//   leaves a browser error page on the wall.
(function () {
  "use strict";
  var body = document.body;
  var cfg = body.dataset;
  var query = new URLSearchParams(window.location.search);
  // ?refresh= and ?rotate= (seconds) shorten the periods for a soak test; never below 50 ms.
  var refreshMs = Math.max(50, 1000 * Number(query.get("refresh") || cfg.refresh || 60));
  var rotateMs = Math.max(50, 1000 * Number(query.get("rotate") || cfg.rotate || 15));
  var maxBackoffMs = Math.max(refreshMs, 5 * 60 * 1000);
  var strings = JSON.parse(document.getElementById("screen-strings").textContent);
  var stale = document.getElementById("screen-stale");
  var updated = document.getElementById("screen-updated");
  var clock = document.getElementById("screen-clock");
  var lastOk = Date.now();
  var failures = 0;
  var refreshes = 0;

  document.documentElement.classList.add("js");

  function setText(el, value) {
    value = value === undefined || value === null ? "" : String(value);
    if (el.textContent !== value) el.textContent = value;
  }

  function fillRow(row, item) {
    var fields = row.querySelectorAll("[data-field]");
    for (var i = 0; i < fields.length; i++) {
      var el = fields[i];
      var value = item[el.dataset.field];
      if (el.tagName === "IMG") {
        if (!value) { el.hidden = true; continue; }
        if (el.getAttribute("src") !== value) el.setAttribute("src", value);
        el.hidden = false;
      } else if (el.tagName === "PROGRESS") {
        if (el.value !== Number(value)) el.value = Number(value);
      } else {
        setText(el, value);
      }
    }
  }

  function fillList(list, items) {
    var template = list.querySelector("template");
    var rows = list.querySelectorAll(":scope > li:not(.screen-empty)");
    var empty = list.querySelector(":scope > li.screen-empty");
    for (var i = 0; i < items.length; i++) {
      var row = rows[i];
      if (!row) {
        row = template.content.firstElementChild.cloneNode(true);
        list.appendChild(row);
      }
      fillRow(row, items[i]);
    }
    for (var j = items.length; j < rows.length; j++) list.removeChild(rows[j]);
    if (items.length && empty) list.removeChild(empty);
    if (!items.length && !empty) {
      empty = document.createElement("li");
      empty.className = "screen-empty";
      empty.textContent = list.dataset.empty || "";
      list.appendChild(empty);
    }
  }

  // Times in the station's zone, whatever the zone the screen's computer was set to.
  var timeFormat = new Intl.DateTimeFormat("zh-CN", {hour: "2-digit", minute: "2-digit", hour12: false,
                                                     timeZone: cfg.timeZone || undefined});
  function hhmm(date) {
    return timeFormat.format(date);
  }

  function render(data) {
    var figures = data.figures || [];
    for (var i = 0; i < figures.length; i++) {
      var el = document.querySelector('[data-figure="' + figures[i].key + '"]');
      if (el) setText(el, figures[i].value);
    }
    var lists = document.querySelectorAll("[data-list]");
    for (var j = 0; j < lists.length; j++) {
      var items = data[lists[j].dataset.list];
      if (Array.isArray(items)) fillList(lists[j], items);
    }
    updated.dataset.generatedAt = data.generated_at;
    setText(updated, strings.updated.replace("%(time)s", hhmm(new Date(data.generated_at))));
  }

  function showAge() {
    var minutes = Math.floor((Date.now() - lastOk) / 60000);
    var isStale = failures > 0 && Date.now() - lastOk > 2 * refreshMs;
    stale.hidden = !isStale;
    body.classList.toggle("is-stale", isStale);
    if (isStale) setText(stale, minutes < 1 ? strings.stale_now : strings.stale.replace("%(minutes)s", String(minutes)));
  }

  function get(url, timeoutMs) {
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, timeoutMs);
    return fetch(url, {cache: "no-store", signal: controller.signal, headers: {Accept: "application/json"}})
      .finally(function () { clearTimeout(timer); })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response;
      });
  }

  function refresh() {
    get(cfg.url, Math.max(refreshMs, 10000))
      .then(function (response) { return response.json(); })
      .then(function (data) {
        render(data);
        lastOk = Date.now();
        failures = 0;
        refreshes += 1;
        body.dataset.refreshes = String(refreshes);  // read by the soak test
      })
      .catch(function () { failures += 1; })
      .then(function () {
        showAge();
        // Back off while the server is away: twice as long after each failure, up to five minutes,
        // with a little jitter so that the screens of a county do not all knock at once.
        var wait = failures ? Math.min(maxBackoffMs, refreshMs * Math.pow(2, failures)) : refreshMs;
        setTimeout(refresh, failures ? wait * (0.8 + 0.4 * Math.random()) : wait);
      });
  }

  function rotate() {
    var panels = document.querySelectorAll(".screen-panel");
    if (panels.length < 2) return;
    var current = 0;
    for (var i = 0; i < panels.length; i++) if (panels[i].classList.contains("is-active")) current = i;
    panels[current].classList.remove("is-active");
    panels[(current + 1) % panels.length].classList.add("is-active");
  }

  function reloadAtNight() {
    // The hour is the station's: the server says how many minutes are left until it (data-reload-in).
    var wait = (Number(cfg.reloadIn) + Math.random() * 10) * 60 * 1000;
    setTimeout(function tryReload() {
      get(window.location.href, 10000)
        .then(function () { window.location.reload(); })
        .catch(function () { setTimeout(tryReload, 5 * 60 * 1000); });
    }, wait);
  }

  function tick() {
    setText(clock, hhmm(new Date()));
    showAge();
  }

  tick();
  setInterval(tick, 15000);
  setInterval(rotate, rotateMs);
  setTimeout(refresh, refreshMs);
  reloadAtNight();
})();
