// Staff app behaviour that must not live inline (the CSP forbids inline script).
// Every htmx request carries the session's CSRF token from <meta name="csrf-token">.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="csrf-token"]');
  var token = meta ? meta.getAttribute("content") : "";
  document.addEventListener("htmx:configRequest", function (event) {
    if (token) {
      event.detail.headers["X-CSRF-Token"] = token;
    }
  });
  // A 401 from an htmx request means the session ended: go to the login page.
  document.addEventListener("htmx:responseError", function (event) {
    if (event.detail.xhr && event.detail.xhr.status === 401) {
      window.location.assign("/admin/login");
    }
  });
})();
