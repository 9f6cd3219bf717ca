// The page of `vanban serve`: a form generated from the document's JSON
// Schema, an outline editor for the body, annex tables in a grid, the real PDF
// pages as a live preview, and every problem the checker reports shown at its
// field, body line or table cell, in Vietnamese. Plain JavaScript; pdf.js and
// CodeMirror come from Debian's libjs-pdf and libjs-codemirror when installed.
"use strict";

const $ = (sel, root = document) => root.querySelector(sel);
const el = (tag, attrs = {}, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? "" : v);
  }
  for (const k of kids) if (k !== null && k !== undefined) e.append(k);
  return e;
};

// ---- state -----------------------------------------------------------------
const state = {
  doc: null,           // the document being edited (JSON, body and annexes inline)
  schema: null,
  types: [],
  report: null,        // the last answer of /api/preview
  seq: 0,              // requests sent
  shown: 0,            // the request whose answer is shown
  inflight: false,
  pending: false,
  timer: 0,
  lastEdit: 0,
  fields: new Map(),   // JSON pointer -> {wrap, input, msg}
  annex: 0,            // the annex shown in the grid
  selectedRow: -1,
  updates: 0,          // preview updates (tests read it)
  lastLatency: 0,      // ms from the last edit to the preview's visible pages
  drawGen: 0,          // the PDF being drawn (a newer one stops an older one)
};
window.vanbanState = state;
const DEBOUNCE_MS = 25;  // coalesces a burst of keys; a request in flight holds the next one back

// ---- the server --------------------------------------------------------------
function token() { return sessionStorage.getItem("vanban-token") || ""; }

async function api(path, opts = {}) {
  const headers = Object.assign({}, opts.headers || {});
  if (token()) headers.Authorization = "Bearer " + token();
  headers["Accept-Language"] = "vi";  // the messages in Vietnamese, whatever the browser's own language
  const r = await fetch(path, Object.assign({}, opts, { headers }));
  if (r.status === 401) {
    const t = window.prompt("Máy chủ này yêu cầu mã truy cập. Nhập mã do bộ phận quản trị cung cấp:");
    if (t) { sessionStorage.setItem("vanban-token", t.trim()); return api(path, opts); }
  }
  return r;
}

async function apiJson(path, opts) {
  const r = await api(path, opts);
  let body = null;
  try { body = await r.json(); } catch (e) { body = null; }
  return { status: r.status, body };
}

function docText() { return JSON.stringify(state.doc); }

// ---- Vietnamese messages -----------------------------------------------------
// The server words every message in the language the request asks for (api()
// asks for Vietnamese). A few kinds, named by their stable code (the `code` of
// check --json and of the API), get a shorter text that fits under a form field.
const SHORT = {
  "missing-field": "Chưa nhập — đây là mục bắt buộc.",
  "empty": "Không được để trống.",
  "body-empty": "Nội dung văn bản đang trống.",
  "kinh-gui-missing": "Công văn cần ít nhất một nơi gửi (Kính gửi).",
  "authority-lines": 'Quyền hạn ký có nhiều nhất hai dòng, ví dụ "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH".',
  "outline-depth": "Đề mục có nhiều nhất 4 cấp: #, ##, ###, ####.",
  "heading-empty": "Đề mục chưa có tên.",
};

function vietnamese(d) {
  if (SHORT[d.code]) return SHORT[d.code];
  const m = d.message || "";
  return m.charAt(0).toUpperCase() + m.slice(1);  // shown as the server words it, at its place
}

