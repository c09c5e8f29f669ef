// Chat page: live messages over a websocket (with their tag chips), typing indicator, read
// receipts, reconnect with backfill from the REST API, and reply suggestions that fill the
// message box. Without JavaScript the forms post and the page reloads.
(function () {
  "use strict";
  var root = document.getElementById("chat");
  if (!root || !window.WebSocket) return;

  var chatId = root.dataset.chat;
  var searching = root.dataset.searching === "true"; // search results: no live additions, no read receipts
  var me = Number(root.dataset.me);
  var otherRead = Number(root.dataset.otherRead) || 0;
  var list = document.getElementById("messages");
  var form = document.getElementById("composer");
  var input = document.getElementById("id_text");
  var typingNote = document.getElementById("typing");
  var seenNote = document.getElementById("seen");
  var status = document.getElementById("connection");
  var socket = null;
  var retries = 0;
  var typingSentAt = 0;
  var typingStopTimer = null;
  var typingHideTimer = null;

  function lastId() {
    var items = list.querySelectorAll("li[data-id]");
    return items.length ? Number(items[items.length - 1].dataset.id) : 0;
  }

  function lastMineId() {
    var mine = list.querySelectorAll("li.mine[data-id]");
    return mine.length ? Number(mine[mine.length - 1].dataset.id) : 0;
  }

  // "30 Nov, 12:29" in the viewer's zone (data-time-zone), as the server writes the history
  // (chat/templatetags/chat.py, MESSAGE_TIME_FORMAT "j M, H:i"): not the browser's zone or locale.
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  var timeOptions = { month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
  var timeParts;
  try {
    timeParts = new Intl.DateTimeFormat("en-US", Object.assign({ timeZone: root.dataset.timeZone }, timeOptions));
  } catch (error) { // a zone this browser does not know: its own, rather than no chat at all
    timeParts = new Intl.DateTimeFormat("en-US", timeOptions);
  }

  function formatTime(iso) {
    var parts = {};
    timeParts.formatToParts(new Date(iso)).forEach(function (part) { parts[part.type] = part.value; });
    return Number(parts.day) + " " + MONTHS[Number(parts.month) - 1] + ", " + parts.hour + ":" + parts.minute;
  }

  // Tag names as the server's chips show them (chat/tagging.py Tag labels).
  var TAG_LABELS = {
    price: "Price / rate", deliverables: "Deliverables", deadline: "Deadline", shipping: "Shipping / product",
    payment: "Payment", contract: "Contract / terms", question: "Question"
  };

  // A language's English name ("Hindi" for hi), as the server writes it; "" for none or "und".
  var languageNames = null;
  try { languageNames = new Intl.DisplayNames(["en"], { type: "language" }); } catch (error) {}

  function languageName(code) {
    if (!code || code === "und") return "";
    try { return languageNames ? languageNames.of(code) : code; } catch (error) { return code; }
  }

  function renderTags(tags) {
    var box = document.createElement("span");
    box.className = "tags";
    box.dataset.role = "tags";
    (tags || []).forEach(function (tag) {
      var chip = document.createElement("span");
      chip.className = "chip";
      chip.dataset.tag = tag;
      chip.textContent = TAG_LABELS[tag] || tag;
      box.appendChild(chip);
    });
    return box;
  }

  function render(item, message) {
    item.className = "bubble" + (message.sender === me ? " mine" : "") + (message.deleted ? " deleted" : "");
    item.dataset.id = message.id;
    item.dataset.sender = message.sender;
    item.textContent = "";
    var text = document.createElement("span");
    text.className = "text";
    text.textContent = message.deleted ? "Message deleted" : message.text;
    var meta = document.createElement("small");
    meta.className = "meta";
    meta.textContent = formatTime(message.created_at) + (message.edited_at && !message.deleted ? " · edited" : "");
    item.appendChild(text);
    if (!message.deleted) item.appendChild(renderTags(message.tags));
    item.appendChild(meta);
    var name = message.deleted ? "" : languageName(message.language);
    if (name) {
      var language = document.createElement("small");
      language.className = "language";
      language.dataset.role = "language";
      language.dataset.code = message.language;
      language.textContent = name;
      item.appendChild(language);
    }
  }

  function upsert(message) {
    var empty = document.getElementById("no-messages");
    if (empty && !searching) empty.remove();
    var existing = list.querySelector('li[data-id="' + message.id + '"]');
    if (existing) {
      render(existing, message);
      return;
    }
    if (searching) return;
    var item = document.createElement("li");
    render(item, message);
    list.appendChild(item);
    list.scrollTop = list.scrollHeight;
  }

  function updateSeen() {
    var mine = lastMineId();
    seenNote.hidden = !(mine && otherRead >= mine);
  }

  function markRead() {
    if (searching) return;
    var id = lastId();
    if (id && socket && socket.readyState === WebSocket.OPEN && document.visibilityState === "visible") {
      socket.send(JSON.stringify({ type: "read", message_id: id }));
    }
  }

  function backfill() {
    // Events sent while we were away are not replayed by the server: fetch them.
    var url = root.dataset.messagesUrl + "?after=" + lastId() + "&page_size=100";
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (page) {
        page.results.slice().reverse().forEach(upsert);
        markRead();
        updateSeen();
      })
      .catch(function () {});
  }

  function showStatus(text) {
    status.hidden = !text;
    status.textContent = text || "";
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + "/ws/chats/" + chatId + "/");
    socket.onopen = function () {
      if (retries > 0) backfill();
      retries = 0;
      showStatus("");
      markRead();
    };
    socket.onmessage = function (event) {
      var data = JSON.parse(event.data);
      if (data.type === "message.new" || data.type === "message.edited" || data.type === "message.deleted") {
        upsert(data.message);
        if (data.type === "message.new" && data.message.sender !== me) {
          typingNote.hidden = true;
          markRead();
        }
        updateSeen();
      } else if (data.type === "typing" && data.user !== me) {
        typingNote.hidden = data.state !== "start";
        clearTimeout(typingHideTimer);
        typingHideTimer = setTimeout(function () { typingNote.hidden = true; }, 6000);
      } else if (data.type === "read" && data.user !== me) {
        otherRead = Math.max(otherRead, Number(data.message_id) || 0);
        updateSeen();
      } else if (data.type === "error") {
        showStatus(data.detail);
      }
    };
    socket.onclose = function (event) {
      if (event.code === 4403 || event.code === 4404) {
        showStatus("This chat is not available.");
        return;
      }
      retries += 1;
      var delay = Math.min(30000, 500 * Math.pow(2, retries));
      showStatus("Reconnecting…");
      setTimeout(connect, delay);
    };
  }

  form.addEventListener("submit", function (event) {
    var text = input.value.trim();
    if (!text) {
      event.preventDefault();
      return;
    }
    if (socket && socket.readyState === WebSocket.OPEN) {
      event.preventDefault(); // sent live; without a socket the form posts as usual
      socket.send(JSON.stringify({ type: "send", text: text }));
      socket.send(JSON.stringify({ type: "typing", state: "stop" }));
      typingSentAt = 0;
      input.value = "";
      input.focus();
    }
  });

  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  input.addEventListener("input", function () {
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    var now = Date.now();
    if (now - typingSentAt > 2000) {
      socket.send(JSON.stringify({ type: "typing", state: "start" }));
      typingSentAt = now;
    }
    clearTimeout(typingStopTimer);
    typingStopTimer = setTimeout(function () {
      if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: "typing", state: "stop" }));
      typingSentAt = 0;
    }, 3000);
  });

  // Reply suggestions: asked from the API, shown as buttons that put their text in the box.
  var suggestForm = document.getElementById("suggest-form");
  var suggestBox = document.getElementById("suggestions");

  function useSuggestion(event) {
    var button = event.target.closest("button.suggestion");
    if (!button) return;
    event.preventDefault(); // fill the box; never send
    input.value = button.dataset.text;
    input.focus();
  }

  function showSuggestions(body) {
    var old = document.getElementById("suggestion-list");
    if (old) old.remove();
    var note = document.getElementById("suggestions-source");
    if (note) note.remove();
    note = document.createElement("p");
    note.className = "muted small";
    note.id = "suggestions-source";
    note.textContent = (body.source === "gemini" ? "Suggested by Gemini" : "Suggested replies") +
      " — pick one to edit it, nothing is sent by itself:";
    var listing = document.createElement("ul");
    listing.className = "suggestion-list";
    listing.id = "suggestion-list";
    body.suggestions.forEach(function (text) {
      var entry = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "chip suggestion";
      button.dataset.text = text;
      button.textContent = text;
      entry.appendChild(button);
      listing.appendChild(entry);
    });
    suggestBox.insertBefore(listing, suggestForm);
    suggestBox.insertBefore(note, listing);
  }

  if (suggestBox) suggestBox.addEventListener("click", useSuggestion);
  if (suggestForm && window.fetch) {
    suggestForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var token = suggestForm.querySelector("input[name=csrfmiddlewaretoken]").value;
      var button = suggestForm.querySelector("button");
      button.disabled = true;
      fetch(root.dataset.suggestionsUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": token }
      })
        .then(function (response) {
          return response.json().then(function (body) { return { ok: response.ok, body: body }; });
        })
        .then(function (answer) {
          if (answer.ok) {
            showSuggestions(answer.body);
            showStatus("");
          } else {
            showStatus(answer.body.detail || "No suggestions right now.");
          }
        })
        .catch(function () { showStatus("No suggestions right now."); })
        .then(function () { button.disabled = false; });
    });
  }

  document.addEventListener("visibilitychange", markRead);
  list.scrollTop = list.scrollHeight;
  updateSeen();
  connect();
})();
