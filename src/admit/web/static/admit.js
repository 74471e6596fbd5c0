// admit — progressive enhancement only: every page works without this script.
"use strict";

// "Add a leg / document / stay": clone the last row in place instead of sending the form.
function addRow(button) {
  const kind = button.dataset.add;
  const rows = button.form.querySelectorAll('[data-row="' + kind + '"]');
  if (!rows.length) return false;
  const last = rows[rows.length - 1];
  const index = rows.length;
  const copy = last.cloneNode(true);
  const rename = (value) => value.replace(new RegExp("^" + kind + "-\\d+-"), kind + "-" + index + "-");
  copy.querySelectorAll("[id],[name],[for],[aria-describedby]").forEach((el) => {
    for (const attr of ["id", "name", "for"]) {
      if (el.hasAttribute(attr)) el.setAttribute(attr, rename(el.getAttribute(attr)));
    }
    el.removeAttribute("aria-invalid");
    el.removeAttribute("aria-describedby");
  });
  copy.querySelectorAll(".field-error").forEach((el) => el.remove());
  copy.querySelectorAll("input").forEach((el) => {
    if (el.type === "checkbox" || el.type === "radio") el.checked = false; else el.value = "";
  });
  last.after(copy);
  const count = button.form.querySelector('input[name="' + kind + 's"]');
  if (count) count.value = String(index + 1);
  const first = copy.querySelector("input, select");
  if (first) first.focus();
  return true;
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-add]");
  if (button && button.form && button.form.querySelector('[data-row="' + button.dataset.add + '"]')) {
    if (addRow(button)) event.preventDefault();
  }
});

// Sortable tables: a button in each sortable header; aria-sort tells screen readers.
document.querySelectorAll("table.sortable").forEach((table) => {
  table.querySelectorAll("thead button[data-sort]").forEach((button) => {
    button.addEventListener("click", () => {
      const th = button.closest("th");
      const key = button.dataset.sort;
      const ascending = th.getAttribute("aria-sort") !== "ascending";
      table.querySelectorAll("thead th").forEach((h) => h.removeAttribute("aria-sort"));
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      const body = table.tBodies[0];
      const rows = Array.from(body.rows);
      const value = (row) => row.dataset[key] || "";
      const numeric = rows.every((row) => value(row) === "" || !isNaN(Number(value(row))));
      rows.sort((a, b) => {
        const x = value(a), y = value(b);
        const order = numeric ? Number(x) - Number(y) : x.localeCompare(y);
        return (ascending ? order : -order) || (a.dataset.name || "").localeCompare(b.dataset.name || "");
      });
      rows.forEach((row) => body.appendChild(row));
    });
  });
});

// The map: the reason on hover, focus or tap, in a floating label and in a live region.
const map = document.getElementById("world-map");
if (map) {
  const figure = map.closest("figure");
  const live = document.getElementById("map-tip");
  const floating = document.createElement("div");
  floating.className = "floating";
  floating.hidden = true;
  floating.setAttribute("aria-hidden", "true");
  figure.appendChild(floating);
  // Move each <title> into data-tip so the browser's own tooltip does not double ours.
  map.querySelectorAll("[data-code]").forEach((shape) => {
    const title = shape.querySelector("title");
    if (title) { shape.dataset.tip = title.textContent; title.remove(); }
  });
  let pinned = null;
  const rowOf = (code) => document.querySelector('#destinations tr[data-code="' + code + '"]');
  const show = (shape, x, y) => {
    map.querySelectorAll(".active").forEach((el) => el.classList.remove("active"));
    document.querySelectorAll("#destinations tr.active").forEach((el) => el.classList.remove("active"));
    if (!shape) { floating.hidden = true; return; }
    map.querySelectorAll('[data-code="' + shape.dataset.code + '"]').forEach((el) => el.classList.add("active"));
    const row = rowOf(shape.dataset.code);
    if (row) row.classList.add("active");
    floating.textContent = shape.dataset.tip || shape.dataset.code;
    floating.hidden = false;
    const box = figure.getBoundingClientRect();
    const left = Math.min(Math.max(0, x - box.left + 12), Math.max(0, box.width - 240));
    floating.style.left = left + "px";
    floating.style.top = (y - box.top + 12) + "px";
    live.textContent = floating.textContent;
  };
  map.addEventListener("pointermove", (event) => {
    if (pinned) return;
    const shape = event.target.closest("[data-code]");
    show(shape, event.clientX, event.clientY);
  });
  map.addEventListener("pointerleave", () => { if (!pinned) show(null, 0, 0); });
  map.addEventListener("click", (event) => {
    const shape = event.target.closest("[data-code]");
    pinned = shape && shape !== pinned ? shape : null;
    show(shape, event.clientX, event.clientY);
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") { pinned = null; show(null, 0, 0); }
  });
  // From the table to the map: hovering or focusing a row shows that country.
  document.querySelectorAll("#destinations tbody tr").forEach((row) => {
    const highlight = () => {
      const shape = map.querySelector('[data-code="' + row.dataset.code + '"]');
      if (!shape) return;
      const box = shape.getBoundingClientRect();
      show(shape, box.left + box.width / 2, box.top + box.height / 2);
    };
    row.addEventListener("mouseenter", highlight);
    row.addEventListener("focusin", highlight);
  });
}
