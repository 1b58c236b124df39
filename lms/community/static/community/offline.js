/* HọcSố: the community teams' visit form, offline. Records are queued in IndexedDB on
   the phone (an outbox), then sent to the server when there is signal, each with the id
   made on the phone (a resend is a no-op on the server) and the phone's time of saving.
   No framework, no build step. */
(function () {
  "use strict";

  var TEXT = {
    vi: {
      online: "Đang có mạng.",
      offline: "Không có mạng: hồ sơ được lưu trên điện thoại.",
      saved: "Đã lưu trên điện thoại; sẽ gửi khi có sóng.",
      sent: "Đã gửi lên máy chủ.",
      outbox: "Chờ gửi",
      waiting: "Đang chờ gửi",
      sending: "Đang gửi…",
      correction: "Cần sửa",
      login: "Hãy đăng nhập lại để gửi",
      loginLink: "Đăng nhập",
      correct: "Sửa",
      citizens: "người dân",
      editing: "Đang sửa một hồ sơ chờ gửi.",
      place: "Nhập địa điểm (thôn, tổ dân phố).",
      services: "Chọn ít nhất một dịch vụ đã hướng dẫn.",
      citizensMin: "Nhập ít nhất 1 người dân.",
      date: "Nhập ngày.",
      team: "Chọn tổ.",
      outcome: "Chọn kết quả.",
      future: "Ngày không được ở tương lai.",
      consent: "Hãy hỏi sự đồng ý của người dân trước khi lưu số điện thoại.",
      fixAbove: "Hãy sửa các lỗi bên dưới."
    },
    en: {
      online: "Online.",
      offline: "Offline: records are kept on this phone.",
      saved: "Saved on this phone; it will be sent when there is signal.",
      sent: "Sent to the server.",
      outbox: "Waiting to be sent",
      waiting: "Waiting",
      sending: "Sending…",
      correction: "Needs correction",
      login: "Log in again to send",
      loginLink: "Log in",
      correct: "Correct",
      citizens: "citizens",
      editing: "Correcting a queued record.",
      place: "Enter the place (village, hamlet).",
      services: "Choose at least one service.",
      citizensMin: "Enter at least 1 citizen.",
      date: "Enter the date.",
      team: "Choose the team.",
      outcome: "Choose the outcome.",
      future: "The date cannot be in the future.",
      consent: "Ask the citizen's consent before keeping a phone number.",
      fixAbove: "Please correct the errors below."
    }
  };
  var lang = (document.documentElement.lang || "vi").slice(0, 2) === "en" ? "en" : "vi";
  function t(key) { return TEXT[lang][key] || TEXT.vi[key]; }

  var form = document.getElementById("visit-form");
  var API = (form && form.dataset.api) || "/community/api/visits/";
  var SESSION = (form && form.dataset.session) || "/community/api/session/";
  var NEW_URL = "/community/visits/new/";
  var LOGIN_URL = "/accounts/login/";

  /* ---- IndexedDB: one store "outbox", records keyed by their id ---- */
  var dbPromise = null;
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var open = indexedDB.open("hocso-community", 1);
        open.onupgradeneeded = function () { open.result.createObjectStore("outbox", {keyPath: "id"}); };
        open.onsuccess = function () { resolve(open.result); };
        open.onerror = function () { reject(open.error); };
      });
    }
    return dbPromise;
  }
  function store(mode, work) {
    return db().then(function (conn) {
      return new Promise(function (resolve, reject) {
        var tx = conn.transaction("outbox", mode);
        var request = work(tx.objectStore("outbox"));
        tx.oncomplete = function () { resolve(request && request.result); };
        tx.onerror = tx.onabort = function () { reject(tx.error); };
      });
    });
  }
  function all() {
    return store("readonly", function (s) { return s.getAll(); }).then(function (records) {
      return records.sort(function (a, b) { return (a.queued || 0) - (b.queued || 0); });
    });
  }
  function get(id) { return store("readonly", function (s) { return s.get(id); }); }
  function put(record) { return store("readwrite", function (s) { return s.put(record); }); }
  function remove(id) { return store("readwrite", function (s) { return s.delete(id); }); }

  /* ---- helpers ---- */
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function localDate(d) { return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()); }
  function isoNow() {
    var d = new Date(), off = -d.getTimezoneOffset(), sign = off >= 0 ? "+" : "-";
    off = Math.abs(off);
    return localDate(d) + "T" + pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" +
      pad(d.getSeconds()) + sign + pad(Math.floor(off / 60)) + ":" + pad(off % 60);
  }
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16)), h = [];
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    for (var i = 0; i < 16; i++) h.push((b[i] + 256).toString(16).slice(1));
    return h.slice(0, 4).join("") + "-" + h.slice(4, 6).join("") + "-" + h.slice(6, 8).join("") +
      "-" + h.slice(8, 10).join("") + "-" + h.slice(10).join("");
  }

  /* ---- status line and outbox ---- */
  var bar = el("p", {id: "offline-status", "class": "muted", role: "status"});
  var note = el("p", {id: "offline-saved", "class": "msg", role: "status", hidden: ""});
  var outbox = document.getElementById("outbox");
  var main = document.getElementById("main") || document.body;
  main.insertBefore(note, main.firstChild);
  main.insertBefore(bar, main.firstChild);
  if (!outbox && form) {
    outbox = el("section", {id: "outbox", "aria-live": "polite", hidden: ""});
    form.parentNode.insertBefore(outbox, form.nextSibling);
  }
  function showNet() { bar.textContent = navigator.onLine ? t("online") : t("offline"); }
  function say(key) { note.textContent = t(key); note.hidden = false; }

  function render() {
    if (!outbox) return Promise.resolve();
    return all().then(function (records) {
      outbox.textContent = "";
      outbox.hidden = records.length === 0;
      if (!records.length) return;
      outbox.appendChild(el("h2", {}, t("outbox") + " (" + records.length + ")"));
      var list = el("ul", {"class": "outbox-list"});
      records.forEach(function (r) {
        var b = r.body, item = el("li", {"class": "card outbox-item", "data-id": r.id,
                                        "data-state": r.state});
        item.appendChild(el("p", {}, b.visited_on + " · " + b.place + " · " + b.citizens + " " +
                                     t("citizens")));
        item.appendChild(el("p", {"class": "outbox-state"}, t(r.state)));
        if (r.state === "correction") {
          var errs = el("ul", {"class": "field-error"});
          Object.keys(r.errors || {}).forEach(function (k) {
            [].concat(r.errors[k]).forEach(function (m) { errs.appendChild(el("li", {}, m)); });
          });
          item.appendChild(errs);
          var button = el("button", {type: "button", "class": "btn secondary",
                                     "data-correct": r.id}, t("correct"));
          item.appendChild(button);
        } else if (r.state === "login") {
          item.appendChild(el("a", {href: LOGIN_URL + "?next=" + encodeURIComponent(location.pathname)},
                              t("loginLink")));
        }
        list.appendChild(item);
      });
      outbox.appendChild(list);
    });
  }

  /* ---- the form ---- */
  function collect() {
    var f = form.elements;
    var services = [].slice.call(form.querySelectorAll("input[name=services]:checked"))
      .map(function (box) { return box.value; });
    var citizens = f.citizens.value.trim();
    return {
      id: f.id.value, recorded_at: f.recorded_at.value,
      team: /^\d+$/.test(f.team.value) ? parseInt(f.team.value, 10) : f.team.value,
      visited_on: f.visited_on.value, place: f.place.value.trim(), services: services,
      citizens: /^-?\d+$/.test(citizens) ? parseInt(citizens, 10) : citizens,
      outcome: f.outcome.value, note: f.note.value.trim(),
      consent: !!(f.consent && f.consent.checked), phone: f.phone ? f.phone.value.trim() : ""
    };
  }
  function check(body) {
    var errors = {};
    if (!body.place) errors.place = [t("place")];
    if (!body.services.length) errors.services = [t("services")];
    if (typeof body.citizens !== "number" || body.citizens < 1) errors.citizens = [t("citizensMin")];
    if (!body.visited_on) errors.visited_on = [t("date")];
    else if (body.visited_on > localDate(new Date())) errors.visited_on = [t("future")];
    if (body.phone && !body.consent) errors.phone = [t("consent")];
    if (body.team === "") errors.team = [t("team")];
    if (!body.outcome) errors.outcome = [t("outcome")];
    return errors;
  }
  function showErrors(errors) {
    var first = null;
    [].forEach.call(form.querySelectorAll("[data-error-for]"), function (holder) {
      var name = holder.getAttribute("data-error-for"), messages = errors[name];
      holder.textContent = messages ? [].concat(messages).join(" ") : "";
      [].forEach.call(form.querySelectorAll("[name='" + name + "']"), function (input) {
        if (messages) input.setAttribute("aria-invalid", "true");
        else input.removeAttribute("aria-invalid");
        if (messages && !first && input.type !== "hidden") first = input;
      });
    });
    var known = [].map.call(form.querySelectorAll("[data-error-for]"),
                            function (h) { return h.getAttribute("data-error-for"); });
    var rest = Object.keys(errors).filter(function (k) { return known.indexOf(k) < 0; })
      .map(function (k) { return [].concat(errors[k]).join(" "); });
    var general = form.querySelector("[data-error-for=__all__]");
    if (general && rest.length) general.textContent = (general.textContent + " " + rest.join(" ")).trim();
    if (Object.keys(errors).length && general && !general.textContent) general.textContent = t("fixAbove");
    if (first) first.focus();
  }
  function fill(record) {
    var f = form.elements, b = record.body;
    f.id.value = record.id;
    f.recorded_at.value = b.recorded_at;
    ["team", "visited_on", "place", "citizens", "outcome", "note", "phone"].forEach(function (name) {
      if (f[name]) f[name].value = b[name] === undefined || b[name] === null ? "" : b[name];
    });
    [].forEach.call(form.querySelectorAll("input[name=services]"), function (box) {
      box.checked = (b.services || []).indexOf(box.value) >= 0;
    });
    if (f.consent) f.consent.checked = !!b.consent;
    showErrors(record.errors || {});
    say("editing");
    form.scrollIntoView();
  }
  function openForCorrection(id) {
    if (!form) { location.href = NEW_URL + "#edit=" + encodeURIComponent(id); return; }
    get(id).then(function (record) { if (record) fill(record); });
  }
  function onSubmit(event) {
    event.preventDefault();
    var body = collect(), errors = check(body);
    showErrors(errors);
    if (Object.keys(errors).length) return;
    var editing = body.id ? get(body.id) : Promise.resolve(null);
    editing.then(function (old) {
      body.id = body.id || uuid();
      // a corrected record keeps its id and the time it was first saved on the phone
      var stale = old && old.errors && old.errors.recorded_at;
      body.recorded_at = old && !stale ? old.body.recorded_at : isoNow();
      return put({id: body.id, body: body, state: "waiting", errors: {},
                  queued: old ? old.queued : Date.now()});
    }).then(function () {
      var f = form.elements, keep = {team: f.team.value, visited_on: f.visited_on.value};
      form.reset();
      f.team.value = keep.team; f.visited_on.value = keep.visited_on;
      f.id.value = ""; f.recorded_at.value = "";
      showErrors({});
      say("saved");
      return render();
    }).then(sync);
  }

  /* ---- sending ---- */
  var busy = false;
  function mark(record, state, errors) {
    record.state = state; record.errors = errors || {};
    return put(record);
  }
  function sendAll() {
    return all().then(function (records) {
      records = records.filter(function (r) { return r.state !== "correction"; });
      if (!records.length) return;
      return fetch(SESSION, {credentials: "same-origin", cache: "no-store",
                             headers: {Accept: "application/json"}})
        .then(function (response) {
          if (response.status === 401) {
            return Promise.all(records.map(function (r) { return mark(r, "login"); }));
          }
          if (!response.ok) return;
          return response.json().then(function (session) {
            return sendEach(records, session.csrf_token);
          });
        }, function () { /* no network: retried later */ });
    });
  }
  function sendEach(records, token) {
    var sentAny = false;
    function next(i) {
      if (i >= records.length) { if (sentAny) say("sent"); return Promise.resolve(); }
      var record = records[i];
      return mark(record, "sending").then(render).then(function () {
        return fetch(API, {method: "POST", credentials: "same-origin", cache: "no-store",
                           headers: {"Content-Type": "application/json", Accept: "application/json",
                                     "X-CSRFToken": token},
                           body: JSON.stringify(record.body)});
      }).then(function (response) {
        if (response.status === 201 || response.status === 200) {
          sentAny = true;
          return remove(record.id).then(function () { return next(i + 1); });
        }
        if (response.status === 400 || response.status === 403 || response.status === 409) {
          return response.json().catch(function () { return {}; }).then(function (data) {
            return mark(record, "correction", data.errors || {});
          }).then(function () { return next(i + 1); });
        }
        if (response.status === 401) {
          return Promise.all(records.slice(i).map(function (r) { return mark(r, "login"); }));
        }
        return mark(record, "waiting");  // server trouble: stop, retry later
      }, function () { return mark(record, "waiting"); });
    }
    return next(0);
  }
  function sync() {
    if (busy) return Promise.resolve();
    busy = true;
    var run = function () { return sendAll().catch(function () {}); };
    var locked = navigator.locks ? navigator.locks.request("hocso-outbox", run) : run();
    return locked.then(function () { busy = false; return render(); },
                       function () { busy = false; return render(); });
  }

  /* ---- start ---- */
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", {scope: "/"}).catch(function () {});
  }
  showNet();
  window.addEventListener("offline", showNet);
  window.addEventListener("online", function () { showNet(); sync(); });
  if (!window.indexedDB) return;  // no queue: the form posts as without JavaScript
  if (form) form.addEventListener("submit", onSubmit);
  if (outbox) {
    outbox.addEventListener("click", function (event) {
      var id = event.target.getAttribute && event.target.getAttribute("data-correct");
      if (id) openForCorrection(id);
    });
  }
  var edit = /#edit=([\w-]+)/.exec(location.hash);
  render().then(function () { if (edit && form) openForCorrection(edit[1]); }).then(sync);
  setInterval(function () {
    all().then(function (records) {
      if (records.some(function (r) { return r.state !== "correction"; })) sync();
    });
  }, 30000);
})();
