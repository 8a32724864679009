// Reporter side. Progressive enhancement only: every reporter page works the same without this file.
(function () {
  "use strict";

  // "Leave this site quickly". Without JavaScript the form posts to /report/exit, which forgets everything and
  // redirects. With it, the page is blanked at once, the same request is sent in the background, and the page is
  // *replaced* by the neutral site (location.replace), so Back does not come back here.
  var form = document.getElementById("quick-exit-form");
  var leaving = false;
  function leave(event) {
    if (event) { event.preventDefault(); }
    if (leaving) { return; }
    leaving = true;
    var target = form.getAttribute("data-exit-url");
    document.documentElement.className += " exiting";
    document.title = "";
    var go = function () { window.location.replace(target); };
    try {
      window.sessionStorage.clear();
      window.localStorage.clear();
    } catch (ignored) { /* storage may be disabled */ }
    if (window.fetch) {
      window.fetch(form.action, {method: "POST", credentials: "same-origin", keepalive: true, redirect: "manual",
                                 cache: "no-store"}).then(go, go);
      window.setTimeout(go, 800);  // never wait long for the server: leaving comes first
    } else {
      form.submit();
    }
  }
  if (form) {
    form.addEventListener("submit", leave);
    // Pressing Escape three times in a row does the same.
    var presses = 0;
    var timer = null;
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") { return; }
      presses += 1;
      clearTimeout(timer);
      timer = setTimeout(function () { presses = 0; }, 1500);
      if (presses >= 3) { leave(null); }
    });
  }

  // The error summary takes focus when the page loads (autofocus does this too where browsers honour it), and a
  // link in it moves focus to its field and scrolls the field's question into view (GOV.UK error summary).
  var summary = document.getElementById("error-summary");
  if (summary) {
    if (document.activeElement !== summary) { summary.focus(); }
    summary.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a[href^='#']") : null;
      if (!link) { return; }
      var input = document.getElementById(link.getAttribute("href").slice(1));
      if (!input) { return; }
      event.preventDefault();
      var fieldset = input.closest("fieldset");
      var legend = fieldset ? fieldset.querySelector("legend") : null;
      var label = document.querySelector("label[for='" + input.id + "']");
      var heading = legend || label || input;
      heading.scrollIntoView();
      input.focus({preventScroll: true});
    });
  }
}());
