/* Familieveiviseren web chat: talks to /api/chat, renders messages, polls for staff replies.
 * Plain JS, no build step. Every text from the server goes into the page with textContent,
 * never as HTML. The only thing kept in the browser is the conversation key (localStorage).
 * The page's own words come in every language (<body data-texts>, from texts/webchat.*.yml);
 * the labels follow the language switch and the conversation's language. */
(function () {
  "use strict";

  var cfg = document.body.dataset;
  var texts = JSON.parse(cfg.texts);
  var lang = texts[cfg.lang] ? cfg.lang : cfg.defaultLang;
  var STORE = "familieveiviser.samtale";
  var SAFE_LINK = /^(tel:|sms:|mailto:|https:|http:)/i;
  var log = document.getElementById("log");
  var form = document.getElementById("composer");
  var input = document.getElementById("message");
  var typing = document.getElementById("typing");
  var statusLine = document.getElementById("status");
  var framed = window.self !== window.top;
  var memoryKey = null;
  /* language: the conversation's, as last seen; a new one starts in the default language */
  var state = {
    cursor: 0, seen: {}, sending: 0, mode: "none", timer: null, lastEsc: 0, language: cfg.defaultLang
  };

  if (framed) document.body.classList.add("embedded");

  /* ---- the page's language ------------------------------------------------------------ */
  function t(key) { return texts[lang].words[key]; }
  function each(selector, action) { Array.prototype.forEach.call(document.querySelectorAll(selector), action); }
  function useLanguage(code) {
    if (!texts[code] || code === lang) return;
    lang = code;
    document.documentElement.lang = code;
    each("[data-label]", function (node) { node.textContent = t(node.dataset.label); });
    each("[data-label-placeholder]", function (node) { node.placeholder = t(node.dataset.labelPlaceholder); });
    each("[data-label-aria-label]", function (node) { node.setAttribute("aria-label", t(node.dataset.labelAriaLabel)); });
    each("[data-lang-link]", function (link) {
      if (link.dataset.langLink === code) link.setAttribute("aria-current", "true");
      else link.removeAttribute("aria-current");
    });
    renderUrgent(texts[code].urgent);
    try {  /* a reload keeps the language */
      var url = new URL(window.location.href);
      url.searchParams.set("lang", code);
      window.history.replaceState(window.history.state, "", url);
    } catch (e) { /* the address stays as it was */ }
  }
  function renderUrgent(urgent) {  /* «Haster det? Ring 113 (…), …»: the catalogue's numbers */
    var box = document.getElementById("urgent");
    var parts = [document.createTextNode(urgent.before)];
    urgent.lines.forEach(function (line, index) {
      if (index) parts.push(document.createTextNode(", "));
      var link = el("a", null, line.number);
      if (SAFE_LINK.test(line.url)) link.href = line.url;
      parts.push(link, document.createTextNode(line.note));
    });
    parts.push(document.createTextNode(urgent.after));
    box.replaceChildren.apply(box, parts);
  }
  function followConversation(status) {  /* the user wrote in, or asked for, another language */
    if (status.mode === "none" || !status.language || status.language === state.language) return;
    state.language = status.language;
    useLanguage(status.language);
  }
  each("[data-lang-link]", function (link) {
    link.addEventListener("click", function (event) {
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
      event.preventDefault();  /* without a reload: the draft, the log and the focus stay */
      useLanguage(link.dataset.langLink);
    });
  });

  /* ---- the key ---------------------------------------------------------------------- */
  function readKey() {
    try { return window.localStorage.getItem(STORE) || memoryKey; } catch (e) { return memoryKey; }
  }
  function writeKey(key) {
    memoryKey = key;
    try {
      if (key) window.localStorage.setItem(STORE, key); else window.localStorage.removeItem(STORE);
    } catch (e) { /* storage blocked: the key lives in memory for this visit */ }
  }
  function randomId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  /* ---- the API ---------------------------------------------------------------------- */
  function api(method, path, body) {
    var headers = { "Accept": "application/json", "Accept-Language": lang };
    var key = readKey();
    if (key) headers.Authorization = "Bearer " + key;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    return fetch(cfg.api + path, {
      method: method, headers: headers, credentials: "omit", cache: "no-store",
      referrerPolicy: "no-referrer", body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) {
          var error = new Error(typeof data.detail === "string" ? data.detail : t("chat.sending_failed"));
          error.status = response.status;
          throw error;
        }
        return data;
      });
    });
  }
  function ensureKey() {
    if (readKey()) return Promise.resolve(readKey());
    return api("POST", "/keys").then(function (data) { writeKey(data.key); return data.key; });
  }

  /* ---- rendering -------------------------------------------------------------------- */
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }
  function who(sender) {
    return t({ user: "chat.you", bot: "chat.bot", staff: "chat.staff" }[sender] || "chat.system");
  }
  function bubble(sender, text, extraClass) {
    var item = el("div", "msg " + sender + (extraClass ? " " + extraClass : ""));
    if (sender === "staff") item.appendChild(el("p", "who", t("chat.staff_name"))).setAttribute("aria-hidden", "true");
    var body = el("p", "bubble");
    body.appendChild(el("span", "visually-hidden", who(sender) + " "));
    body.appendChild(document.createTextNode(text));
    item.appendChild(body);
    return item;
  }
  function renderCard(card) {
    var box = el("article", "card");
    box.setAttribute("aria-label", card.name);
    box.appendChild(el("h3", null, card.name));
    if (card.summary) box.appendChild(el("p", null, card.summary));
    if (card.availability) box.appendChild(el("p", "availability " + (card.open_now ? "open" : "closed"), card.availability));
    if (card.badges.length) {
      var badges = el("ul", "badges");
      badges.setAttribute("aria-label", t("chat.facts"));
      card.badges.forEach(function (badge) { badges.appendChild(el("li", null, badge)); });
      box.appendChild(badges);
    }
    var actions = el("ul", "actions");
    card.actions.forEach(function (action) {
      var li = el("li");
      if (action.url && SAFE_LINK.test(action.url)) {
        var text = action.label || action.display;
        if ((action.kind === "phone" || action.kind === "sms") && text.indexOf(action.display) < 0) {
          text += ": " + action.display;
        }
        var link = el("a", null, text);
        link.href = action.url;
        if (/^https?:/i.test(action.url)) { link.target = "_blank"; link.rel = "noopener noreferrer"; }
        li.appendChild(link);
      } else {
        li.appendChild(el("span", "address", action.display));
      }
      actions.appendChild(li);
    });
    if (card.actions.length) box.appendChild(actions);
    if (card.verified_note) box.appendChild(el("p", "verified", card.verified_note));
    return box;
  }
  function renderQuick(replies) {
    var group = el("div", "quick");
    group.setAttribute("role", "group");
    replies.forEach(function (reply) {
      var button = el("button", null, reply.label);
      button.type = "button";
      button.addEventListener("click", function () { send(reply.payload, reply.label); });
      group.appendChild(button);
    });
    return group;
  }
  function renderRating(message) {
    var box = el("form", "rating");
    var set = el("fieldset");
    set.appendChild(el("legend", null, message.text));
    var stars = el("div", "stars");
    for (var n = 1; n <= 5; n += 1) {
      var label = el("label");
      var radio = el("input");
      radio.type = "radio"; radio.name = "rating-" + message.id; radio.value = String(n); radio.required = true;
      label.appendChild(radio);
      label.appendChild(el("span", null, String(n)));
      stars.appendChild(label);
    }
    set.appendChild(stars);
    var commentId = "comment-" + message.id;
    var commentLabel = el("label", null, t("chat.rating_comment"));
    commentLabel.htmlFor = commentId;
    var comment = el("textarea");
    comment.id = commentId; comment.rows = 2; comment.maxLength = 1000;
    set.appendChild(commentLabel);
    set.appendChild(comment);
    var submit = el("button", "send", t("chat.rating_send"));
    submit.type = "submit";
    set.appendChild(submit);
    box.appendChild(set);
    box.addEventListener("submit", function (event) {
      event.preventDefault();
      var chosen = box.querySelector("input:checked");
      if (!chosen) return;
      submit.disabled = true;
      api("POST", "/rating", { rating: Number(chosen.value), comment: comment.value || null })
        .then(function (data) { box.remove(); data.messages.forEach(show); setStatus(data.status); })
        .catch(function (error) { submit.disabled = false; notice(error.message, true); });
    });
    return box;
  }
  function show(message) {
    if (message.id !== null && state.seen[message.id]) return;
    if (message.id !== null) {
      state.seen[message.id] = true;
      state.cursor = Math.max(state.cursor, message.id);
    }
    var item = bubble(message.sender, message.text, message.kind === "crisis" ? "crisis" : "");
    if (message.cards.length) {
      var cards = el("div", "cards");
      message.cards.forEach(function (card) { cards.appendChild(renderCard(card)); });
      item.appendChild(cards);
    }
    if (message.event === "rating-invited") {
      if (state.canRate) item.appendChild(renderRating(message));
    } else if (message.quick_replies.length) {
      clearQuickReplies();
      item.appendChild(renderQuick(message.quick_replies));
    }
    log.appendChild(item);
    item.scrollIntoView({ block: "nearest" });
  }
  function clearQuickReplies() {
    Array.prototype.forEach.call(log.querySelectorAll(".quick"), function (group) { group.remove(); });
  }
  function notice(text, isError) {
    var item = bubble("system", text, "notice" + (isError ? " error" : ""));
    log.appendChild(item);
    item.scrollIntoView({ block: "nearest" });
  }
  function setStatus(status) {
    followConversation(status);
    state.mode = status.mode;
    state.canRate = status.can_rate;
    var text = "";
    if (status.queue) text = status.queue.text;
    else if (status.mode === "with_staff") text = t("chat.queue_staff");
    if (statusLine.textContent !== text) statusLine.textContent = text;
    schedulePoll();
  }
  function clearScreen() {
    log.replaceChildren();
    statusLine.textContent = "";
    state.cursor = 0; state.seen = {}; state.mode = "none"; state.language = cfg.defaultLang;
  }

  /* ---- sending and polling ---------------------------------------------------------- */
  function send(text, label) {
    if (!text.trim()) return;
    clearQuickReplies();
    var mine = bubble("user", label || text);
    log.appendChild(mine);
    mine.scrollIntoView({ block: "nearest" });
    typing.hidden = false;
    state.sending += 1;
    var clientId = randomId();
    var attempt = function () {
      return api("POST", "/messages", { text: text, client_message_id: clientId });
    };
    ensureKey()
      .then(attempt)
      .catch(function (error) {  /* one quiet retry for a dropped connection: same id, no double */
        if (error.status) throw error;
        return attempt();
      })
      .then(function (data) {
        if (data.user_message_id) { state.seen[data.user_message_id] = true; }
        if (data.deleted) { clearScreen(); writeKey(null); }
        data.replies.forEach(show);
        if (data.failed && !data.replies.length) notice(t("chat.no_answer"), true);
        setStatus(data.status);
      })
      .catch(function (error) { notice(error.message || t("chat.sending_failed"), true); })
      .then(function () {
        state.sending -= 1;
        typing.hidden = state.sending === 0 ? true : typing.hidden;
      });
  }
  function schedulePoll() {
    window.clearTimeout(state.timer);
    var active = state.mode === "waiting_for_staff" || state.mode === "with_staff";
    if (!readKey() || state.mode === "none" || state.mode === "closed") return;
    var wait = active && !document.hidden ? Number(cfg.pollMs) : Number(cfg.idlePollMs);
    state.timer = window.setTimeout(poll, wait);
  }
  function poll() {
    if (state.sending) { schedulePoll(); return; }
    var hadConversation = state.mode !== "none";
    api("GET", "/messages?after=" + state.cursor)
      .then(function (data) {
        if (state.sending) return;
        state.canRate = data.status.can_rate;
        data.messages.forEach(show);
        if (hadConversation && data.status.mode === "none") { clearScreen(); writeKey(null); notice(t("chat.moved")); }
        setStatus(data.status);
      })
      .catch(function () { schedulePoll(); });
  }
  function resume() {
    if (!readKey()) return;
    api("GET", "/conversation")
      .then(function (data) { state.canRate = data.status.can_rate; data.messages.forEach(show); setStatus(data.status); })
      .catch(function (error) { if (error.status === 401) writeKey(null); });
  }

  /* ---- leaving, deleting, codes ------------------------------------------------------ */
  function quickExit() {
    writeKey(null);
    try { window.sessionStorage.clear(); } catch (e) { /* nothing to clear */ }
    clearScreen();
    input.value = "";
    if (framed) {
      window.parent.postMessage({ type: "familieveiviser:quick-exit" }, "*");
      try { window.top.location.replace(cfg.exitUrl); return; } catch (e) { /* the widget does it */ }
    }
    window.location.replace(cfg.exitUrl);
  }
  function openDialog(dialog) {
    if (typeof dialog.showModal === "function") dialog.showModal(); else dialog.setAttribute("open", "");
  }
  function closeDialog(dialog) {
    if (typeof dialog.close === "function") dialog.close(); else dialog.removeAttribute("open");
  }

  document.getElementById("quick-exit").addEventListener("click", quickExit);
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var now = Date.now();
    if (now - state.lastEsc < 1200) quickExit();
    state.lastEsc = now;
  });

  var deleteDialog = document.getElementById("delete-dialog");
  document.getElementById("delete").addEventListener("click", function () { openDialog(deleteDialog); });
  document.getElementById("delete-confirm").addEventListener("click", function () {
    var done = function (text) {
      closeDialog(deleteDialog); clearScreen(); writeKey(null); notice(text); input.focus();
    };
    if (!readKey()) { done(t("api.nothing_to_delete")); return; }
    api("DELETE", "/conversation")
      .then(function (data) { done(data.message); })
      .catch(function (error) { closeDialog(deleteDialog); notice(error.message, true); });
  });

  var codeDialog = document.getElementById("code-dialog");
  var codeValue = document.getElementById("code-value");
  var codeError = document.getElementById("code-error");
  document.getElementById("show-code").addEventListener("click", function () {
    codeValue.textContent = ""; codeError.textContent = "";
    document.getElementById("code-show").hidden = false;
    openDialog(codeDialog);
    if (!readKey() || state.mode === "none") {
      codeError.textContent = t("api.no_conversation");
      return;
    }
    api("POST", "/samtalekode")
      .then(function (data) { codeValue.textContent = data.code; })
      .catch(function (error) { codeError.textContent = error.message; });
  });
  document.getElementById("have-code").addEventListener("click", function () {
    codeValue.textContent = ""; codeError.textContent = "";
    document.getElementById("code-show").hidden = true;
    openDialog(codeDialog);
    document.getElementById("code-input").focus();
  });
  document.getElementById("code-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var code = document.getElementById("code-input").value;
    if (!code.trim()) return;
    api("POST", "/samtalekode/fortsett", { code: code })
      .then(function (data) {
        writeKey(data.key); clearScreen(); closeDialog(codeDialog);
        state.canRate = data.status.can_rate;
        data.messages.forEach(show); setStatus(data.status); input.focus();
      })
      .catch(function (error) { codeError.textContent = error.message; });
  });
  Array.prototype.forEach.call(document.querySelectorAll("[data-close]"), function (button) {
    button.addEventListener("click", function () { closeDialog(button.closest("dialog")); });
  });

  /* ---- writing ---------------------------------------------------------------------- */
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value;
    if (!text.trim()) { input.focus(); return; }
    input.value = "";
    grow();
    send(text);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit"));
    }
  });
  function grow() {
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight, 144) + "px";
  }
  input.addEventListener("input", grow);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) poll(); });

  resume();
}());
