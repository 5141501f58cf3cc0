// gongkai pages: a cell's source on click/hover, findings ↔ cells, ECharts from inline options, sortable tables.
(function () {
  "use strict";
  const dataEl = document.getElementById("cells-data");
  const cells = dataEl ? JSON.parse(dataEl.textContent) : {};
  const panel = document.getElementById("source-panel");

  function marks(cell) {
    return document.querySelectorAll('#source-text mark[data-cells~="' + CSS.escape(cell) + '"]');
  }

  function clearPicked() {
    document.querySelectorAll(".picked").forEach(function (el) { el.classList.remove("picked"); });
  }

  // Show where one cell's value was read: the panel beside the tables, and its mark in the source text.
  function showCell(cell) {
    const info = cells[cell];
    if (!panel || !info) return;
    clearPicked();
    document.querySelectorAll('[data-cell="' + CSS.escape(cell) + '"]').forEach(function (el) { el.classList.add("picked"); });
    panel.hidden = false;
    panel.querySelector(".cell-name").textContent = info.label + "：" + (info.blank ? "（空白）" : (info.value || "（未读到）"));
    const where = [];
    if (info.page) where.push("第" + info.page + "页");
    if (info.line) where.push("第" + info.line + "行");
    if (info.how === "split") where.push("由连写数字按勾稽关系拆出");
    if (info.how === "prose") where.push("读自正文");
    panel.querySelector(".cell-where").textContent = where.length ? "出处：" + where.join("，") : "原文中没有找到这个单元格";
    panel.querySelector(".snippet").textContent = info.snippet || "";
    const list = panel.querySelector(".cell-findings");
    list.innerHTML = "";
    (info.findings || []).forEach(function (n) {
      const f = document.querySelector('li.finding[data-finding="' + n + '"]');
      if (!f) return;
      const li = document.createElement("li");
      li.className = f.className;
      li.textContent = f.querySelector(".sev").textContent + " " + f.querySelector("code").textContent + "：" + f.querySelector("p").textContent;
      list.appendChild(li);
    });
    const m = marks(cell);
    m.forEach(function (el) { el.classList.add("picked"); });
    if (m.length) m[0].scrollIntoView({block: "center", behavior: "smooth"});
  }

  document.querySelectorAll("td.value[data-cell]").forEach(function (td) {
    td.addEventListener("click", function () { showCell(td.dataset.cell); });
    td.addEventListener("keydown", function (e) { if (e.key === "Enter") showCell(td.dataset.cell); });
  });
  document.querySelectorAll("a.cellref").forEach(function (a) {
    a.addEventListener("click", function (e) {
      e.preventDefault();
      showCell(a.dataset.cell);
      const td = document.querySelector('td.value[data-cell="' + CSS.escape(a.dataset.cell) + '"]');
      if (td) td.scrollIntoView({block: "center", behavior: "smooth"});
    });
  });
  // A finding clicked: mark every cell it concerns.
  document.querySelectorAll("li.finding[data-cells]").forEach(function (li) {
    li.addEventListener("click", function (e) {
      if (e.target.closest("a")) return;
      clearPicked();
      li.classList.add("picked");
      li.dataset.cells.split(" ").filter(Boolean).forEach(function (c) {
        document.querySelectorAll('td.value[data-cell="' + CSS.escape(c) + '"]').forEach(function (td) { td.classList.add("picked"); });
      });
    });
  });
  // A mark in the source text clicked: show its (first) cell.
  document.querySelectorAll("#source-text mark").forEach(function (m) {
    m.addEventListener("click", function () { showCell(m.dataset.cells.split(" ")[0]); });
  });

  // Charts: each div[data-chart] takes its option from the JSON script beside it (no network: ECharts is vendored).
  if (window.echarts) {
    document.querySelectorAll("div[data-chart]").forEach(function (el) {
      const option = JSON.parse(document.getElementById("option-" + el.dataset.chart).textContent);
      const chart = window.echarts.init(el, null, {renderer: "canvas"});
      chart.setOption(option);
      el.dataset.ready = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  // Sortable tables: click a heading; numbers sort by data-sort, text by Chinese collation.
  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.querySelectorAll("thead th").forEach(function (th, col) {
      th.addEventListener("click", function () {
        const asc = th.dataset.order !== "asc";
        table.querySelectorAll("thead th").forEach(function (h) { delete h.dataset.order; });
        th.dataset.order = asc ? "asc" : "desc";
        const body = table.tBodies[0];
        const rows = Array.from(body.rows);
        rows.sort(function (a, b) {
          const x = a.cells[col], y = b.cells[col];
          const nx = x.dataset.sort, ny = y.dataset.sort;
          let d;
          if (nx !== undefined || ny !== undefined) {
            d = (nx === undefined ? -Infinity : +nx) - (ny === undefined ? -Infinity : +ny);
          } else {
            d = x.textContent.localeCompare(y.textContent, "zh-CN");
          }
          return asc ? d : -d;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
})();
