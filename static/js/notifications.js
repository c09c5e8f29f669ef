// Unread-message badge on the "Chats" link, kept current over a websocket.
(function () {
  "use strict";
  var link = document.querySelector('a[data-nav="chats"]');
  if (!link || !window.WebSocket) return;
  var badge = document.createElement("span");
  badge.className = "nav-badge";
  badge.hidden = true;
  badge.setAttribute("aria-label", "unread messages");
  link.appendChild(badge);
  var retries = 0;

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + "/ws/notifications/");
    socket.onopen = function () { retries = 0; };
    socket.onmessage = function (event) {
      var data = JSON.parse(event.data);
      if (data.type === "unread") {
        badge.textContent = data.total > 99 ? "99+" : String(data.total);
        badge.hidden = data.total === 0;
      }
    };
    socket.onclose = function (event) {
      if (event.code === 4403) return;
      retries += 1;
      setTimeout(connect, Math.min(60000, 1000 * Math.pow(2, retries)));
    };
  }
  connect();
})();
