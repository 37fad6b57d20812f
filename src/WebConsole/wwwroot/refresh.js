// Refreshes an application's progress section until every item has a result. No dependencies.
(function () {
  "use strict";
  var intervalMs = 2000;

  function current() { return document.getElementById("progress"); }

  function schedule() {
    var section = current();
    if (section && section.dataset.settled !== "true") {
      window.setTimeout(refresh, intervalMs);
    }
  }

  function refresh() {
    var section = current();
    if (!section) { return; }
    fetch(section.dataset.refreshUrl, { cache: "no-store", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) {
        var template = document.createElement("template");
        template.innerHTML = html.trim();
        var fresh = template.content.querySelector("#progress");
        if (fresh) { current().replaceWith(fresh); }
      })
      .catch(function () { /* the hub or the console is briefly away: try again at the next tick */ })
      .then(schedule);
  }

  schedule();
})();
