// The live queue and the takeover page: server-sent events, a short beep, canned replies.
// No inline script (the CSP forbids it); the server renders every fragment, escaped.
(function () {
  "use strict";

  var SOUND_KEY = "familieveiviser.lydvarsel";
  var audio = null;

  // --- Sound alert: a short WebAudio beep, switched on or off per browser -------------------
  function soundOn() {
    try {
      return window.localStorage.getItem(SOUND_KEY) !== "av";
    } catch (error) {
      return true;
    }
  }

  function showSoundState() {
    var on = soundOn();
    document.querySelectorAll("[data-sound-toggle]").forEach(function (button) {
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.textContent = on ? "Lydvarsel på" : "Lydvarsel av";
    });
    var blocked = on && (audio === null || audio.state !== "running");
    document.querySelectorAll("[data-sound-hint]").forEach(function (hint) {
      hint.hidden = !blocked;
    });
  }

  function audioContext() {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) {
      return null;
    }
    if (audio === null) {
      audio = new Context();
      audio.onstatechange = showSoundState;
    }
    if (audio.state === "suspended") {
      audio.resume().then(showSoundState, function () { /* still blocked: the hint stays */ });
    }
    return audio;
  }

  function beep(urgent) {
    if (!soundOn()) {
      return;
    }
    var context = audioContext();
    if (!context) {
      return;
    }
    var tones = urgent ? [880, 660, 880] : [660];
    tones.forEach(function (frequency, index) {
      var start = context.currentTime + index * 0.22;
      var oscillator = context.createOscillator();
      var gain = context.createGain();
      oscillator.type = "sine";
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.25, start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.18);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(start);
      oscillator.stop(start + 0.2);
    });
  }

  // Browsers keep sound off until the person has clicked or typed on the page: unlock then.
  function unlockSound() {
    if (soundOn()) {
      audioContext();
    }
    showSoundState();
  }
  document.addEventListener("pointerdown", unlockSound);
  document.addEventListener("keydown", unlockSound);

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-sound-toggle]");
    if (!toggle) {
      return;
    }
    try {
      window.localStorage.setItem(SOUND_KEY, soundOn() ? "av" : "på");
    } catch (error) {
      // private mode: the toggle still works for this page
    }
    showSoundState();
    if (soundOn()) {
      audioContext(); // a click is the gesture browsers want before playing sound
    }
  });

  // --- Server-sent events --------------------------------------------------------------------
  function listen(url, version, handlers) {
    var source = new EventSource(url + "?version=" + encodeURIComponent(version || ""));
    Object.keys(handlers).forEach(function (name) {
      source.addEventListener(name, function (event) {
        handlers[name](JSON.parse(event.data), source);
      });
    });
    source.addEventListener("error", function () {
      // Closed for good (logged out, or the page is gone): reload, which leads to the login.
      if (source.readyState === EventSource.CLOSED) {
        window.setTimeout(function () { window.location.reload(); }, 5000);
      }
    });
    return source;
  }

  function idsIn(container) {
    var ids = {};
    container.querySelectorAll(".queue-row[data-id]").forEach(function (row) {
      ids[row.getAttribute("data-id")] = true;
    });
    return ids;
  }

  // --- Waiting times tick on the client, so the list is only re-sent when it changes ---------
  function describeWaiting(seconds) {
    if (seconds < 60) {
      return "under 1 min";
    }
    var minutes = Math.floor(seconds / 60);
    if (minutes < 60) {
      return minutes + " min";
    }
    var rest = minutes % 60;
    return Math.floor(minutes / 60) + " t" + (rest ? " " + rest + " min" : "");
  }

  function tickWaitingTimes() {
    document.querySelectorAll("[data-since]").forEach(function (element) {
      var since = Date.parse(element.getAttribute("data-since"));
      if (!isNaN(since)) {
        element.textContent = describeWaiting(Math.max(0, (Date.now() - since) / 1000));
      }
    });
  }

  function startQueue(container) {
    var known = idsIn(container);
    var announce = document.getElementById("ko-varsel");
    listen(container.getAttribute("data-queue-stream"), container.getAttribute("data-version"), {
      queue: function (data) {
        var focused = document.activeElement && document.activeElement.closest(".queue-row");
        var focusedId = focused ? focused.getAttribute("data-id") : null;
        container.innerHTML = data.html;
        container.setAttribute("data-version", data.version);
        var fresh = data.waiting.filter(function (id) { return !known[id]; });
        fresh.forEach(function (id) {
          var row = container.querySelector('.queue-row[data-id="' + id + '"]');
          if (row) {
            row.classList.add("queue-row-new");
          }
        });
        if (focusedId) {
          var again = container.querySelector('.queue-row[data-id="' + focusedId + '"] button');
          if (again) {
            again.focus();
          }
        }
        if (fresh.length) {
          var urgent = fresh.some(function (id) { return data.urgent.indexOf(id) >= 0; });
          beep(urgent);
          if (announce) {
            announce.textContent = fresh.length === 1
              ? "En ny samtale venter i køen."
              : fresh.length + " nye samtaler venter i køen.";
          }
        }
        known = {};
        data.waiting.forEach(function (id) { known[id] = true; });
        document.title = (data.waiting.length ? "(" + data.waiting.length + ") " : "") +
          "Kø – Familieveiviser for ansatte";
        tickWaitingTimes();
      }
    });
  }

  // --- The takeover page -----------------------------------------------------------------------
  function lastUserMessage(log) {
    var users = log.querySelectorAll('.msg[data-sender="user"]');
    return users.length ? Number(users[users.length - 1].getAttribute("data-id")) : 0;
  }

  // Merge new transcript items by id: changed ones are replaced, new ones appended, so the
  // log's live region only announces what is new.
  function mergeTranscript(log, html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    var nearBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 80;
    Array.prototype.forEach.call(template.content.children, function (item) {
      var id = item.getAttribute("data-id");
      var existing = log.querySelector('.msg[data-id="' + id + '"]');
      if (!existing) {
        log.appendChild(item);
      } else if (existing.outerHTML !== item.outerHTML) {
        existing.replaceWith(item);
      }
    });
    if (nearBottom) {
      log.scrollTop = log.scrollHeight;
    }
  }

  function startConversation(layout) {
    var log = document.getElementById("samtale-logg");
    var status = document.getElementById("samtale-status");
    var seenUser = lastUserMessage(log);
    log.scrollTop = log.scrollHeight;
    var wasMine = document.getElementById("svar-skjema") !== null;
    listen(layout.getAttribute("data-conversation-stream"), layout.getAttribute("data-version"), {
      conversation: function (data) {
        if (!data.transcript) {
          return;
        }
        mergeTranscript(log, data.transcript);
        status.innerHTML = data.status;
        if (data.last_user_message > seenUser) {
          seenUser = data.last_user_message;
          beep(data.crisis);
        }
        if (data.mine !== wasMine) {
          window.location.reload(); // taken, transferred or closed elsewhere: show the right tools
        }
      },
      gone: function (data, source) {
        source.close();
        var notice = document.getElementById("samtale-borte");
        notice.textContent = data.message;
        notice.hidden = false;
      }
    });
  }

  function insertCanned(text) {
    var box = document.getElementById("svar-tekst");
    if (!box) {
      return;
    }
    var start = box.selectionStart || 0;
    var end = box.selectionEnd || 0;
    box.value = box.value.slice(0, start) + text + box.value.slice(end);
    box.focus();
    box.selectionStart = box.selectionEnd = start + text.length;
  }

  document.addEventListener("click", function (event) {
    var canned = event.target.closest("[data-canned-text]");
    if (canned) {
      insertCanned(canned.getAttribute("data-canned-text"));
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) &&
        event.target.id === "svar-tekst") {
      event.preventDefault();
      event.target.form.requestSubmit();
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (!form || form.id !== "svar-skjema") {
      return;
    }
    var problem = document.getElementById("svar-feil");
    var xhr = event.detail.xhr;
    if (event.detail.successful) {
      mergeTranscript(document.getElementById("samtale-logg"), xhr.responseText);
      form.reset();
      problem.hidden = true;
      document.getElementById("svar-tekst").focus();
      return;
    }
    var message = "Svaret ble ikke sendt. Prøv igjen.";
    try {
      message = JSON.parse(xhr.responseText).detail || message;
    } catch (error) {
      // not JSON: keep the general sentence
    }
    problem.textContent = message;
    problem.hidden = false;
  });

  document.addEventListener("DOMContentLoaded", function () {
    if (soundOn()) {
      audioContext(); // allowed at once where the browser trusts this site; else after a click
    }
    showSoundState();
    var queue = document.querySelector("[data-queue-stream]");
    if (queue) {
      startQueue(queue);
      window.setInterval(tickWaitingTimes, 15000);
    }
    var conversation = document.querySelector("[data-conversation-stream]");
    if (conversation) {
      startConversation(conversation);
    }
  });
})();
