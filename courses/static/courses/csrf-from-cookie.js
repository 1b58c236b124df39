// Shared (cacheable) pages carry no CSRF token in their HTML: a form posted from them
// (the header's language switch) takes the token from the CSRF cookie when it is sent.
(function () {
  var script = document.currentScript;
  var name = script && script.getAttribute("data-cookie");
  if (!name) return;
  function cookie() {
    var parts = document.cookie ? document.cookie.split("; ") : [];
    for (var i = 0; i < parts.length; i++) {
      var eq = parts[i].indexOf("=");
      if (parts[i].slice(0, eq) === name) return decodeURIComponent(parts[i].slice(eq + 1));
    }
    return "";
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if ((form.method || "").toLowerCase() !== "post" || form.querySelector("[name=csrfmiddlewaretoken]")) return;
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = "csrfmiddlewaretoken";
    input.value = cookie();
    form.appendChild(input);
  }, true);
})();
