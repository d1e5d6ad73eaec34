/* Phones: the main navigation collapses behind a "Menu" button (issue 13 point 11).
 * Without JavaScript the links simply wrap (static/css/netral.css); with it, html gets the
 * class "js" and the links show when the button is pressed. No inline script or style. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  function init() {
    var button = document.querySelector("[data-nav-toggle]");
    var links = document.getElementById("nav-links");
    if (!button || !links) {
      return;
    }
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", open ? "true" : "false");
      links.classList.toggle("nav-open", open);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        button.setAttribute("aria-expanded", "false");
        links.classList.remove("nav-open");
        button.focus();
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
