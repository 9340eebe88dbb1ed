/* Familieveiviseren widget: one <script> on the municipality's site adds a chat button in a
 * corner; the chat opens in an iframe from our own origin (nothing of the chat runs in the
 * host page, and the host page cannot read it). Only inline CSSOM styles are used, so a strict
 * CSP on the host site does not break it. Options as data- attributes on the script tag:
 *   data-label="Chat med oss"   the button text
 *   data-position="left"        corner (default right)
 *   data-lang="nn"              the chat's language: nb, nn or en (default: the page's lang)
 *
 *   <script src="https://chat.example.no/widget.js" async></script>
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.__familieveiviserWidget) return;
  window.__familieveiviserWidget = true;
  var origin = new URL(script.src, window.location.href).origin;
  var exitUrl = "https://www.yr.no";
  var label = script.getAttribute("data-label") || "Chat med oss";
  var side = script.getAttribute("data-position") === "left" ? "left" : "right";
  var lang = script.getAttribute("data-lang") || document.documentElement.lang;
  var frame = null;
  var lastEsc = 0;

  function style(node, rules) {
    Object.keys(rules).forEach(function (name) { node.style.setProperty(name, rules[name]); });
  }

  var button = document.createElement("button");
  button.type = "button";
  button.textContent = label;
  button.setAttribute("aria-expanded", "false");
  button.setAttribute("aria-controls", "familieveiviser-chat");
  style(button, {
    position: "fixed", bottom: "1rem", "z-index": "2147483000", padding: "0.8rem 1.2rem",
    "border-radius": "999px", border: "0", background: "#1d5c58", color: "#fff",
    font: "600 1rem/1.2 system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
    "box-shadow": "0 4px 16px rgba(0,0,0,0.25)", cursor: "pointer", "min-height": "48px"
  });
  button.style.setProperty(side, "1rem");

  function open() {
    if (!frame) {
      frame = document.createElement("iframe");
      frame.id = "familieveiviser-chat";
      frame.title = "Chat med kommunen";
      frame.src = origin + "/chat/embed" + (lang ? "?lang=" + encodeURIComponent(lang) : "");
      frame.setAttribute("referrerpolicy", "no-referrer");
      style(frame, {
        position: "fixed", bottom: "5rem", width: "min(400px, calc(100vw - 2rem))",
        height: "min(640px, calc(100vh - 6.5rem))", border: "0", "border-radius": "16px",
        "box-shadow": "0 10px 40px rgba(0,0,0,0.3)", "z-index": "2147483000", background: "#fbf6f0"
      });
      frame.style.setProperty(side, "1rem");
      document.body.appendChild(frame);
    }
    frame.hidden = false;
    button.setAttribute("aria-expanded", "true");
    frame.focus();
  }

  function close() {
    if (frame) frame.hidden = true;
    button.setAttribute("aria-expanded", "false");
  }

  function quickExit() {
    if (frame) frame.remove();
    frame = null;
    window.location.replace(exitUrl);
  }

  button.addEventListener("click", function () {
    if (frame && !frame.hidden) close(); else open();
  });
  window.addEventListener("message", function (event) {
    if (event.origin !== origin || !event.data) return;
    if (event.data.type === "familieveiviser:quick-exit") quickExit();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !frame || frame.hidden) return;
    var now = Date.now();
    if (now - lastEsc < 1200) quickExit();
    lastEsc = now;
  });

  function mount() { document.body.appendChild(button); }
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
}());
