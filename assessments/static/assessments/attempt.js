/* Quiz attempt: save answers as the learner goes (retrying when the link drops), count
   down the time left, and submit when it runs out. The form works without this script. */
(function () {
  "use strict";
  var form = document.getElementById("attempt");
  if (!form) return;
  var status = form.querySelector("[data-save-status]");
  var timer = form.querySelector("[data-timer]");
  var text = JSON.parse(document.getElementById("attempt-text").textContent);
  var pending = false, saving = false, delay = null, retry = null;

  function say(message) { if (status) status.textContent = message; }

  function save() {
    if (saving) { pending = true; return; }
    saving = true; pending = false;
    var data = new FormData(form);
    data.delete("submit");
    fetch(form.dataset.saveUrl, {method: "POST", body: data, credentials: "same-origin",
                                 headers: {"Accept": "application/json"}})
      .then(function (response) {
        return response.json().then(function (body) { return {ok: response.ok, body: body}; });
      })
      .then(function (answer) {
        saving = false;
        if (answer.ok) { say(text.saved); if (pending) save(); return; }
        if (answer.body.closed) { window.location = answer.body.result; return; }
        say(answer.body.error || text.failed);
      })
      .catch(function () {
        saving = false; pending = true; say(text.offline);
        clearTimeout(retry); retry = setTimeout(save, 10000);
      });
  }

  function changed() { say(text.saving); clearTimeout(delay); delay = setTimeout(save, 600); }
  form.addEventListener("change", changed);
  form.addEventListener("input", function (event) {
    if (event.target.type === "text") changed();
  });
  window.addEventListener("online", function () { if (pending) save(); });
  form.addEventListener("submit", function (event) {
    if (navigator.onLine === false) {  // keep the page and its answers, say why
      event.preventDefault(); say(text.offlineSubmit);
    }
  });

  var left = form.dataset.secondsLeft;
  if (left !== undefined && timer) {
    var end = Date.now() + parseInt(left, 10) * 1000;
    var tick = function () {
      var s = Math.max(0, Math.round((end - Date.now()) / 1000));
      timer.textContent = text.left.replace("%s", Math.floor(s / 60) + ":" + ("0" + s % 60).slice(-2));
      if (s <= 0) { clearInterval(handle); form.submit(); }  // no submit event: always sent
    };
    var handle = setInterval(tick, 1000); tick();
  }
})();
