// Broadcast pages: the compose form counts its audience as you change it, and the progress view
// updates its counters while the broadcast runs. Both pages work without this script.
(function () {
  "use strict";

  const form = document.getElementById("broadcast-form");
  if (form) {
    const box = document.getElementById("audience-count");
    const previewUrl = form.dataset.previewUrl;
    let timer = null;

    function audienceQuery() {
      const data = new FormData(form);
      const query = new URLSearchParams({ audience: data.get("audience") || "" });
      const audience = data.get("audience");
      if (data.get("campaign")) query.set("campaign", data.get("campaign"));
      if (audience === "filter") {
        for (const key of ["niche", "min_engagement", "country"]) {
          if (data.get(key)) query.set(key, data.get(key));
        }
        for (const band of data.getAll("follower_band")) query.append("follower_band", band);
      }
      if (audience === "list") query.set("recipients", data.getAll("recipients").join(","));
      return query;
    }

    function show(text, detail) {
      box.replaceChildren();
      const line = document.createElement("p");
      line.textContent = text;
      box.append(line);
      if (detail) {
        const more = document.createElement("p");
        more.className = "muted";
        more.textContent = detail;
        box.append(more);
      }
    }

    async function refresh() {
      const response = await fetch(`${previewUrl}?${audienceQuery()}`, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const body = await response.json().catch(() => ({}));
      if (!response.ok) {
        const errors = Object.values(body.errors || {}).flat().join(" ");
        show(errors || body.detail || "The audience could not be counted.");
        return;
      }
      const people = body.count === 1 ? "influencer" : "influencers";
      const names = body.sample.map((person) => person.name).join(", ");
      show(
        `${body.count} ${people} in this audience` + (body.count ? ` · ${body.cost} tokens.` : "."),
        names + (body.count > body.sample.length ? ", …" : "")
      );
    }

    form.addEventListener("change", () => {
      clearTimeout(timer);
      timer = setTimeout(refresh, 250);
    });
    refresh();
  }

  const progress = document.getElementById("broadcast-progress");
  if (progress && progress.dataset.live === "true") {
    const startedAs = progress.dataset.status;
    async function poll() {
      const response = await fetch(progress.dataset.url, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) return setTimeout(poll, 5000);
      const broadcast = await response.json();
      for (const element of progress.querySelectorAll("[data-field]")) {
        const value = broadcast[element.dataset.field];
        if (value !== undefined && element.dataset.field !== "status") element.textContent = value;
      }
      const bar = progress.querySelector("progress");
      if (bar && broadcast.total) {
        bar.value = Math.round((100 * (broadcast.total - broadcast.pending)) / broadcast.total);
      }
      // A new status brings other buttons: reload the page for them.
      if (broadcast.status !== startedAs) return window.location.reload();
      setTimeout(poll, 2000);
    }
    setTimeout(poll, 1500);
  }
})();
