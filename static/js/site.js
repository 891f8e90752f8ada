/* Progressive enhancement only: every page works without this file. */
(function () {
  "use strict";
  // Move focus to the error summary after a failed form submission.
  var summary = document.querySelector(".form-errors");
  if (summary) {
    summary.focus();
  }
})();