// ---- start -------------------------------------------------------------------
function todayIso() {
  const d = new Date();
  const p = n => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

function starter(type) {
  const congVan = type === "CV";
  const doc = {
    type,
    parent: "UBND TỈNH GIA LAI",
    issuer: { name: ["Ủy ban nhân dân", "huyện Kbang"], code: "UBND" },
    date: todayIso(),
    place: "Kbang",
    summary: congVan ? "Về việc báo cáo kết quả thực hiện nhiệm vụ" : "Thực hiện nhiệm vụ năm " + new Date().getFullYear(),
    body: { text: congVan ? "Ủy ban nhân dân huyện Kbang báo cáo như sau:\n" : "# Mục đích, yêu cầu\n\n" },
    recipients: congVan ? [] : ["Như trên"],
    archive: "VT",
    signature: { authority: ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"], position: "Phó Chủ tịch", name: "" },
  };
  if (congVan) doc.kinh_gui = ["Ủy ban nhân dân tỉnh Gia Lai"];
  return doc;
}

async function start() {
  const [schema, types] = await Promise.all([apiJson("api/schema"), apiJson("api/types")]);
  state.schema = schema.body;
  state.types = types.body || [];
  const sel = $("#doc-type");
  for (const t of state.types) {
    const code = t.cong_van ? "CV" : t.code;
    sel.append(el("option", { value: code, text: t.name + (t.cong_van ? "" : ` (${t.code})`) }));
  }
  sel.value = "CV";
  sel.addEventListener("change", () => { state.doc.type = sel.value; changed(); });
  setupTabs();
  setupEditor();
  setupFiles();
  setupAnnexGrid();
  setupBatch();
  setDoc(starter("CV"));
}

function setDoc(doc) {
  state.doc = doc;
  if (!state.doc.body || typeof state.doc.body !== "object") state.doc.body = { text: "" };
  const sel = $("#doc-type");
  const code = typeCode(doc.type);
  if (code !== null) sel.value = code;
  buildForm();
  $("#tab-form").scrollTop = 0;
  setBody(typeof doc.body.text === "string" ? doc.body.text : "");
  state.annex = 0;
  renderAnnexPicker();
  renderGrid();
  refresh(true);
}

function typeCode(t) {
  for (const x of state.types) {
    const code = x.cong_van ? "CV" : x.code;
    if (t === code || t === x.name || (x.aliases || []).includes(t)) return code;
  }
  return null;
}

// ---- tabs --------------------------------------------------------------------
function setupTabs() {
  for (const b of document.querySelectorAll(".tab")) {
    b.addEventListener("click", () => showTab(b.dataset.tab));
  }
}

function showTab(name) {
  for (const b of document.querySelectorAll(".tab")) b.classList.toggle("active", b.dataset.tab === name);
  for (const p of document.querySelectorAll(".panel")) p.classList.toggle("active", p.id === "tab-" + name);
  if (name === "body" && state.cm) state.cm.refresh();
}

// ---- the form, from the JSON Schema -------------------------------------------
const GROUPS = [
  ["Cơ quan ban hành", ["parent", "issuer"]],
  ["Số, ký hiệu và ngày tháng", ["number", "symbol", "unit", "date", "place"]],
  ["Trích yếu và nơi gửi", ["summary", "kinh_gui"]],
  ["Nơi nhận", ["recipients", "archive"]],
  ["Chữ ký", ["signature"]],
];
const ADVANCED = ["marks", "layout"];

function getAt(ptr) {
  let v = state.doc;
  for (const k of ptr.split("/").slice(1)) { if (v == null) return undefined; v = v[k]; }
  return v;
}

function setAt(ptr, value) {
  const keys = ptr.split("/").slice(1);
  let v = state.doc;
  for (const k of keys.slice(0, -1)) { if (typeof v[k] !== "object" || v[k] === null) v[k] = {}; v = v[k]; }
  const last = keys[keys.length - 1];
  if (value === undefined) delete v[last]; else v[last] = value;
  // drop objects left empty (an optional "layout" with nothing in it)
  if (keys.length > 1) {
    const parent = getAt("/" + keys.slice(0, -1).join("/"));
    if (parent && typeof parent === "object" && !Array.isArray(parent) && Object.keys(parent).length === 0 && keys[0] === "layout")
      delete state.doc.layout;
  }
}

function isLines(s) {
  if (!s) return false;
  if (s.type === "array" && s.items && s.items.type === "string") return true;
  return Array.isArray(s.oneOf) && s.oneOf.some(o => o.type === "array");
}

function buildForm() {
  const form = $("#form");
  form.textContent = "";
  state.fields.clear();
  const props = state.schema.properties;
  // The issuer and signature are required unless the document is a joint one (schema oneOf).
  const required = (state.schema.required || []).concat(((state.schema.oneOf || [])[0] || {}).required || []);
  for (const [title, keys] of GROUPS) {
    const fs = el("fieldset", {}, el("legend", { text: title }));
    for (const k of keys) if (props[k]) addField(fs, "/" + k, props[k], required.includes(k));
    form.append(fs);
  }
  for (const k of ADVANCED) {
    const det = el("details", { class: "advanced" }, el("summary", { text: props[k].title || k }));
    addField(det, "/" + k, props[k], false);
    form.append(det);
  }
}

function addField(parent, ptr, s, required) {
  if (s.type === "object" && s.properties) {
    const box = el("div", { class: "subgroup", "data-pointer": ptr });
    const legend = parent.querySelector(":scope > legend, :scope > summary");
    if (!(legend && legend.textContent === s.title) && !ADVANCED.includes(ptr.slice(1)))
      box.append(el("div", { class: "subtitle", text: s.title || ptr }));
    const msg = el("div", { class: "field-msg", role: "alert" });
    box.append(msg);
    state.fields.set(ptr, { wrap: box, input: null, msg });
    const req = s.required || [];
    for (const [k, sub] of Object.entries(s.properties)) addField(box, ptr + "/" + k, sub, req.includes(k));
    parent.append(box);
    return;
  }
  const id = "f" + ptr.replace(/\//g, "-");
  const label = el("label", { for: id }, s.title || ptr.split("/").pop(), required ? el("span", { class: "req", text: " *", title: "bắt buộc" }) : null);
  let input;
  const value = getAt(ptr);
  if (isLines(s)) {
    input = el("textarea", { id, rows: 3, "data-pointer": ptr });
    input.value = Array.isArray(value) ? value.join("\n") : (value || "");
    input.rows = Math.max(3, Math.min(12, input.value.split("\n").length + 1));
    input.addEventListener("input", () => {
      const lines = input.value.split("\n").map(x => x.trim()).filter(x => x !== "");
      if (ptr === "/issuer/name") setAt(ptr, lines);
      else setAt(ptr, lines.length || required ? lines : undefined);
      changed();
    });
  } else if (s.type === "boolean") {
    input = el("input", { id, type: "checkbox", "data-pointer": ptr });
    input.checked = value === true;
    input.addEventListener("change", () => { setAt(ptr, input.checked ? true : undefined); changed(); });
  } else if (s.enum) {
    input = el("select", { id, "data-pointer": ptr }, el("option", { value: "", text: "" }), ...s.enum.map(v => el("option", { value: v, text: v })));
    input.value = value || "";
    input.addEventListener("change", () => { setAt(ptr, input.value || undefined); changed(); });
  } else if (s.type === "integer" || s.type === "number" || (s.oneOf || []).some(o => o.type === "integer")) {
    // (the document number is an integer, or its digits as text: typed in a number field)
    input = el("input", { id, type: "text", inputmode: "decimal", "data-pointer": ptr });
    input.value = value === undefined ? "" : String(value).replace(".", s.type === "number" ? "," : ".");
    input.addEventListener("input", () => {
      const t = input.value.trim().replace(",", ".");
      if (t === "") setAt(ptr, undefined);
      else if (/^-?\d+(\.\d+)?$/.test(t)) setAt(ptr, Number(t));
      else setAt(ptr, input.value.trim());  // left as written: the checker says what is wrong
      changed();
    });
  } else {
    const long = ptr === "/summary";
    input = el(long ? "textarea" : "input", long ? { id, rows: 2, "data-pointer": ptr } : { id, type: "text", "data-pointer": ptr });
    if (ptr === "/date") input.setAttribute("placeholder", "2024-04-01");
    input.value = value === undefined ? "" : String(value);
    input.addEventListener("input", () => {
      const v = input.value;
      setAt(ptr, v === "" && !required ? undefined : v);
      changed();
    });
  }
  const help = s.description ? el("div", { class: "help", text: s.description }) : null;
  const msg = el("div", { class: "field-msg", role: "alert" });
  const wrap = el("div", { class: "field", "data-pointer": ptr }, label, input, help, msg);
  state.fields.set(ptr, { wrap, input, msg });
  parent.append(wrap);
}

// ---- the body editor -----------------------------------------------------------
function setupEditor() {
  const ta = $("#body");
  if (window.CodeMirror && !window.noCodeMirror) {
    CodeMirror.defineMode("vanban-outline", () => ({
      token(stream) {
        if (stream.sol()) {
          if (stream.match(/^=\s/)) { stream.skipToEnd(); return "vb-part"; }
          if (stream.match(/^#{1,4}\.\s/)) { return "vb-num"; }
          if (stream.match(/^#{1,4}\s/)) { stream.skipToEnd(); return "vb-heading"; }
          if (stream.match(/^[-+]\s/)) return "vb-dash";
        }
        if (stream.match(/^\[\[[^\]]*\]\]/)) return "vb-ref";
        if (stream.match(/^\*\*[^*]+\*\*/)) return "strong";
        if (stream.match(/^\*[^*]+\*/)) return "em";
        stream.next();
        return null;
      },
    }));
    state.cm = CodeMirror.fromTextArea(ta, {
      mode: "vanban-outline", lineNumbers: true, lineWrapping: true, gutters: ["vb-diag", "CodeMirror-linenumbers"],
    });
    state.cm.on("change", (cm, ch) => { if (ch.origin !== "setValue") { state.doc.body = { text: cm.getValue() }; changed(); } });
    state.widgets = [];
    const link = document.createElement("link");
    link.rel = "stylesheet"; link.href = "vendor/codemirror/lib/codemirror.css";
    document.head.prepend(link);
  } else {
    const note = $("#editor-note");
    note.hidden = false;
    note.textContent = "Trình soạn thảo CodeMirror chưa được cài trên máy chủ (gói Debian libjs-codemirror): đang dùng ô soạn thảo đơn giản.";
    ta.addEventListener("input", () => { state.doc.body = { text: ta.value }; changed(); });
  }
}

function setBody(text) {
  if (state.cm) state.cm.setValue(text);
  else $("#body").value = text;
}

function bodyLine(line) {
  showTab("body");
  if (state.cm) {
    state.cm.focus();
    state.cm.setCursor({ line: line - 1, ch: 0 });
    state.cm.scrollIntoView({ line: line - 1, ch: 0 }, 80);
  } else {
    const ta = $("#body");
    const lines = ta.value.split("\n");
    let pos = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i++) pos += lines[i].length + 1;
    ta.focus();
    ta.setSelectionRange(pos, pos + (lines[line - 1] || "").length);
  }
}

// ---- refresh: check, resolve and preview -------------------------------------------
function changed() {
  state.lastEdit = performance.now();
  clearTimeout(state.timer);
  state.timer = setTimeout(() => refresh(false), DEBOUNCE_MS);
}

async function refresh(first) {
  if (state.inflight) { state.pending = true; return; }
  state.inflight = true;
  const seq = ++state.seq;
  const editAt = state.lastEdit || performance.now();
  setStatus(first ? "Đang dựng văn bản…" : "Đang cập nhật…", "busy");
  try {
    const sent = performance.now();
    const { status, body } = await apiJson("api/preview", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: docText(),
    });
    state.timing = { wait: Math.round(sent - editAt), server: Math.round(performance.now() - sent) };
    if (seq >= state.shown) {
      state.shown = seq;
      if (status === 200 && body) await show(body, editAt);
      else setStatus(serverError(status, body), "bad");
    }
  } catch (e) {
    setStatus("Không kết nối được máy chủ vanban: " + e.message, "bad");
  } finally {
    state.inflight = false;
    if (state.pending) { state.pending = false; refresh(false); }
  }
}

function serverError(status, body) {
  if (status === 413) return "Văn bản quá lớn so với giới hạn của máy chủ.";
  if (status === 504) return "Máy chủ dựng văn bản quá thời gian cho phép.";
  if (status === 503) return "Máy chủ đang bận, sẽ thử lại khi bạn sửa tiếp.";
  return "Máy chủ trả lỗi " + status + (body && body.error ? ": " + body.error : "");
}

function setStatus(text, kind) {
  const s = $("#status");
  s.textContent = text;
  s.className = "status " + (kind || "");
}

async function show(report, editAt) {
  state.report = report;
  showProblems(report.diagnostics || []);
  if (report.tables) { state.tables = report.tables; renderComputed(); }
  const errors = (report.diagnostics || []).filter(d => d.severity === "error").length;
  const warnings = (report.diagnostics || []).length - errors;
  if (report.ok) {
    setStatus(`Hợp lệ — ${report.pages} trang${warnings ? `, ${warnings} cảnh báo` : ""}`, "ok");
    $("#preview").classList.remove("stale");
    await drawPdf(report.pdf, editAt);
  } else {
    setStatus(`${errors} lỗi cần sửa — bản xem trước giữ lần dựng hợp lệ gần nhất`, "bad");
    $("#preview").classList.add("stale");
  }
}

// ---- problems at their places ---------------------------------------------------------
function fieldFor(ptr) {
  let p = ptr;
  while (p) {
    if (state.fields.has(p)) return { field: state.fields.get(p), ptr: p };
    p = p.slice(0, p.lastIndexOf("/"));
  }
  return null;
}

function where(d) {
  if (d.file && d.file.endsWith("#/body/text") && d.line) return { kind: "body", line: d.line };
  if (d.pointer && d.pointer.startsWith("/annexes/")) return { kind: "annex", pointer: d.pointer };
  if (d.pointer !== undefined) return { kind: "field", pointer: d.pointer };
  return { kind: "none" };
}

function showProblems(diags) {
  // clear
  for (const f of state.fields.values()) { f.wrap.classList.remove("invalid"); f.msg.textContent = ""; }
  if (state.cm) {
    state.cm.clearGutter("vb-diag");
    for (const w of state.widgets) w.clear();
    state.widgets = [];
    for (let i = 0; i < state.cm.lineCount(); i++) state.cm.removeLineClass(i, "background", "vb-error-line");
  }
  $("#body-problems").textContent = "";
  $("#annex-problems").textContent = "";
  for (const c of document.querySelectorAll("#annex-grid .invalid")) { c.classList.remove("invalid"); c.title = ""; }
  const list = $("#problems");
  list.textContent = "";
  const tabCounts = { form: 0, body: 0, annex: 0 };
  for (const d of diags) {
    const text = vietnamese(d);
    const w = where(d);
    const item = el("li", { class: d.severity }, el("span", { class: "sev", text: d.severity === "error" ? "Lỗi" : "Cảnh báo" }));
    if (w.kind === "field") {
      const hit = fieldFor(w.pointer);
      if (hit) {
        tabCounts.form++;
        const sub = w.pointer !== hit.ptr ? lineNote(w.pointer.slice(hit.ptr.length + 1)) : "";
        hit.field.wrap.classList.add("invalid");
        hit.field.msg.append(el("div", { text: sub + text }));
        const label = hit.field.wrap.querySelector("label, .subtitle");
        item.append(el("a", { href: "#", text: (label ? label.firstChild.textContent : hit.ptr) + ": ", onclick: ev => {
          ev.preventDefault(); showTab("form"); (hit.field.input || hit.field.wrap).scrollIntoView({ block: "center" });
          if (hit.field.input) hit.field.input.focus();
        } }));
      }
    } else if (w.kind === "body") {
      tabCounts.body++;
      item.append(el("a", { href: "#", text: `Nội dung, dòng ${w.line}: `, onclick: ev => { ev.preventDefault(); bodyLine(w.line); } }));
      $("#body-problems").append(el("div", { class: "inline " + d.severity, text: `Dòng ${w.line}: ${text}` }));
      if (state.cm && w.line - 1 < state.cm.lineCount()) {
        state.cm.addLineClass(w.line - 1, "background", "vb-error-line");
        state.cm.setGutterMarker(w.line - 1, "vb-diag", el("span", { class: "vb-marker", title: text, text: "●" }));
        state.widgets.push(state.cm.addLineWidget(w.line - 1, el("div", { class: "vb-line-msg", text })));
      }
    } else if (w.kind === "annex") {
      tabCounts.annex++;
      const place = annexPlace(w.pointer);
      item.append(el("a", { href: "#", text: place.label + ": ", onclick: ev => { ev.preventDefault(); showAnnexCell(w.pointer); } }));
      $("#annex-problems").append(el("div", { class: "inline " + d.severity, text: place.label + ": " + text }));
      markAnnexCell(w.pointer, text);
    }
    item.append(el("span", { class: "msg", text }));
    if (text !== d.message) item.title = d.message;
    list.append(item);
  }
  for (const [tab, n] of Object.entries(tabCounts)) {
    const b = $("#tab-btn-" + tab);
    b.dataset.count = n ? String(n) : "";
  }
}

function lineNote(rest) {
  const n = parseInt(rest, 10);
  return Number.isFinite(n) ? `Dòng ${n + 1}: ` : "";
}

// ---- the PDF preview -----------------------------------------------------------------------
function b64bytes(b64) {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

let pdfjsReady = null;
function pdfjs() {
  if (pdfjsReady !== null) return pdfjsReady;
  pdfjsReady = !!(window.pdfjsLib && !window.noPdfjs);
  if (pdfjsReady) {
    window.pdfjsLib.GlobalWorkerOptions.workerSrc = "vendor/pdf/build/pdf.worker.js";
    state.pdfWorker = new window.pdfjsLib.PDFWorker();  // one worker for every preview
  }
  return pdfjsReady;
}

// Draws a new PDF into the preview. The pages in view are drawn at once (the
// returned promise resolves when they are); every other page keeps its old
// picture, marked stale, and is redrawn when it is scrolled into view. A newer
// PDF takes over from an older one, whose drawing stops.
async function drawPdf(b64, editAt) {
  const gen = ++state.drawGen;
  const box = $("#preview");
  const bytes = b64bytes(b64);
  if (!pdfjs()) {
    // The browser's own PDF view.
    if (!$("#pdf-note")) box.before(el("p", { id: "pdf-note", class: "note", text: "Chưa cài pdf.js trên máy chủ (gói Debian libjs-pdf): bản xem trước dùng trình xem PDF của trình duyệt." }));
    const url = URL.createObjectURL(new Blob([bytes], { type: "application/pdf" }));
    const frame = el("iframe", { class: "pdf-frame", src: url, title: "Bản xem trước" });
    const old = box.querySelector("iframe");
    box.append(frame);
    if (old) { URL.revokeObjectURL(old.src); old.remove(); }
    noteUpdated(editAt);
    return;
  }
  const t0 = performance.now();
  const pdf = await window.pdfjsLib.getDocument({
    data: bytes, worker: state.pdfWorker, disableFontFace: /[?&]nofontface\b/.test(location.search),
  }).promise;
  if (gen !== state.drawGen) { pdf.destroy(); return; }
  if (state.timing) state.timing.open = Math.round(performance.now() - t0);
  if (state.pdf) state.pdf.doc.destroy();
  state.pdf = { doc: pdf, gen, drawing: new Set() };
  // As many page boxes as pages; new ones are blank until drawn.
  let pages = Array.from(box.querySelectorAll(".page"));
  for (const p of pages) if (+p.dataset.page > pdf.numPages) { observer().unobserve(p); p.remove(); }
  const size = pages.length ? [pages[0].style.width, pages[0].style.height] : ["595px", "842px"];
  for (let n = pages.length + 1; n <= pdf.numPages; n++) {
    const blank = el("div", { class: "page blank", "data-page": n });
    blank.style.width = size[0];
    blank.style.height = size[1];
    box.append(blank);
    observer().observe(blank);
  }
  // The page that fills most of the view first: when it is drawn, the preview
  // has changed where the clerk looks; then the other pages in view.
  const top = box.scrollTop, bottom = top + box.clientHeight;
  const shown = p => Math.min(bottom, p.offsetTop + p.offsetHeight) - Math.max(top, p.offsetTop);
  const inView = Array.from(box.querySelectorAll(".page")).filter(p => shown(p) > 0).sort((a, b) => shown(b) - shown(a));
  const order = inView.length ? inView.map(p => +p.dataset.page) : [1];
  await drawPage(order[0], gen);
  noteUpdated(editAt);
  for (const n of order.slice(1)) await drawPage(n, gen);
}

// Draws page n of the current PDF in place of its box (when `gen` is still current).
async function drawPage(n, gen) {
  const cur = state.pdf;
  if (!cur || cur.gen !== gen || cur.drawing.has(n)) return;
  cur.drawing.add(n);
  try {
    const box = $("#preview");
    const page = await cur.doc.getPage(n);
    const ratio = window.devicePixelRatio || 1;
    const width = Math.max(300, box.clientWidth - 40);
    const base = page.getViewport({ scale: 1 });
    const vp = page.getViewport({ scale: width / base.width * ratio });
    const canvas = el("canvas", { class: "page", "data-page": n, "data-gen": gen, title: `Trang ${n}` });
    canvas.width = Math.floor(vp.width);
    canvas.height = Math.floor(vp.height);
    canvas.style.width = Math.floor(vp.width / ratio) + "px";
    canvas.style.height = Math.floor(vp.height / ratio) + "px";
    const t0 = performance.now();
    await page.render({ canvasContext: canvas.getContext("2d", { alpha: false }), viewport: vp }).promise;
    if (state.timing && state.timing.draw === undefined) state.timing.draw = Math.round(performance.now() - t0);
    if (state.drawGen !== gen) return;
    const old = box.querySelector(`.page[data-page="${n}"]`);
    if (old) { observer().unobserve(old); old.replaceWith(canvas); } else box.append(canvas);
    observer().observe(canvas);
  } catch (e) {
    // a newer PDF destroyed this one while it was drawn
  } finally {
    cur.drawing.delete(n);
  }
}

let pageObserver = null;
function observer() {
  if (!pageObserver)
    pageObserver = new IntersectionObserver(entries => {
      for (const e of entries) {
        const p = e.target;
        if (e.isIntersecting && state.pdf && +(p.dataset.gen || -1) !== state.pdf.gen) drawPage(+p.dataset.page, state.pdf.gen);
      }
    }, { root: $("#preview"), rootMargin: "300px" });
  return pageObserver;
}

function noteUpdated(editAt) {
  state.updates++;
  state.lastLatency = Math.round(performance.now() - editAt);
  $("#preview").dataset.timing = JSON.stringify(state.timing || {});
  $("#preview").dataset.updates = String(state.updates);
  $("#preview").dataset.latency = String(state.lastLatency);
}

// ---- files: open, save, download ----------------------------------------------------------------
function setupFiles() {
  $("#btn-new").addEventListener("click", () => {
    if (confirm("Bắt đầu văn bản mới? Nội dung đang soạn chưa lưu sẽ mất.")) setDoc(starter($("#doc-type").value));
  });
  $("#btn-open").addEventListener("click", () => $("#file-open").click());
  $("#file-open").addEventListener("change", async ev => {
    try { await openFiles(Array.from(ev.target.files)); } catch (e) { alert(e.message); }
    ev.target.value = "";
  });
  $("#btn-save").addEventListener("click", () => {
    const name = (state.report && state.report.stem ? state.report.stem : "van-ban") + ".json";
    saveBlob(new Blob([JSON.stringify(state.doc, null, 2) + "\n"], { type: "application/json" }), name);
  });
  for (const b of document.querySelectorAll(".downloads button")) b.addEventListener("click", () => download(b.dataset.format));
  const ws = $("#ws-files");
  apiJson("api/files").then(({ body }) => {
    for (const f of (body && body.files) || []) ws.append(el("option", { value: f, text: f }));
  });
  ws.addEventListener("change", async () => {
    if (!ws.value) return;
    const { status, body } = await apiJson("api/open?path=" + encodeURIComponent(ws.value));
    ws.value = "";
    if (status === 200) setDoc(body);
    else alert("Không mở được văn bản: " + (body && body.diagnostics ? body.diagnostics.map(d => vietnamese(d)).join("\n") : (body && body.error) || status));
  });
}

async function openFiles(files) {
  const texts = new Map();
  for (const f of files) texts.set(f.name, await f.text());
  let main = null;
  for (const [name, text] of texts) {
    if (!name.toLowerCase().endsWith(".json")) continue;
    let j;
    try { j = JSON.parse(text); } catch (e) { throw new Error(`Tệp ${name} không phải JSON hợp lệ: ${e.message}`); }
    if (j && typeof j === "object" && j.issuer) { main = j; break; }
  }
  if (!main) throw new Error("Không thấy tệp JSON của văn bản (tệp có mục \"issuer\") trong các tệp đã chọn.");
  const missing = [];
  if (main.body && typeof main.body.file === "string") {
    const n = main.body.file.split("/").pop();
    if (texts.has(n)) main.body = { text: texts.get(n) }; else missing.push(n);
  }
  if (Array.isArray(main.annexes)) {
    main.annexes = main.annexes.map(a => {
      if (a && typeof a.file === "string" && Object.keys(a).length === 1) {
        const n = a.file.split("/").pop();
        if (texts.has(n)) return JSON.parse(texts.get(n));
        missing.push(n);
      }
      return a;
    });
  }
  if (missing.length) alert("Hãy chọn cùng lúc tệp JSON và các tệp đi kèm. Còn thiếu: " + missing.join(", "));
  setDoc(main);
}

function saveBlob(blob, name) {
  const a = el("a", { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}

function filenameOf(r, fallback) {
  const cd = r.headers.get("Content-Disposition") || "";
  const m = cd.match(/filename="([^"]+)"/);
  return m ? m[1] : fallback;
}

async function download(format) {
  setStatus("Đang tạo tệp " + format.toUpperCase() + "…", "busy");
  const r = await api("api/render?format=" + format, { method: "POST", headers: { "Content-Type": "application/json" }, body: docText() });
  if (r.status === 200) {
    saveBlob(await r.blob(), filenameOf(r, "van-ban." + format));
    setStatus("Đã tạo tệp " + format.toUpperCase() + ".", "ok");
  } else {
    let body = null;
    try { body = await r.json(); } catch (e) { body = null; }
    if (r.status === 422 && body) {
      showProblems(body.diagnostics || []);
      const only = (body.diagnostics || []).find(d => d.pointer === "/annexes");
      setStatus(only ? "Văn bản không có phụ lục nên không có tệp Excel." : "Chưa tải được: văn bản còn lỗi (xem danh sách).", "bad");
    } else setStatus(serverError(r.status, body), "bad");
  }
}

// ---- annex tables in a grid ----------------------------------------------------------------------
function annexes() { return Array.isArray(state.doc.annexes) ? state.doc.annexes : []; }

function leafColumns(cols, out = []) {
  for (const c of cols || []) {
    if (Array.isArray(c.columns)) leafColumns(c.columns, out);
    else out.push(c);
  }
  return out;
}

function setupAnnexGrid() {
  $("#annex-pick").addEventListener("change", ev => { state.annex = +ev.target.value; state.selectedRow = -1; renderGrid(); });
  $("#annex-add-row").addEventListener("click", () => {
    const a = annexes()[state.annex];
    if (!a) return;
    if (!Array.isArray(a.rows)) a.rows = [];
    a.rows.splice(state.selectedRow >= 0 ? state.selectedRow + 1 : a.rows.length, 0, {});
    renderGrid(); changed();
  });
  $("#annex-del-row").addEventListener("click", () => {
    const a = annexes()[state.annex];
    if (!a || !Array.isArray(a.rows) || state.selectedRow < 0) return;
    a.rows.splice(state.selectedRow, 1);
    state.selectedRow = -1;
    renderGrid(); changed();
  });
}

function renderAnnexPicker() {
  const pick = $("#annex-pick");
  pick.textContent = "";
  annexes().forEach((a, i) => pick.append(el("option", { value: i, text: (a.label || `Phụ lục ${i + 1}`) + (a.title ? " — " + a.title : "") })));
  const b = $("#tab-btn-annex");
  b.textContent = annexes().length ? `Phụ lục (${annexes().length})` : "Phụ lục";
}

// A number pasted or typed as Vietnamese notation (18.286 · 11,26) or plain (18286 · 11.26).
function parseNumber(text, column) {
  let t = text.trim().replace(/\s/g, "").replace(/%$/, "");
  if (t === "") return undefined;
  if (/^-?\d{1,3}(\.\d{3})+(,\d+)?$/.test(t)) t = t.replace(/\./g, "").replace(",", ".");
  else if (/^-?\d+,\d+$/.test(t)) t = t.replace(",", ".");
  else if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(t) && (column.format || "integer") === "integer") t = t.replace(/,/g, "");
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : text.trim();
}

function cellValue(col, text) {
  if (col.format === "text") return text.trim() === "" ? undefined : text.trim();
  return parseNumber(text, col);
}

// A number in Vietnamese notation as the clerk reads it: 18.286 · 11,26.
function shown(v, col) {
  if (v === undefined || v === null) return "";
  if (typeof v === "number" && col.format !== "text") {
    const [whole, frac] = String(Math.abs(v)).split(".");
    return (v < 0 ? "-" : "") + whole.replace(/\B(?=(\d{3})+(?!\d))/g, ".") + (frac ? "," + frac : "");
  }
  return String(v);
}

function renderGrid() {
  const box = $("#annex-grid");
  box.textContent = "";
  const a = annexes()[state.annex];
  if (!a) {
    box.append(el("p", { class: "note", text: "Văn bản này chưa có phụ lục. Mở một văn bản có phụ lục (ví dụ kế hoạch có Biểu tổng hợp) để sửa bảng tại đây." }));
    return;
  }
  if (!Array.isArray(a.rows)) {
    box.append(el("p", { class: "note", text: "Bảng này chia theo nhóm (groups): hãy sửa trong tệp JSON." }));
    return;
  }
  const cols = leafColumns(a.columns);
  const table = el("table", { class: "grid", id: "grid-table" });
  const head = el("tr", {}, el("th", { class: "rownum", text: "#" }), ...cols.map(c => el("th", {
    class: c.expr ? "computed" : "", title: c.expr ? "Cột tính toán: " + c.expr : (c.key || ""),
  }, c.header || c.key, c.label ? el("div", { class: "collabel", text: c.label }) : null)));
  table.append(el("thead", {}, head));
  const body = el("tbody");
  a.rows.forEach((row, r) => {
    const tr = el("tr", { "data-row": r, class: r === state.selectedRow ? "selected" : "" });
    tr.append(el("td", { class: "rownum", text: String(r + 1), onclick: () => { state.selectedRow = r; renderGrid(); } }));
    cols.forEach((c, k) => {
      const computed = !!c.expr || c.numbering;
      const td = el("td", {
        class: (computed ? "computed " : "") + (c.format === "text" ? "text" : "num"),
        "data-row": r, "data-col": k, "data-key": c.key || "",
      });
      if (!computed) {
        td.contentEditable = "true";
        td.textContent = shown(row[c.key], c);
        td.addEventListener("input", () => {
          const v = cellValue(c, td.textContent);
          if (v === undefined) delete row[c.key]; else row[c.key] = v;
          dropStated(a, row);
          changed();
        });
        td.addEventListener("focus", () => { state.selectedRow = r; markSelected(); });
        td.addEventListener("paste", ev => pasteCells(ev, r, k));
        td.addEventListener("keydown", ev => gridKey(ev, r, k));
      }
      tr.append(td);
    });
    body.append(tr);
  });
  table.append(body);
  const foot = el("tfoot");
  table.append(foot);
  box.append(table);
  renderComputed();
}

function markSelected() {
  for (const tr of document.querySelectorAll("#grid-table tbody tr")) tr.classList.toggle("selected", +tr.dataset.row === state.selectedRow);
}

function gridKey(ev, r, k) {
  const move = { ArrowDown: [1, 0], ArrowUp: [-1, 0], Enter: [1, 0] }[ev.key];
  if (!move) return;
  const next = document.querySelector(`#grid-table td[data-row="${r + move[0]}"][data-col="${k + move[1]}"]`);
  if (next && next.isContentEditable) { ev.preventDefault(); next.focus(); }
}

// Tab-separated text from Excel or LibreOffice, filled from the cell pasted into.
function pasteCells(ev, r0, k0) {
  const text = (ev.clipboardData || window.clipboardData).getData("text/plain");
  if (!text || (!text.includes("\t") && !text.includes("\n"))) return;  // one value: the browser pastes it
  ev.preventDefault();
  const a = annexes()[state.annex];
  const cols = leafColumns(a.columns);
  const editable = cols.map((c, k) => ({ c, k })).filter(x => !x.c.expr && !x.c.numbering);
  const lines = text.replace(/\r\n?/g, "\n").replace(/\n$/, "").split("\n");
  const startIdx = editable.findIndex(x => x.k === k0);
  lines.forEach((line, i) => {
    const r = r0 + i;
    while (a.rows.length <= r) a.rows.push({});
    const row = a.rows[r];
    line.split("\t").forEach((cell, j) => {
      const target = editable[startIdx + j];
      if (!target) return;
      const v = cellValue(target.c, cell);
      if (v === undefined) delete row[target.c.key]; else row[target.c.key] = v;
    });
    dropStated(a, row);
  });
  renderGrid();
  changed();
}

// Figures the table states for what it computes (a published rate, a declared
// total) check a table as it was printed; once the clerk changes a row's
// figures the computed values must follow, so those stated values are dropped.
function dropStated(a, row) {
  const cols = leafColumns(a.columns);
  for (const c of cols) if (c.expr) delete row[c.key];
  const cells = a.total && a.total.cells;
  if (cells) for (const c of cols) if (c.format !== "text" && !c.numbering && c.total !== "none") delete cells[c.key];
}

// The server's resolved table: computed cells, numbering and the total rows, shown live.
function renderComputed() {
  const a = annexes()[state.annex];
  const table = $("#grid-table");
  if (!a || !table || !state.tables) return;
  const t = state.tables[state.annex];
  if (!t) return;
  const cols = leafColumns(a.columns);
  const byPointer = new Map();
  for (const row of t.rows) if (row.pointer) byPointer.set(row.pointer, row);
  const base = t.pointer || `/annexes/${state.annex}`;
  for (const td of table.querySelectorAll("tbody td.computed")) {
    const row = byPointer.get(`${base}/rows/${td.dataset.row}`);
    if (row) td.textContent = row.cells[+td.dataset.col] || "";
  }
  // The header as the table prints it: merged group cells and the label row.
  if (t.header && t.header.length && t.columns.length === cols.length) {
    const thead = table.querySelector("thead");
    thead.textContent = "";
    const rows = [];
    for (let r = 0; r < t.header_rows; r++) rows.push(el("tr"));
    rows[0].append(el("th", { class: "rownum", rowspan: t.header_rows + (t.labels.length ? 1 : 0), text: "#" }));
    for (const h of t.header.slice().sort((a, b) => a.row - b.row || a.col - b.col)) {
      const leaf = h.colspan === 1 && cols[h.col];
      rows[h.row].append(el("th", {
        rowspan: h.rowspan > 1 ? h.rowspan : null, colspan: h.colspan > 1 ? h.colspan : null,
        class: leaf && (leaf.expr || leaf.numbering) ? "computed" : "",
        title: leaf && leaf.expr ? "Cột tính toán: " + leaf.expr : null, text: h.text,
      }));
    }
    thead.append(...rows);
    if (t.labels.length) thead.append(el("tr", { class: "labels" }, ...t.labels.map(l => el("th", { class: "collabel", text: l }))));
  }
  const foot = table.querySelector("tfoot");
  foot.textContent = "";
  for (const row of t.rows) {
    if (row.kind !== "total" && row.kind !== "subtotal") continue;
    foot.append(el("tr", { class: "total" }, el("td", { class: "rownum", text: "Σ" }), ...cols.map((c, k) => el("td", {
      class: c.format === "text" ? "text" : "num", text: row.cells[k] || "",
    }))));
  }
}

function annexPlace(ptr) {
  const m = ptr.match(/^\/annexes\/(\d+)(?:\/rows\/(\d+)(?:\/([^/]+))?)?/);
  if (!m) return { label: "Phụ lục" };
  const a = annexes()[+m[1]];
  const name = a && a.label ? a.label : `Phụ lục ${+m[1] + 1}`;
  if (m[2] === undefined) return { label: name, annex: +m[1] };
  const col = a ? leafColumns(a.columns).find(c => c.key === m[3]) : null;
  return { label: `${name}, dòng ${+m[2] + 1}${col ? ", cột " + (col.header || col.key) : ""}`, annex: +m[1], row: +m[2], key: m[3] };
}

function markAnnexCell(ptr, text) {
  const p = annexPlace(ptr);
  if (p.annex !== state.annex || p.row === undefined) return;
  const sel = p.key ? `#grid-table td[data-row="${p.row}"][data-key="${p.key}"]` : `#grid-table tr[data-row="${p.row}"] td`;
  for (const td of document.querySelectorAll(sel)) { td.classList.add("invalid"); td.title = text; }
}

function showAnnexCell(ptr) {
  const p = annexPlace(ptr);
  showTab("annex");
  if (p.annex !== undefined && p.annex !== state.annex) { state.annex = p.annex; $("#annex-pick").value = p.annex; renderGrid(); }
  const td = p.row !== undefined ? document.querySelector(`#grid-table td[data-row="${p.row}"]${p.key ? `[data-key="${p.key}"]` : ""}`) : null;
  if (td) { td.scrollIntoView({ block: "center" }); if (td.isContentEditable) td.focus(); }
}

// ---- batch: a template and a spreadsheet of figures ---------------------------------------------------
function batchForm() {
  const fd = new FormData();
  const tpl = Array.from($("#batch-template").files);
  const data = $("#batch-data").files[0];
  let main = null;
  for (const f of tpl) if (f.name.toLowerCase().endsWith(".json") && !main) main = f;
  if (main) fd.append("template", main, main.name);
  for (const f of tpl) if (f !== main) fd.append("files", f, f.name);
  if (data) fd.append("data", data, data.name);
  if ($("#batch-sheet").value.trim()) fd.append("sheet", $("#batch-sheet").value.trim());
  return { fd, ready: !!(main && data) };
}

// A file input shown as a Vietnamese button and the names chosen.
function filePicker(input, label) {
  input.classList.add("offscreen");  // still reachable by tests and assistive tools
  const names = el("span", { class: "file-names", text: "Chưa chọn tệp" });
  const button = el("button", { type: "button", text: label, onclick: () => input.click() });
  input.after(el("span", { class: "picker" }, button, names));
  input.addEventListener("change", () => {
    names.textContent = Array.from(input.files).map(f => f.name).join(", ") || "Chưa chọn tệp";
  });
}

function setupBatch() {
  filePicker($("#batch-template"), "Chọn tệp mẫu…");
  filePicker($("#batch-data"), "Chọn bảng số liệu…");
  const reload = () => loadRecords();
  $("#batch-template").addEventListener("change", reload);
  $("#batch-data").addEventListener("change", reload);
  $("#batch-sheet").addEventListener("change", reload);
  $("#batch-zip").addEventListener("click", async () => {
    const { fd, ready } = batchForm();
    if (!ready) { $("#batch-status").textContent = "Hãy chọn tệp mẫu và bảng số liệu."; return; }
    $("#batch-status").textContent = "Đang tạo các văn bản…";
    const r = await api("api/batch", { method: "POST", body: fd });
    if (r.status === 200) {
      saveBlob(await r.blob(), filenameOf(r, "vanban-batch.zip"));
      $("#batch-status").textContent = "Đã tạo tệp ZIP (kèm bản tóm tắt summary.txt).";
    } else {
      const body = await r.json().catch(() => null);
      batchProblems(body);
      $("#batch-status").textContent = "Chưa tạo được: xem lỗi ở trên.";
    }
  });
}

function batchProblems(body) {
  const box = $("#batch-problems");
  box.textContent = "";
  if (!body) return;
  if (body.error) box.append(el("div", { class: "inline error", text: body.error }));
  for (const d of body.diagnostics || [])
    box.append(el("div", { class: "inline " + d.severity, text: `${d.file}${d.at ? " (" + d.at + ")" : ""}: ${vietnamese(d)}` }));
}

async function loadRecords() {
  const box = $("#batch-records");
  box.textContent = "";
  $("#batch-problems").textContent = "";
  const { fd, ready } = batchForm();
  if (!$("#batch-data").files[0]) return;
  const { status, body } = await apiJson("api/data", { method: "POST", body: fd });
  if (status !== 200) { batchProblems(body); return; }
  batchProblems(body);
  const fields = body.fields.slice(0, 6);
  const table = el("table", { class: "grid records" }, el("thead", {}, el("tr", {}, el("th", { text: "" }), el("th", { text: "Dòng" }), ...fields.map(f => el("th", { text: f })))));
  const tb = el("tbody");
  body.records.forEach((rec, i) => {
    tb.append(el("tr", {},
      el("td", {}, el("button", { type: "button", class: "small", text: "Xem trước", disabled: !ready, onclick: () => previewRow(i + 1) })),
      el("td", { class: "rownum", text: rec.source.split(":").pop() }),
      ...fields.map(f => el("td", { text: rec.fields[f] === undefined ? "" : String(rec.fields[f]) }))));
  });
  table.append(tb);
  box.append(el("p", { class: "note", text: `${body.count} dòng số liệu.` }), table);
}

async function previewRow(row) {
  const { fd } = batchForm();
  $("#batch-status").textContent = `Đang dựng văn bản của dòng ${row}…`;
  const r = await api("api/batch/preview?format=pdf&row=" + row, { method: "POST", body: fd });
  if (r.status !== 200) {
    batchProblems(await r.json().catch(() => null));
    $("#batch-status").textContent = `Dòng ${row} chưa dựng được.`;
    return;
  }
  const bytes = new Uint8Array(await r.arrayBuffer());
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  $("#preview").classList.remove("stale");
  await drawPdf(btoa(bin), performance.now());
  setStatus(`Xem trước văn bản của dòng ${row}: ${filenameOf(r, "")} — sửa văn bản đang soạn để quay lại.`, "ok");
  $("#batch-status").textContent = "";
}

start().catch(e => setStatus("Không khởi động được trang: " + e.message, "bad"));
