/* Show a part of a form only for some values of another field, e.g. the reporter's fields
 * only when the origin is an office report (issue 13 point 15):
 *   <fieldset data-show-when="origin" data-show-values="LAPORAN"> ... </fieldset>
 * Hidden parts are also disabled, so the browser neither validates nor submits them.
 * Without JavaScript everything stays visible and the server decides what it needs. */
(function () {
  "use strict";
  function currentValue(form, name) {
    var checked = form.querySelector('[name="' + name + '"]:checked');
    if (checked) {
      return checked.value;
    }
    var field = form.querySelector('[name="' + name + '"]');
    return field ? field.value : "";
  }
  function apply(form) {
    form.querySelectorAll("[data-show-when]").forEach(function (part) {
      var values = (part.getAttribute("data-show-values") || "").split(",");
      var show = values.indexOf(currentValue(form, part.getAttribute("data-show-when"))) >= 0;
      part.hidden = !show;
      if (part.tagName === "FIELDSET") {
        part.disabled = !show;
      }
    });
  }
  function init() {
    document.querySelectorAll("form").forEach(function (form) {
      if (!form.querySelector("[data-show-when]")) {
        return;
      }
      apply(form);
      form.addEventListener("change", function () {
        apply(form);
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
