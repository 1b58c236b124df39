// A minimal cmi5 AU: fetch the token, read LMS.LaunchData, send initialized, then
// completed and passed/failed when the learner answers, then terminated, and go back.
(async function () {
  "use strict";
  const params = new URLSearchParams(window.location.search);
  const endpoint = params.get("endpoint");
  const actor = JSON.parse(params.get("actor"));
  const registration = params.get("registration");
  const activityId = params.get("activityId");
  const status = document.getElementById("status");
  const started = Date.now();

  function uuid4() {
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  try {
    const answer = await (await fetch(params.get("fetch"), { method: "POST" })).json();
    if (!answer["auth-token"]) throw new Error(answer["error-text"] || "no token");
    const headers = { Authorization: "Basic " + answer["auth-token"],
                      "X-Experience-API-Version": "1.0.3", "Content-Type": "application/json" };
    const query = new URLSearchParams({ activityId, agent: JSON.stringify(actor), registration,
                                        stateId: "LMS.LaunchData" });
    const launchData = await (await fetch(`${endpoint}activities/state?${query}`, { headers })).json();

    async function send(verb, result) {
      const context = JSON.parse(JSON.stringify(launchData.contextTemplate));
      context.registration = registration;
      const category = [{ id: "https://w3id.org/xapi/cmi5/context/categories/cmi5" }];
      if (result && ("success" in result || "completion" in result)) {
        category.push({ id: "https://w3id.org/xapi/cmi5/context/categories/moveon" });
      }
      context.contextActivities = Object.assign({}, context.contextActivities, { category });
      if ((verb === "passed" || verb === "failed") && launchData.masteryScore !== undefined) {
        context.extensions = Object.assign({}, context.extensions, {
          "https://w3id.org/xapi/cmi5/context/extensions/masteryscore": launchData.masteryScore });
      }
      const statement = { id: uuid4(), actor, timestamp: new Date().toISOString(),
                          verb: { id: `http://adlnet.gov/expapi/verbs/${verb}`, display: { "en-US": verb } },
                          object: { objectType: "Activity", id: activityId }, context };
      if (result) statement.result = result;
      const response = await fetch(`${endpoint}statements`, { method: "POST", headers,
                                                              body: JSON.stringify(statement) });
      if (!response.ok) throw new Error(`${verb}: HTTP ${response.status}`);
    }
    const duration = () => `PT${((Date.now() - started) / 1000).toFixed(2)}S`;

    // "completed" and "passed" at most once per registration (cmi5 9.3): remembered in a
    // state document of the AU's own.
    const mine = `${endpoint}activities/state?${new URLSearchParams({ activityId,
      agent: JSON.stringify(actor), registration, stateId: "demo.progress" })}`;
    const seen = await fetch(mine, { headers });
    const progress = seen.ok ? await seen.json() : {};

    await send("initialized");
    status.textContent = "Đã sẵn sàng. Chọn một câu trả lời.";
    document.querySelectorAll("button[data-score]").forEach((button) => {
      button.disabled = false;
      button.addEventListener("click", async () => {
        document.querySelectorAll("button[data-score]").forEach((b) => { b.disabled = true; });
        const scaled = Number(button.dataset.score);
        const right = scaled >= (launchData.masteryScore ?? 1);
        if (!progress.completed) {
          await send("completed", { completion: true, duration: duration() });
          progress.completed = true;
        }
        if (!progress.passed) {  // never "failed" after "passed" (cmi5 9.3)
          await send(right ? "passed" : "failed",
                     { success: right, score: { scaled }, duration: duration() });
          progress.passed = right;
        }
        await fetch(mine, { method: "POST", headers, body: JSON.stringify(progress) });
        status.textContent = right
          ? "Đúng rồi! Bạn đã đạt bài này. Đang quay lại HọcSố…"
          : "Chưa đúng: ngân hàng không bao giờ hỏi mã OTP. Bạn có thể làm lại.";
        await send("terminated", { duration: duration() });
        if (launchData.returnURL) setTimeout(() => { window.location = launchData.returnURL; }, 2500);
      });
    });
  } catch (error) {
    status.textContent = "Không kết nối được với HọcSố (" + error.message + ").";
  }
})();
