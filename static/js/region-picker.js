/* Region picker: turns every <input data-region-picker> into an accessible combobox.
 *
 * The server renders a text input that holds a region code (usable without JavaScript).
 * Here it becomes a hidden input under the same name, and a new visible input (taking the
 * original id, so the <label for> still names it) searches regions by name through
 * data-url (registry:region_pick) and shows each with its hierarchy. Keyboard: ArrowDown /
 * ArrowUp move through the list, Enter picks, Escape closes (or clears when closed).
 * Following the ARIA 1.2 combobox pattern: role=combobox, aria-expanded, aria-controls,
 * aria-activedescendant; a polite live region announces the number of results.
 * No inline script or style: the file works under a strict Content Security Policy.
 * See docs/reference/region-picker.md.
 */
(function () {
  "use strict";

  var counter = 0;

  function text(el, key, fallback) {
    return el.getAttribute(key) || fallback;
  }

  function enhance(original) {
    if (original.hasAttribute("data-region-picker-ready")) {
      return;
    }
    original.setAttribute("data-region-picker-ready", "");
    counter += 1;
    var id = original.id || "region-picker-" + counter;
    var listId = id + "-list";
    var url = original.getAttribute("data-url");
    var scope = original.getAttribute("data-scope") || "all";
    var levels = original.getAttribute("data-levels") || "";
    var msgNone = text(original, "data-msg-none", "Tidak ada wilayah yang cocok.");
    var msgCount = text(original, "data-msg-count", "%s wilayah ditemukan.");

    var current = original.nextElementSibling;
    if (current && current.hasAttribute("data-region-current")) {
      current.parentNode.removeChild(current);
    }
    var wrapper = document.createElement("div");
    wrapper.className = "region-picker";
    original.parentNode.insertBefore(wrapper, original);

    var input = document.createElement("input");
    input.type = "text";
    input.id = id;
    input.className = "region-picker-input";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("autocomplete", "off");
    input.setAttribute("spellcheck", "false");
    ["placeholder", "aria-describedby", "aria-invalid", "aria-label", "data-testid"].forEach(
      function (name) {
        if (original.hasAttribute(name)) {
          input.setAttribute(name, original.getAttribute(name));
        }
      }
    );
    input.required = original.required;
    input.disabled = original.disabled;
    input.value = original.getAttribute("data-label") || original.value;

    var list = document.createElement("ul");
    list.id = listId;
    list.className = "region-picker-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;

    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");

    original.id = id + "-code";
    original.type = "hidden";
    original.required = false;
    original.removeAttribute("data-testid");
    wrapper.appendChild(input);
    wrapper.appendChild(list);
    wrapper.appendChild(status);
    wrapper.appendChild(original);

    var items = [];
    var active = -1;
    var chosenLabel = input.value;
    var sequence = 0;
    var timer = null;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      if (!options.length) {
        return;
      }
      active = (index + options.length) % options.length;
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    }

    function changed() {
      original.dispatchEvent(new Event("change", { bubbles: true }));
      original.dispatchEvent(new CustomEvent("region:picked", { bubbles: true }));
    }

    function choose(index) {
      var item = items[index];
      if (!item) {
        return;
      }
      original.value = item.code;
      input.value = item.label;
      chosenLabel = item.label;
      close();
      changed();
    }

    function render(results) {
      items = results;
      list.textContent = "";
      results.forEach(function (item, i) {
        var option = document.createElement("li");
        option.id = listId + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.setAttribute("data-code", item.code);
        var name = document.createElement("span");
        name.className = "region-picker-name";
        name.textContent = item.name;
        option.appendChild(name);
        var context = document.createElement("small");
        context.className = "region-picker-context";
        context.textContent = [item.level, item.context].filter(Boolean).join(" · ");
        option.appendChild(context);
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the input
        });
        option.addEventListener("click", function () {
          choose(i);
        });
        list.appendChild(option);
      });
      if (!results.length) {
        var none = document.createElement("li");
        none.className = "region-picker-none";
        none.textContent = msgNone;
        list.appendChild(none);
      }
      status.textContent = results.length ? msgCount.replace("%s", results.length) : msgNone;
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
      input.removeAttribute("aria-activedescendant");
    }

    function search() {
      var query = input.value.trim();
      sequence += 1;
      var mine = sequence;
      if (query.length < 2 && !/^\d/.test(query)) {
        close();
        return;
      }
      var params = new URLSearchParams({ q: query, scope: scope });
      if (levels) {
        params.set("levels", levels);
      }
      fetch(url + "?" + params.toString(), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.json();
        })
        .then(function (data) {
          if (mine === sequence && document.activeElement === input) {
            render(data.results || []);
          }
        })
        .catch(function () {
          close();
        });
    }

    input.addEventListener("input", function () {
      if (!input.value.trim() && original.value) {
        original.value = "";
        chosenLabel = "";
        changed();
      }
      window.clearTimeout(timer);
      timer = window.setTimeout(search, 200);
    });

    // The visible input is not a form field: its own change events stay here.
    input.addEventListener("change", function (event) {
      event.stopPropagation();
    });

    input.addEventListener("keydown", function (event) {
      var open = !list.hidden;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open) {
          search();
        } else {
          highlight(active + 1);
        }
      } else if (event.key === "ArrowUp") {
        if (open) {
          event.preventDefault();
          highlight(active - 1);
        }
      } else if (event.key === "Enter") {
        if (open && active >= 0) {
          event.preventDefault();
          choose(active);
        } else if (open) {
          event.preventDefault();
          if (items.length === 1) {
            choose(0);
          }
        }
      } else if (event.key === "Escape") {
        if (open) {
          event.preventDefault();
          close();
        } else if (input.value) {
          event.preventDefault();
          input.value = "";
          if (original.value) {
            original.value = "";
            chosenLabel = "";
            changed();
          }
        }
      }
    });

    input.addEventListener("blur", function () {
      close();
      // A typed text that was never picked goes back to the region last picked.
      if (input.value.trim() === "") {
        if (original.value) {
          original.value = "";
          chosenLabel = "";
          changed();
        }
      } else if (input.value !== chosenLabel) {
        input.value = chosenLabel;
      }
    });
  }

  function enhanceAll(root) {
    var scope = root && root.querySelectorAll ? root : document;
    scope.querySelectorAll("input[data-region-picker]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      enhanceAll(document);
    });
  } else {
    enhanceAll(document);
  }
  // Content swapped in by htmx.
  document.addEventListener("htmx:load", function (event) {
    enhanceAll(event.target);
  });
})();
