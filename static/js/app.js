// Progressive enhancements only: every page works without this file.
(function () {
  "use strict";

  function browserTimeZone() {
    try { return Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { return ""; }
  }

  // Preselect the browser's time zone in selects that ask for it (sign-up, booking pages),
  // unless the person already chose one.
  function preselectTimeZone() {
    var zone = browserTimeZone();
    if (!zone) return;
    document.querySelectorAll("select[data-browser-time-zone]").forEach(function (select) {
      if (select.dataset.userChosen === "1") return;
      var option = select.querySelector('option[value="' + CSS.escape(zone) + '"]');
      if (option) select.value = zone;
    });
  }

  // Copy buttons: <button data-copy="#element-id">, copying the element's value or text.
  function wireCopyButtons(root) {
    root.querySelectorAll("button[data-copy]").forEach(function (button) {
      if (button.dataset.wired) return;
      button.dataset.wired = "1";
      button.hidden = false;
      button.addEventListener("click", function () {
        var target = document.querySelector(button.dataset.copy);
        if (!target) return;
        var text = target.value !== undefined ? target.value : target.textContent;
        navigator.clipboard.writeText(text.trim()).then(function () {
          var label = button.textContent;
          button.textContent = "Copied";
          setTimeout(function () { button.textContent = label; }, 1500);
        });
      });
    });
  }

  // Forms marked data-confirm ask before submitting (e.g. deleting an integration).
  function wireConfirmations(root) {
    root.querySelectorAll("form[data-confirm]").forEach(function (form) {
      if (form.dataset.wired) return;
      form.dataset.wired = "1";
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.dataset.confirm)) event.preventDefault();
      });
    });
  }

  // Submit buttons disable themselves once clicked, so a double click sends one request. A
  // form that opens in another tab (Start meeting) leaves this page in use: it is ready again
  // as soon as a double click is over.
  function wireSingleSubmit(root) {
    root.querySelectorAll("form").forEach(function (form) {
      if (form.dataset.singleSubmit) return;
      form.dataset.singleSubmit = "1";
      form.addEventListener("submit", function (event) {
        if (event.defaultPrevented) return;
        if (form.dataset.submitted === "1") { event.preventDefault(); return; }
        form.dataset.submitted = "1";
        // The clicked button shows it is working: several wait for Zoom for a few seconds.
        var button = event.submitter;
        if (button && button.classList.contains("button")) {
          button.classList.add("is-busy");
          button.setAttribute("aria-busy", "true");
        }
        setTimeout(function () { ready(form); }, form.target ? 1000 : 8000);
      });
    });
  }

  function ready(form) {
    delete form.dataset.submitted;
    form.querySelectorAll(".is-busy").forEach(function (button) {
      button.classList.remove("is-busy");
      button.removeAttribute("aria-busy");
    });
  }

  function enhance(root) {
    wireCopyButtons(root);
    wireConfirmations(root);
    wireSingleSubmit(root);
  }

  document.addEventListener("DOMContentLoaded", function () {
    preselectTimeZone();
    enhance(document);
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    enhance(event.target);
    // A whole page arrived in place of a navigation: start reading it where a navigation
    // would, at its content (and its message), instead of at a button that is gone.
    if (event.detail.target === document.body) {
      var main = document.getElementById("main");
      if (main) main.focus();
    }
  });
  // A form that replaces the whole page shows the page it gets back even when that is an
  // error page (403, 404, 500…), as it would without JavaScript.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.target === document.body && event.detail.xhr.status >= 400) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  // Back to a page kept in the browser's cache: its forms are ready again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) document.querySelectorAll("form[data-submitted]").forEach(ready);
  });
})();
