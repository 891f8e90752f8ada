/* The aspiration form's live "similar aspirations" list (progressive enhancement).
 *
 * Without this file the form's second step shows the same list. With it,
 * a pause in typing the title or description asks /aspirasi/serupa for the
 * list (server-rendered HTML, escaped there) and shows it under the fields.
 */
(function () {
  "use strict";
  var PAUSE_MS = 500;
  var TITLE_MIN = 4;
  var TEXT_MAX = 500;

  var form = document.querySelector("form[data-similar-url]");
  if (!form || !window.fetch) {
    return;
  }
  var section = document.getElementById("similar-live");
  var list = section && section.querySelector("[data-similar-list]");
  var title = form.elements.namedItem("title");
  var body = form.elements.namedItem("body");
  if (!list || !title || !body) {
    return;
  }
  var timer = null;
  var latest = 0;
  var shownFor = null;

  function show(html) {
    list.innerHTML = html;
    section.hidden = html.trim() === "";
  }

  function lookUp() {
    var titleText = title.value.trim();
    var query = titleText + "\n" + body.value.trim().slice(0, TEXT_MAX);
    if (titleText.length < TITLE_MIN) {
      shownFor = null;
      show("");
      return;
    }
    if (query === shownFor) {
      return;
    }
    var asked = ++latest;
    var params = new URLSearchParams({title: titleText.slice(0, TEXT_MAX), body: body.value.trim().slice(0, TEXT_MAX)});
    fetch(form.getAttribute("data-similar-url") + "?" + params.toString(), {
      credentials: "same-origin",
      headers: {"Accept": "text/html"}
    }).then(function (response) {
      if (!response.ok || response.redirected) {
        throw new Error("no list");
      }
      return response.text();
    }).then(function (html) {
      if (asked === latest) {
        shownFor = query;
        show(html);
      }
    }).catch(function () {
      /* The second step still shows the list: nothing is lost. */
    });
  }

  function typed() {
    window.clearTimeout(timer);
    timer = window.setTimeout(lookUp, PAUSE_MS);
  }

  title.addEventListener("input", typed);
  body.addEventListener("input", typed);
  if (title.value.trim().length >= TITLE_MIN) {
    lookUp();
  }
})();
