// The status page of the recommendation server: plain DOM, no library, no network beyond this
// server. Every text from the server goes in through textContent or an attribute, never as HTML.
"use strict";

(function () {
  const REFRESH_MILLIS = 2000;
  const SVG = "http://www.w3.org/2000/svg";
  const PALETTE = [
    "#2f6fdd", "#d9480f", "#2b8a3e", "#9c36b5", "#e8590c", "#0b7285",
    "#c2255c", "#5f3dc4", "#868e96", "#a61e4d", "#1864ab", "#5c940d",
  ];
  const METRICS = {
    rmse: { label: "RMSE", lowerIsBetter: true },
    mae: { label: "MAE", lowerIsBetter: true },
    logloss: { label: "log loss", lowerIsBetter: true },
    auc: { label: "AUC", lowerIsBetter: false },
    hitRate: { label: "HR@k", lowerIsBetter: false },
    mrr: { label: "MRR@k", lowerIsBetter: false },
  };
  const SOURCES = {
    walks: "random walks on the item graph from the user's recent items",
    "new-users": "neighbours of the items new users start with",
    popularity: "recent popularity (the global fallback that fills a list)",
  };

  const $ = (id) => document.getElementById(id);
  let quality = null; // the last /api/quality answer
  const colors = new Map(); // series name -> colour, stable while the page is open

  // ---------------------------------------------------------------- helpers

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else node.setAttribute(k, String(v));
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  function setText(id, text) {
    $(id).textContent = text === null || text === undefined ? "–" : String(text);
  }

  async function getJson(url) {
    const response = await fetch(url, { cache: "no-store", headers: { Accept: "application/json" } });
    let body = null;
    try {
      body = await response.json();
    } catch (e) {
      body = null;
    }
    return { status: response.status, ok: response.ok, body: body };
  }

  function count(n) {
    if (n === null || n === undefined || !isFinite(n)) return "–";
    const a = Math.abs(n);
    if (a >= 1e9) return (n / 1e9).toFixed(a >= 1e10 ? 1 : 2) + "G";
    if (a >= 1e6) return (n / 1e6).toFixed(a >= 1e7 ? 1 : 2) + "M";
    if (a >= 1e4) return (n / 1e3).toFixed(a >= 1e5 ? 0 : 1) + "k";
    return Math.round(n).toLocaleString("en-US");
  }

  function rate(n) {
    if (n === null || n === undefined || !isFinite(n)) return null;
    return n >= 100 ? count(n) : n.toFixed(n >= 10 ? 1 : 2);
  }

  function metricValue(v) {
    return v === null || v === undefined ? "–" : Number(v).toFixed(4);
  }

  function age(millis) {
    if (millis === null || millis === undefined) return "–";
    const s = millis / 1000;
    if (s < 60) return s.toFixed(s < 10 ? 1 : 0) + " s";
    if (s < 3600) return (s / 60).toFixed(0) + " min";
    if (s < 86400) return (s / 3600).toFixed(1) + " h";
    return (s / 86400).toFixed(1) + " days";
  }

  function colorOf(name) {
    if (!colors.has(name)) colors.set(name, PALETTE[colors.size % PALETTE.length]);
    return colors.get(name);
  }

  // ---------------------------------------------------------------- status

  async function refreshStatus() {
    const answer = await getJson("api/status");
    if (!answer.ok || !answer.body) throw new Error("api/status answered " + answer.status);
    const s = answer.body;
    const eps = rate(s.eventsPerSecond);
    setText("status-events-per-second", eps === null ? "–" : eps);
    setText("status-events-scored", count(s.eventsScored) + " scored" + (eps === null ? " (rate not known yet)" : ""));
    setText("status-lists", count(s.lists));
    setText("status-fallback", s.fallback ? "+ the global fallback" : "no fallback list yet");
    $("status-fallback").className = "note" + (s.fallback ? "" : " warn");
    setText("status-lists-per-second", rate(s.listsPerSecond) === null ? "–" : rate(s.listsPerSecond));
    setText("status-lists-received", count(s.listsReceived) + " received");
    setText("status-model-version", s.modelVersion);
    setText("status-graph-version", s.graphVersion);
    setText("status-items", count(s.items));
    setText("status-started-at", s.startedAt ? "server up since " + new Date(s.startedAt).toLocaleString() : "");

    const rows = [];
    for (const [topic, t] of Object.entries(s.topics || {})) {
      const state = t.caughtUp
        ? el("span", { class: "pill ok" }, "caught up")
        : el("span", { class: "pill warn" }, "catching up");
      rows.push(
        el("tr", { "data-topic": topic },
          el("td", null, topic),
          el("td", { class: "num" }, count(t.records)),
          el("td", { class: "num" }, count(t.rejected)),
          el("td", { class: "num" }, t.lag === null || t.lag === undefined || t.lag < 0 ? "–" : count(t.lag)),
          el("td", null, state)));
    }
    $("status-topics").tBodies[0].replaceChildren(...rows);
  }

  // ---------------------------------------------------------------- quality chart

  async function refreshQuality() {
    const answer = await getJson("api/quality");
    if (!answer.ok || !answer.body) throw new Error("api/quality answered " + answer.status);
    quality = answer.body;
    for (const s of [...(quality.series || [])].sort((a, b) => a.name.localeCompare(b.name))) colorOf(s.name);
    updateGroups(quality.groups || 0);
    drawQuality();
  }

  function updateGroups(groups) {
    const select = $("quality-group");
    if (select.options.length === groups + 1) return;
    const chosen = select.value;
    const options = [el("option", { value: "0" }, "all users")];
    for (let g = 1; g <= groups; g++) options.push(el("option", { value: String(g) }, "group " + g));
    select.replaceChildren(...options);
    select.value = Number(chosen) <= groups ? chosen : "0";
  }

  function drawQuality() {
    if (!quality) return;
    const group = Number($("quality-group").value || 0);
    const series = (quality.series || []).filter((s) => s.group === group);
    const rating = series.filter((s) => s.k === 0);
    const topn = series.filter((s) => s.k > 0);
    drawPanel("quality-rating", rating, metricOf("quality-rating-metric", rating));
    drawPanel("quality-topn", topn, metricOf("quality-topn-metric", topn));
  }

  function niceStep(span, ticks) {
    const raw = span / Math.max(1, ticks);
    const magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    const f = raw / magnitude;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * magnitude;
  }

  function niceRange(lo, hi, ticks) {
    if (!isFinite(lo) || !isFinite(hi)) return { lo: 0, hi: 1, step: 0.25 };
    if (hi - lo < 1e-9) {
      const pad = Math.abs(hi) * 0.05 || 0.05;
      lo -= pad;
      hi += pad;
    }
    const step = niceStep(hi - lo, ticks);
    return { lo: Math.floor(lo / step) * step, hi: Math.ceil(hi / step) * step, step: step };
  }

  function tickLabel(v, step) {
    const digits = Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));
    return v.toFixed(digits + (step / Math.pow(10, Math.floor(Math.log10(step))) === 2.5 ? 1 : 0));
  }

  /** An events tick, in one unit for the whole axis: 0, 5k, 10k, 15k; 0, 0.5M, 1M. */
  function eventsTick(v, axis) {
    const unit = axis.hi >= 1e6 ? 1e6 : axis.hi >= 1e4 ? 1e3 : 1;
    const suffix = unit === 1e6 ? "M" : unit === 1e3 ? "k" : "";
    const step = axis.step / unit;
    const digits = step >= 1 ? 0 : Math.min(3, Math.ceil(-Math.log10(step) - 1e-9));
    return v === 0 ? "0" : (v / unit).toFixed(digits) + suffix;
  }

  /** The metric shown in a panel: the one chosen, or until a choice the first one with data. */
  function metricOf(selectId, series) {
    const select = $(selectId);
    if (select.dataset.chosen) return select.value;
    const has = (m) => series.some((s) => s.points.some((p) => p[m] !== null && p[m] !== undefined));
    if (!has(select.value)) {
      const other = Array.from(select.options).map((o) => o.value).find(has);
      if (other) select.value = other;
    }
    return select.value;
  }

  function drawPanel(id, series, metric) {
    const plot = $(id + "-plot");
    const legend = $(id + "-legend");
    const W = 560, H = 250, L = 56, R = 22, T = 12, B = 40;
    const info = METRICS[metric];
    const ks = [...new Set(series.map((s) => s.k))];
    const yTitle = info.label.replace("@k", ks.length === 1 ? "@" + ks[0] : "@k") +
      (info.lowerIsBetter ? " (lower is better)" : " (higher is better)");

    let xMax = 0, yLo = Infinity, yHi = -Infinity;
    for (const s of series) {
      for (const p of s.points) {
        const v = p[metric];
        if (v === null || v === undefined) continue;
        xMax = Math.max(xMax, p.events);
        yLo = Math.min(yLo, v);
        yHi = Math.max(yHi, v);
      }
    }
    const chart = svg("svg", {
      viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": yTitle + " by events scored",
      "data-metric": metric,
    });
    const drawn = series.filter((s) => s.points.some((p) => p[metric] !== null && p[metric] !== undefined));
    if (drawn.length === 0) {
      chart.append(svg("text", { x: W / 2, y: H / 2, "text-anchor": "middle", class: "empty" },
        series.length === 0 ? "no snapshots for this group yet" : "no " + info.label + " in these snapshots"));
    } else {
      const x = niceRange(0, xMax, 5);
      const y = niceRange(yLo, yHi, 5);
      const px = (v) => L + ((v - x.lo) / (x.hi - x.lo)) * (W - L - R);
      const py = (v) => H - B - ((v - y.lo) / (y.hi - y.lo)) * (H - T - B);
      const axis = svg("g", { class: "axis" });
      for (let v = y.lo; v <= y.hi + y.step / 2; v += y.step) {
        axis.append(svg("line", { class: "gridline", x1: L, x2: W - R, y1: py(v), y2: py(v) }));
        axis.append(svg("text", { x: L - 6, y: py(v) + 4, "text-anchor": "end" }, tickLabel(v, y.step)));
      }
      for (let v = x.lo; v <= x.hi + x.step / 2; v += x.step) {
        axis.append(svg("line", { x1: px(v), x2: px(v), y1: H - B, y2: H - B + 4 }));
        axis.append(svg("text", { x: px(v), y: H - B + 16, "text-anchor": "middle" }, eventsTick(v, x)));
      }
      axis.append(svg("line", { x1: L, x2: W - R, y1: H - B, y2: H - B }));
      axis.append(svg("line", { x1: L, x2: L, y1: T, y2: H - B }));
      axis.append(svg("text", { class: "axis-title", x: (L + W - R) / 2, y: H - 6, "text-anchor": "middle" },
        "events scored"));
      axis.append(svg("text", {
        class: "axis-title", x: 12, y: (T + H - B) / 2, "text-anchor": "middle",
        transform: `rotate(-90 12 ${(T + H - B) / 2})`,
      }, yTitle));
      chart.append(axis);
      for (const s of drawn) {
        let d = "", pen = "M", last = null;
        for (const p of s.points) {
          const v = p[metric];
          if (v === null || v === undefined) {
            pen = "M";
            continue;
          }
          d += `${pen}${px(p.events).toFixed(1)},${py(v).toFixed(1)} `;
          pen = "L";
          last = p;
        }
        const path = svg("path", {
          class: "series", d: d.trim(), stroke: colorOf(s.name),
          "data-series": s.name, "data-group": s.group, "data-k": s.k,
        });
        path.append(svg("title", {}, `${s.name}: ${info.label} ${metricValue(last[metric])} after ${count(last.events)} events`));
        chart.append(path);
        chart.append(svg("circle", {
          cx: px(last.events).toFixed(1), cy: py(last[metric]).toFixed(1), r: 3, fill: colorOf(s.name),
        }));
      }
    }
    plot.replaceChildren(chart);

    const items = series.map((s) => {
      const last = [...s.points].reverse().find((p) => p[metric] !== null && p[metric] !== undefined);
      return el("li", { "data-series": s.name },
        el("span", { class: "swatch", style: "background:" + colorOf(s.name) }),
        el("span", { class: "name" }, s.name + (s.k > 0 ? " (k=" + s.k + ")" : "")),
        el("span", { class: "last" }, last ? metricValue(last[metric]) : "no data"));
    });
    legend.replaceChildren(...items);
  }

  // ---------------------------------------------------------------- refresh loop

  async function tick() {
    if (!document.hidden) {
      const results = await Promise.allSettled([refreshStatus(), refreshQuality()]);
      const failed = results.find((r) => r.status === "rejected");
      const connection = $("status-connection");
      if (failed) {
        connection.dataset.state = "error";
        connection.textContent = "cannot reach the server: " + failed.reason.message;
      } else {
        connection.dataset.state = "live";
        connection.textContent = "live · refreshed " + new Date().toLocaleTimeString();
      }
    }
    setTimeout(tick, REFRESH_MILLIS);
  }

  // ---------------------------------------------------------------- user search

  let searchNumber = 0;

  async function search(event) {
    event.preventDefault();
    const id = $("user-id").value; // as typed: the server says what is wrong with an id
    const k = $("user-k").value.trim();
    const number = ++searchNumber;
    $("user-result").hidden = false;
    const error = $("user-error");
    const meta = $("user-list-meta");
    const rows = $("user-lists").tBodies[0];
    const profile = $("user-profile");
    if (id === "") {
      error.hidden = false;
      error.textContent = "Enter a user id.";
      meta.replaceChildren();
      rows.replaceChildren();
      $("user-lists").hidden = true;
      profile.replaceChildren();
      return;
    }
    error.hidden = true;
    meta.replaceChildren(el("span", null, "looking up…"));
    profile.replaceChildren(el("div", { class: "notice" }, "asking the job…"));
    const user = encodeURIComponent(id);
    const listUrl = `users/${user}/recommendations` + (k === "" ? "" : "?k=" + encodeURIComponent(k));
    const lists = getJson(listUrl).catch((e) => ({ status: 0, ok: false, body: { error: e.message } }));
    const state = getJson(`users/${user}`).catch((e) => ({ status: 0, ok: false, body: { error: e.message } }));
    const listAnswer = await lists;
    if (number !== searchNumber) return;
    showList(id, listAnswer);
    const stateAnswer = await state;
    if (number !== searchNumber) return;
    showProfile(id, stateAnswer);
  }

  function reasonOf(answer) {
    const why = answer.body && answer.body.error ? answer.body.error : "no reason given";
    return (answer.status ? answer.status + ": " : "") + why;
  }

  function showList(id, answer) {
    const error = $("user-error");
    const meta = $("user-list-meta");
    const table = $("user-lists");
    const rows = table.tBodies[0];
    if (!answer.ok || !answer.body) {
      error.hidden = false;
      error.textContent = "No recommendations for " + JSON.stringify(id) + " — " + reasonOf(answer);
      meta.replaceChildren();
      rows.replaceChildren();
      table.hidden = true;
      return;
    }
    const r = answer.body;
    error.hidden = true;
    table.hidden = false;
    const parts = [];
    if (r.fallback) {
      parts.push(el("div", { id: "user-fallback", class: "fallback-banner" },
        el("strong", null, "Fallback list, not personal. "), r.reason || ""));
    }
    parts.push(
      el("span", null, "user ", el("strong", { id: "user-meta-user" }, r.user)),
      el("span", null, "recommender ", el("strong", { id: "user-meta-recommender" }, r.recommender || "unknown")),
      el("span", null, "list ", el("strong", { id: "user-meta-kind", class: r.fallback ? "pill warn" : "pill ok" },
        r.fallback ? "fallback" : "personal")),
      el("span", null, "model v", el("strong", null, r.modelVersion)),
      el("span", null, "graph v", el("strong", null, r.graphVersion)),
      el("span", { title: r.generatedAt || "" }, "computed ", el("strong", null, age(r.ageMillis)), " ago"));
    meta.replaceChildren(...parts);
    const items = r.items || [];
    if (items.length === 0) {
      rows.replaceChildren(el("tr", null, el("td", { colspan: 6, class: "empty" }, "the list is empty")));
      return;
    }
    rows.replaceChildren(...items.map((item, n) => {
      const source = item.source || "";
      return el("tr", { "data-item": item.item, "data-source": source },
        el("td", { class: "num" }, n + 1),
        el("td", { class: "item" }, item.item),
        el("td", { class: "title" }, item.title === null || item.title === undefined ? "(no metadata)" : item.title),
        el("td", { class: "genres" }, (item.genres || []).join(", ")),
        el("td", { class: "num score" }, Number(item.score).toFixed(4)),
        el("td", { class: "source" },
          el("span", { class: "pill src-" + (SOURCES[source] ? source : "other"), title: SOURCES[source] || "" },
            source === "" ? "unknown" : source)));
    }));
  }

  function showProfile(id, answer) {
    const profile = $("user-profile");
    if (answer.status === 200 && answer.body) {
      const b = answer.body;
      const parts = [el("div", { class: "meta" },
        el("span", null, "job ", el("strong", null, b.job || "–")),
        el("span", null, "known ", el("strong", null, b.known ? "yes" : "no")))];
      parts.push(el("h3", null, "profile"), b.profile ? value(b.profile) : el("div", { class: "notice" }, "no profile"));
      parts.push(el("h3", null, "personal model"), b.model ? value(b.model) : el("div", { class: "notice" }, "no personal model"));
      profile.replaceChildren(...parts);
      return;
    }
    let title;
    if (answer.status === 404) title = "The job has no state for " + JSON.stringify(id) + ".";
    else if (answer.status === 503) title = "The job's state cannot be read right now.";
    else if (answer.status === 400) title = "The id was refused.";
    else title = "No profile.";
    const notice = el("div", { class: "notice", "data-status": answer.status },
      el("strong", null, title), " ", reasonOf(answer));
    if (answer.body && answer.body.recommendations) {
      notice.append(el("div", null, answer.body.recommendations));
    }
    profile.replaceChildren(notice);
  }

  /** Any JSON value as readable text: objects as nested lists, long arrays cut. */
  function value(v) {
    if (v === null || v === undefined) return el("span", { class: "null" }, "–");
    if (Array.isArray(v)) {
      if (v.every((x) => x === null || typeof x !== "object")) {
        const shown = v.slice(0, 8).map((x) => (typeof x === "number" ? num(x) : String(x)));
        return el("span", null, "[" + shown.join(", ") + (v.length > 8 ? ", … " + v.length + " values" : "") + "]");
      }
      const list = el("dl", { class: "kv" });
      v.slice(0, 20).forEach((x, n) => list.append(el("dt", null, n), el("dd", null, value(x))));
      if (v.length > 20) list.append(el("dt", null, "…"), el("dd", null, v.length + " entries"));
      return list;
    }
    if (typeof v === "object") {
      const list = el("dl", { class: "kv" });
      for (const [k, x] of Object.entries(v)) list.append(el("dt", null, k), el("dd", null, value(x)));
      return list;
    }
    return el("span", null, typeof v === "number" ? num(v) : String(v));
  }

  function num(x) {
    return Number.isInteger(x) ? String(x) : Number(x.toPrecision(5)).toString();
  }

  // ---------------------------------------------------------------- start

  $("quality-group").addEventListener("change", drawQuality);
  for (const id of ["quality-rating-metric", "quality-topn-metric"]) {
    $(id).addEventListener("change", () => {
      $(id).dataset.chosen = "yes";
      drawQuality();
    });
  }
  $("user-search").addEventListener("submit", search);
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) Promise.allSettled([refreshStatus(), refreshQuality()]);
  });
  tick();
})();
