// Progressive enhancement only: every reporter page works without this file.
// Pressing Escape three times in a row leaves the site, as the quick-exit link does, and replaces this page in the
// history so the Back button does not return to it.
(function () {
  "use strict";
  var link = document.getElementById("quick-exit");
  if (!link) { return; }
  var presses = 0;
  var timer = null;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    presses += 1;
    clearTimeout(timer);
    timer = setTimeout(function () { presses = 0; }, 1500);
    if (presses >= 3) { window.location.replace(link.href); }
  });
  link.addEventListener("click", function (event) {
    event.preventDefault();
    window.location.replace(link.href);
  });
}());
