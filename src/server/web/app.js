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
  inflight: [],        // requests in flight: {seq, ctl (AbortController)}
  lastSent: null,      // the document text last sent
  timer: 0,
  lastEdit: 0,
  fields: new Map(),   // JSON pointer -> {wrap, input, msg}
  annex: 0,            // the annex shown in the grid
  selectedRow: -1,
  updates: 0,          // preview updates (tests read it)
  lastLatency: 0,      // ms from the last edit to the preview's visible pages
  annexLabels: [],     // "Phụ lục I", … as the document numbers its annexes
  timings: [],         // per update: performance.now() of edit, send, answer, opened, drawn, painted
  drawGen: 0,          // the PDF being drawn (a newer one stops an older one)
};
window.vanbanState = state;
const DEBOUNCE_MS = 25;  // coalesces a burst of keys; a request in flight holds the next one back

// ---- the server --------------------------------------------------------------
function token() { return sessionStorage.getItem("vanban-token") || ""; }

async function api(path, opts = {}) {
  // The page is Vietnamese: the server's messages too, whatever languages the browser lists.
  const headers = Object.assign({ "Accept-Language": "vi" }, opts.headers || {});
  if (token()) headers.Authorization = "Bearer " + token();
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
  try { body = await r.json(); } catch (e) { if (e.name === "AbortError") throw e; body = null; }
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
  "heading-empty": "Đề mục chưa có tên.",
};

function vietnamese(d) {
  if (SHORT[d.code]) return SHORT[d.code];
  // A signature or seal picture stays on the server's disk: the page cannot send it.
  if (d.code === "file-read" && /\/(image|seal)\/file$/.test(d.at || ""))
    return "Không có tệp hình ảnh đi kèm: trang web chưa gửi kèm được tệp hình ảnh. Hãy bỏ chọn ô \"Có hình ảnh…\" để xem trước; " +
      "văn bản có hình ảnh chữ ký, con dấu thì xuất bằng lệnh vanban render.";
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
  sel.addEventListener("change", () => { state.doc.type = sel.value; rebuildForm(); changed(); });
  pdfjs();  // pdf.js's worker starts while the first document is checked and laid out
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
  state.selectedRow = -1;
  state.tables = null;
  state.annexLabels = [];
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
// Each fieldset lists the fields it may hold; a joint document (văn bản liên
// tịch) has "issuers" and "signatures" where another has "issuer" and
// "signature", and only the pair the document uses is shown.
const GROUPS = [
  ["Cơ quan ban hành", ["parent", "issuer", "issuers"]],
  ["Số, ký hiệu và ngày tháng", ["number", "symbol", "unit", "date", "place"]],
  ["Trích yếu và nơi gửi", ["summary", "kinh_gui"]],
  ["Thẩm quyền và căn cứ ban hành", ["authority", "bases", "proposal", "nhu_dieu"]],
  ["Giấy mời", ["invitation"]],
  ["Giấy giới thiệu", ["introduction"]],
  ["Nơi nhận", ["recipients", "archive"]],
  ["Chữ ký", ["signature", "signatures", "secretary"]],
];
const ADVANCED = ["marks", "electronic", "copy", "layout"];
// Parts that only some types of document have (Phụ lục III of the decree):
// shown for those types, and whenever the document already holds them.
const TYPE_PARTS = {
  authority: ["QĐ", "NQ"], bases: ["QĐ", "NQ"], proposal: ["QĐ", "NQ"], nhu_dieu: ["QĐ", "NQ"],
  secretary: ["BB"], invitation: ["GM"], introduction: ["GGT"],
};
function partShown(k) {
  const types = TYPE_PARTS[k];
  return !types || types.includes(typeCode(state.doc.type)) || getAt("/" + k) !== undefined;
}
// Arrays whose items go together: the n-th signature is the n-th issuer's.
const LINKED = { "/issuers": "/signatures", "/signatures": "/issuers" };
// Enumerated values shown as words (the other spellings the schema accepts stay valid when opened).
const ENUM_TEXT = { SY: "Sao y (SY)", SL: "Sao lục (SL)", TrS: "Trích sao (TrS)" };
const ENUM_ALIASES = { "sao y": "SY", "sao lục": "SL", "trích sao": "TrS" };

function isJoint() { return Array.isArray(state.doc.issuers) || Array.isArray(state.doc.signatures); }

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
  const scroll = $("#tab-form").scrollTop;
  const open = new Set(Array.from(form.querySelectorAll("details.advanced[open]")).map(d => d.dataset.key));
  form.textContent = "";
  state.fields.clear();
  const props = state.schema.properties;
  // The issuer and signature are required, or for a joint document the issuers and signatures (schema oneOf).
  const joint = isJoint();
  const pair = ((state.schema.oneOf || [])[joint ? 1 : 0] || {}).required || [];
  const required = (state.schema.required || []).concat(pair);
  const hidden = joint ? ["issuer", "signature"] : ["issuers", "signatures"];
  for (const [title, keys] of GROUPS) {
    const shown = keys.filter(k => props[k] && !hidden.includes(k) && partShown(k));
    if (!shown.length) continue;
    const fs = el("fieldset", {}, el("legend", { text: title }));
    if (keys.includes("issuers")) fs.append(jointToggle(joint));
    for (const k of shown) addField(fs, "/" + k, props[k], required.includes(k));
    form.append(fs);
  }
  for (const k of ADVANCED) {
    const det = el("details", { class: "advanced", "data-key": k, open: open.has(k) }, el("summary", { text: props[k].title || k }));
    if (props[k].required) {
      // An optional part with required fields of its own (the copy): made or removed as a whole.
      const has = getAt("/" + k) !== undefined;
      det.append(el("label", { class: "toggle" }, el("input", { type: "checkbox", id: "toggle-" + k, checked: has, onchange: ev => {
        if (ev.target.checked) setAt("/" + k, starterPart(k)); else setAt("/" + k, undefined);
        rebuildForm();
      } }), " " + (k === "copy" ? "Làm bản sao của văn bản này" : "Có " + (props[k].title || k).toLowerCase())));
      if (props[k].description) det.append(el("div", { class: "help", text: props[k].description }));
      if (has) addField(det, "/" + k, props[k], false);
    } else addField(det, "/" + k, props[k], false);
    form.append(det);
  }
  $("#tab-form").scrollTop = scroll;
}

// The form again (after an item was added, removed or moved, or the document
// became a joint one), with the last problems at their new places.
function rebuildForm() {
  buildForm();
  if (state.report) showProblems(state.report.diagnostics || []);
  changed();
}

// An object with its required fields empty, for the clerk to fill in (the checker says what is missing).
function starterFor(s) {
  const out = {};
  for (const k of s.required || []) {
    const sub = (s.properties || {})[k] || {};
    if (sub.enum) out[k] = sub.enum[0];
    else if (sub.type === "object") out[k] = starterFor(sub);
    else if (sub.type === "array" || isLines(sub)) out[k] = [];
    else if (sub.type === "integer" || sub.type === "number") out[k] = sub.minimum !== undefined ? sub.minimum : 1;
    else out[k] = "";
  }
  return out;
}

function starterPart(k) {
  if (k === "copy")
    return { kind: "SY", issuer: { name: [], code: "" }, number: 1, date: todayIso(), place: state.doc.place || "",
      signature: { authority: [], position: "", name: "" } };
  return {};
}

function jointToggle(joint) {
  const box = el("input", { type: "checkbox", id: "toggle-joint", checked: joint, onchange: ev => {
    const d = state.doc;
    if (ev.target.checked) {
      d.issuers = [d.issuer || { name: [], code: "" }, { name: [], code: "" }];
      d.signatures = [d.signature || { position: "", name: "" }, { position: "", name: "" }];
      delete d.issuer; delete d.signature;
    } else {
      d.issuer = (d.issuers || [])[0] || { name: [], code: "" };
      d.signature = (d.signatures || [])[0] || { position: "", name: "" };
      delete d.issuers; delete d.signatures;
    }
    rebuildForm();
  } });
  return el("label", { class: "toggle", title: "Hai cơ quan trở lên cùng ban hành; mỗi cơ quan một chữ ký" }, box,
    " Văn bản liên tịch (hai cơ quan trở lên cùng ban hành)");
}

// An array of objects (the issuers and signatures of a joint document): one
// box per item, with its fields from the item schema, and buttons to add,
// remove and move items. Items of linked arrays move together.
function addArray(parent, ptr, s, required) {
  const items = Array.isArray(getAt(ptr)) ? getAt(ptr) : [];
  const box = el("div", { class: "subgroup array", "data-pointer": ptr });
  box.append(el("div", { class: "subtitle", text: s.title || ptr }, required ? el("span", { class: "req", text: " *", title: "bắt buộc" }) : null));
  if (s.description) box.append(el("div", { class: "help", text: s.description }));
  const msg = el("div", { class: "field-msg", role: "alert" });
  box.append(msg);
  state.fields.set(ptr, { wrap: box, input: null, msg });
  const min = s.minItems || 0;
  const edit = f => () => {
    const n = items.length;
    for (const p of [ptr, LINKED[ptr]]) {
      const arr = p && getAt(p);
      if (Array.isArray(arr) && (p === ptr || arr.length === n)) f(arr, p);
    }
    rebuildForm();
  };
  // The signatures follow the issuers: added, removed and moved with them.
  const follows = ptr === "/signatures" && Array.isArray(getAt("/issuers")) && getAt("/issuers").length === items.length;
  items.forEach((item, i) => {
    const head = el("div", { class: "item-head" }, el("span", { class: "item-title", text: itemTitle(ptr, s, i) }),
      follows ? null : el("span", { class: "item-tools" },
        el("button", { type: "button", class: "small", title: "Đưa lên trước", disabled: i === 0, text: "↑",
          onclick: edit(arr => arr.splice(i - 1, 0, arr.splice(i, 1)[0])) }),
        el("button", { type: "button", class: "small", title: "Đưa xuống sau", disabled: i === items.length - 1, text: "↓",
          onclick: edit(arr => arr.splice(i + 1, 0, arr.splice(i, 1)[0])) }),
        el("button", { type: "button", class: "small", text: "Xóa", disabled: items.length <= min,
          title: items.length <= min ? `Cần ít nhất ${min}` : "Xóa mục này", onclick: edit(arr => arr.splice(i, 1)) })));
    const itemBox = el("div", { class: "item", "data-pointer": ptr + "/" + i }, head);
    addField(itemBox, ptr + "/" + i, s.items, true, true);
    box.append(itemBox);
  });
  const what = ((s.items && s.items.title) || "mục").replace(/^./, c => c.toLowerCase());
  if (follows) box.append(el("div", { class: "help", text: "Mỗi cơ quan một chữ ký, cùng thứ tự: thêm, xóa, đổi thứ tự ở mục Cơ quan ban hành." }));
  else box.append(el("button", { type: "button", class: "add", "data-add": ptr, text: "+ Thêm " + what,
    onclick: edit((arr, p) => arr.push(p === "/signatures" ? { position: "", name: "" } : p === "/issuers" ? { name: [], code: "" } : {})) }));
  parent.append(box);
}

function itemTitle(ptr, s, i) {
  if (ptr === "/issuers") return `Cơ quan thứ ${i + 1}` + (i === 0 ? " (chủ trì)" : "");
  if (ptr === "/signatures") {
    const issuer = (state.doc.issuers || [])[i];
    const name = issuer ? [].concat(issuer.name || []).join(" ").trim() : "";
    return `Chữ ký thứ ${i + 1}` + (name ? ` — ${name}` : "");
  }
  return `${(s.items && s.items.title) || "Mục"} ${i + 1}`;
}

function addField(parent, ptr, s, required, item) {
  if (s.type === "array" && s.items && s.items.type === "object") { addArray(parent, ptr, s, required); return; }
  if (s.type === "object" && s.properties) {
    const box = el("div", { class: item ? "subgroup plain" : "subgroup", "data-pointer": ptr });
    const legend = parent.querySelector(":scope > legend, :scope > summary");
    // An optional part with required fields of its own (a signature image, the
    // copy's signer): a tick box makes or removes it as a whole.
    const optional = !required && !item && (s.required || []).length > 0 && ptr.split("/").length > 2;
    if (optional) {
      const has = getAt(ptr) !== undefined;
      box.append(el("label", { class: "toggle" }, el("input", { type: "checkbox", id: "toggle" + ptr.replace(/\//g, "-"), checked: has,
        onchange: ev => { setAt(ptr, ev.target.checked ? starterFor(s) : undefined); rebuildForm(); } }),
        " Có " + (s.title || ptr.split("/").pop()).replace(/^./, c => c.toLowerCase())));
      if (!has) {
        if (s.description) box.append(el("div", { class: "help", text: s.description }));
        parent.append(box);
        return;
      }
    } else if (!item && !(legend && legend.textContent === s.title) && !ADVANCED.includes(ptr.slice(1)))
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
    const values = s.enum.filter(v => !(v in ENUM_ALIASES) || v === value);
    input = el("select", { id, "data-pointer": ptr }, required ? null : el("option", { value: "", text: "" }),
      ...values.map(v => el("option", { value: v, text: ENUM_TEXT[v] || v })));
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
      else if ((s.oneOf || []).some(o => o.const === false) && /^(false|không)$/i.test(t)) setAt(ptr, false);
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
  // a tick box before its label, on one line
  const wrap = s.type === "boolean" ? el("div", { class: "field check", "data-pointer": ptr }, input, label, help, msg)
    : el("div", { class: "field", "data-pointer": ptr }, label, input, help, msg);
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
// Every pause in typing sends the document; the newest answer is shown. A
// request is not held back by one in flight: the oldest one in flight is left
// to finish (so that the preview follows while the clerk keeps typing), any
// other is aborted as stale, and an answer makes every older request stale.
// A document that did not change since it was last sent is not sent again.
function changed() {
  state.lastEdit = performance.now();
  clearTimeout(state.timer);
  state.timer = setTimeout(() => refresh(false), DEBOUNCE_MS);
}

async function refresh(first) {
  const text = docText();
  if (!first && text === state.lastSent) return;
  state.lastSent = text;
  const seq = ++state.seq;
  const ctl = new AbortController();
  for (const r of state.inflight.slice(1)) r.ctl.abort();
  state.inflight = state.inflight.slice(0, 1).concat([{ seq, ctl }]);
  const t = { seq, edit: first ? performance.now() : state.lastEdit, send: performance.now() };
  setStatus(first ? "Đang dựng văn bản…" : "Đang cập nhật…", "busy");
  try {
    const { status, body } = await apiJson("api/preview", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: text, signal: ctl.signal,
    });
    t.answer = performance.now();
    if (seq <= state.shown) return;
    state.shown = seq;
    for (const r of state.inflight) if (r.seq < seq) r.ctl.abort();
    if (status === 200 && body) await show(body, t);
    else setStatus(serverError(status, body), "bad");
  } catch (e) {
    if (e.name !== "AbortError") setStatus("Không kết nối được máy chủ vanban: " + e.message, "bad");
  } finally {
    state.inflight = state.inflight.filter(r => r.seq !== seq);
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

async function show(report, t) {
  state.report = report;
  // The PDF first: pdf.js's worker opens it while the problems are put in place.
  const drawing = report.ok ? drawPdf(report.pdf, t) : null;
  if (report.tables) {
    // Tables computed on their own (the document has errors elsewhere) are not
    // numbered, and a table with errors is null: the last labels stay.
    const labels = report.tables.map((t, i) => (t && t.label) || state.annexLabels[i] || "");
    const named = labels.join("\n") !== state.annexLabels.join("\n");
    state.annexLabels = labels;
    state.tables = report.tables;
    if (named) renderAnnexPicker();
    renderComputed();
  }
  if (state.cm) state.cm.operation(() => showProblems(report.diagnostics || []));
  else showProblems(report.diagnostics || []);
  const errors = (report.diagnostics || []).filter(d => d.severity === "error").length;
  const warnings = (report.diagnostics || []).length - errors;
  if (report.ok) {
    setStatus(`Hợp lệ — ${report.pages} trang${warnings ? `, ${warnings} cảnh báo` : ""}`, "ok");
    $("#preview").classList.remove("stale");
    await drawing;
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
    for (const h of state.errorLines || []) state.cm.removeLineClass(h, "background", "vb-error-line");
    state.errorLines = [];
  }
  $("#body-problems").textContent = "";
  $("#annex-problems").textContent = "";
  for (const c of document.querySelectorAll("#annex-grid .invalid, #annex-grid .warn")) { c.classList.remove("invalid", "warn"); c.title = ""; }
  const list = $("#problems");
  list.textContent = "";
  const tabCounts = { form: 0, body: 0, annex: 0 };
  const order = diags.filter(d => d.severity === "error").concat(diags.filter(d => d.severity !== "error"));
  for (const d of order) {
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
        item.append(el("a", { href: "#", text: fieldName(hit.field.wrap, hit.ptr) + ": ", onclick: ev => {
          if (hit.field.wrap.closest("details")) hit.field.wrap.closest("details").open = true;
          ev.preventDefault(); showTab("form"); (hit.field.input || hit.field.wrap).scrollIntoView({ block: "center" });
          if (hit.field.input) hit.field.input.focus();
        } }));
      }
    } else if (w.kind === "body") {
      tabCounts.body++;
      item.append(el("a", { href: "#", text: `Nội dung, dòng ${w.line}: `, onclick: ev => { ev.preventDefault(); bodyLine(w.line); } }));
      $("#body-problems").append(el("div", { class: "inline " + d.severity, text: `Dòng ${w.line}: ${text}` }));
      if (state.cm && w.line - 1 < state.cm.lineCount()) {
        state.errorLines.push(state.cm.addLineClass(w.line - 1, "background", "vb-error-line"));
        state.cm.setGutterMarker(w.line - 1, "vb-diag", el("span", { class: "vb-marker", title: text, text: "●" }));
        state.widgets.push(state.cm.addLineWidget(w.line - 1, el("div", { class: "vb-line-msg", text })));
      }
    } else if (w.kind === "annex") {
      tabCounts.annex++;
      const place = annexPlace(w.pointer);
      item.append(el("a", { href: "#", text: place.label + ": ", onclick: ev => { ev.preventDefault(); showAnnexCell(w.pointer); } }));
      $("#annex-problems").append(el("div", { class: "inline " + d.severity, text: place.label + ": " + text }));
      markAnnexCell(w.pointer, text, d.severity);
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

// A field as the list of problems names it: its label, after the part it is
// in when that is not the fieldset ("Chữ ký thứ 2 — Sở Giáo dục và Đào tạo › Họ và tên người ký").
function fieldName(wrap, ptr) {
  const own = wrap.querySelector(":scope > label, :scope > .subtitle, :scope > .item-head .item-title, :scope > label.toggle");
  const text = e => (e ? e.textContent.replace(/\s*\*$/, "").trim() : "");
  const names = [text(own) || ptr];
  for (let p = wrap.parentElement; p && p.id !== "form" && names.length < 3; p = p.parentElement) {
    if (p.matches(".item")) names.unshift(text(p.querySelector(":scope > .item-head .item-title")));
    else if (p.matches(".subgroup:not(.plain)")) {
      const t = text(p.querySelector(":scope > .subtitle, :scope > label.toggle"));
      if (t && p.dataset.pointer.split("/").length > 2) names.unshift(t.replace(/^Có /, "").replace(/^./, c => c.toUpperCase()));
    }
  }
  return names.filter(x => x).join(" › ");
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
// PDF takes over from an older one, whose drawing stops. `t` collects the
// times of the update (performance.now()).
async function drawPdf(b64, t) {
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
    t.opened = t.drawn = performance.now();
    noteUpdated(t);
    return;
  }
  const pdf = await window.pdfjsLib.getDocument({
    data: bytes, worker: state.pdfWorker, disableFontFace: /[?&]nofontface\b/.test(location.search),
  }).promise;
  if (gen !== state.drawGen) { pdf.destroy(); return; }
  t.opened = performance.now();
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
  if (gen !== state.drawGen) return;
  t.drawn = performance.now();
  noteUpdated(t);
  // the other pages in view once the first is on screen
  if (order.length > 1) await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
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
    await page.render({ canvasContext: canvas.getContext("2d", { alpha: false }), viewport: vp }).promise;
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

// The page in view is drawn: counted, and its times kept (with the next
// animation frame, when it is on screen) for the tests and bench-preview.py.
function noteUpdated(t) {
  state.updates++;
  state.lastLatency = Math.round(t.drawn - t.edit);
  const p = $("#preview");
  p.dataset.updates = String(state.updates);
  p.dataset.latency = String(state.lastLatency);
  requestAnimationFrame(() => {
    t.painted = performance.now();
    state.timings.push(t);
    if (state.timings.length > 100) state.timings.shift();
    const ms = (a, b) => (t[a] !== undefined && t[b] !== undefined ? Math.round(t[b] - t[a]) : null);
    p.dataset.timing = JSON.stringify({ wait: ms("edit", "send"), server: ms("send", "answer"), open: ms("answer", "opened"),
      draw: ms("opened", "drawn"), frame: ms("drawn", "painted") });
  });
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
    if (j && typeof j === "object" && (j.issuer || j.issuers)) { main = j; break; }
  }
  if (!main) throw new Error("Không thấy tệp JSON của văn bản (tệp có mục \"issuer\" hoặc \"issuers\") trong các tệp đã chọn.");
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

// The rows of an annex as the grid shows them, in printed order: the data
// rows of a flat table, or the groups (each a row with its title) with their
// rows or nested groups below them. `ptr` is relative to the annex; `list`
// and `index` say where the row or group sits in the JSON.
function gridRows(a) {
  const out = [];
  const walk = (groups, base, depth, parents) => groups.forEach((g, i) => {
    if (!g || typeof g !== "object") return;
    const ptr = `${base}/groups/${i}`;
    const leaf = !Array.isArray(g.rows) && !Array.isArray(g.groups);
    out.push({ kind: "group", ptr, obj: g, depth, leaf, list: groups, index: i, parents });
    const up = parents.concat([g]);
    if (Array.isArray(g.groups)) walk(g.groups, ptr, depth + 1, up);
    else if (Array.isArray(g.rows)) g.rows.forEach((r, k) => out.push({ kind: "data", ptr: `${ptr}/rows/${k}`, obj: r, depth: depth + 1, list: g.rows, index: k, parents: up }));
  });
  if (Array.isArray(a.groups)) walk(a.groups, "", 0, []);
  else if (Array.isArray(a.rows)) a.rows.forEach((r, k) => out.push({ kind: "data", ptr: `/rows/${k}`, obj: r, depth: 0, list: a.rows, index: k, parents: [] }));
  return out;
}

// The column that carries a group's title: the first text column that is not the numbering.
function titleColumn(cols) { return cols.find(c => c.format === "text" && !c.numbering); }

// Where a cell's value lives: a data row's own key, or a group's title or "cells".
function cellHome(gr, c, cols) {
  if (gr.kind === "data") return { obj: gr.obj, key: c.key };
  if (c === titleColumn(cols)) return { obj: gr.obj, key: "title" };
  if (!gr.obj.cells || typeof gr.obj.cells !== "object") return { obj: null, key: c.key, make: () => (gr.obj.cells = {}) };
  return { obj: gr.obj.cells, key: c.key };
}

// A cell the clerk types into: input columns of data rows; on a group row its
// title, and the figures of a group that has no rows of its own.
function editableCell(gr, c, cols) {
  if (c.expr || c.numbering) return false;
  if (gr.kind === "data") return true;
  return c === titleColumn(cols) || c.format === "text" || gr.leaf;
}

function setupAnnexGrid() {
  $("#annex-pick").addEventListener("change", ev => { state.annex = +ev.target.value; state.selectedRow = -1; renderGrid(); });
  $("#annex-add-row").addEventListener("click", () => gridEdit("row"));
  $("#annex-add-group").addEventListener("click", () => gridEdit("group"));
  $("#annex-del-row").addEventListener("click", () => gridEdit("delete"));
}

function gridNote(text) { $("#annex-note").textContent = text || ""; }

// Adds a data row or a group after the selected one, or removes the selected row or group.
function gridEdit(what) {
  const a = annexes()[state.annex];
  if (!a) return;
  const rows = gridRows(a);
  const sel = rows[state.selectedRow];
  gridNote("");
  if (what === "delete") {
    if (!sel) { gridNote("Hãy chọn một dòng (bấm vào số thứ tự ở đầu dòng) rồi bấm Xóa."); return; }
    if (sel.kind === "group" && !sel.leaf && !confirm(`Xóa nhóm "${sel.obj.title || ""}" cùng mọi dòng trong nhóm?`)) return;
    sel.list.splice(sel.index, 1);
    dropStatedAbove(a, sel.parents);
    state.selectedRow = Math.min(state.selectedRow, gridRows(a).length - 1);
  } else if (what === "row") {
    const row = {};
    if (!sel && Array.isArray(a.rows)) a.rows.push(row);
    else if (!sel) {
      // the last group that holds rows
      const last = rows.filter(r => r.kind === "group" && Array.isArray(r.obj.rows)).pop();
      if (!last) { gridNote("Bảng này chia theo nhóm: hãy chọn một nhóm có dòng số liệu rồi bấm Thêm dòng."); return; }
      last.obj.rows.push(row);
    } else if (sel.kind === "data") sel.list.splice(sel.index + 1, 0, row);
    else if (Array.isArray(sel.obj.rows)) sel.obj.rows.push(row);
    else if (sel.leaf && !sel.obj.cells) sel.obj.rows = [row];
    else { gridNote("Nhóm này chia thành nhóm con hoặc có số liệu riêng: hãy chọn một dòng trong nhóm con rồi bấm Thêm dòng."); return; }
    dropStatedAbove(a, sel ? (sel.kind === "data" ? sel.parents : sel.parents.concat([sel.obj])) : []);
    const at = gridRows(a).findIndex(r => r.obj === row);
    state.selectedRow = at;
  } else {
    if (!Array.isArray(a.groups)) { gridNote("Bảng này không chia nhóm (các dòng nằm trong \"rows\"): thêm nhóm trong tệp JSON của phụ lục."); return; }
    const group = { title: "", rows: [{}] };
    let list = a.groups, at = a.groups.length;
    if (sel) {
      const g = sel.kind === "group" ? sel : rows.find(r => r.kind === "group" && r.obj === sel.parents[sel.parents.length - 1]);
      list = g.list; at = g.index + 1;
    }
    list.splice(at, 0, group);
    state.selectedRow = gridRows(a).findIndex(r => r.obj === group);
  }
  renderGrid();
  changed();
  const first = document.querySelector(`#grid-table tr[data-row="${state.selectedRow}"] td[contenteditable]`);
  if (first && what !== "delete") first.focus();
}

// An annex as the document prints it ("Phụ lục I"), once the server has resolved it.
function annexName(i) {
  const a = annexes()[i];
  return (a && a.label) || state.annexLabels[i] || (annexes().length > 1 ? `Phụ lục ${i + 1}` : "Phụ lục");
}

function renderAnnexPicker() {
  const pick = $("#annex-pick");
  pick.textContent = "";
  annexes().forEach((a, i) => pick.append(el("option", { value: i, text: annexName(i) + (a.title ? " — " + a.title : "") })));
  pick.value = state.annex;
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
  if (/^\s*[-–—?]\s*$/.test(text)) return null;  // a figure not known: printed as the column's mark
  return parseNumber(text, col);
}

// A number in Vietnamese notation as the clerk reads it: 18.286 · 11,26.
function shown(v, col) {
  if (v && typeof v === "object" && !Array.isArray(v)) v = v.value;  // {"value": …, "as_published": true, "equals": …}
  if (v === undefined) return "";
  if (v === null) return col.format === "text" ? "" : "-";
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
  for (const b of ["#annex-add-row", "#annex-add-group", "#annex-del-row"]) $(b).disabled = !a;
  if (!a) {
    box.append(el("p", { class: "note", text: "Văn bản này chưa có phụ lục. Mở một văn bản có phụ lục (ví dụ kế hoạch có Biểu tổng hợp) để sửa bảng tại đây." }));
    return;
  }
  $("#annex-add-group").disabled = !Array.isArray(a.groups);
  $("#annex-add-group").title = Array.isArray(a.groups) ? "Thêm một nhóm (dự án, tiểu dự án…) sau nhóm đang chọn, cùng cấp" : "Bảng này không chia nhóm";
  const cols = leafColumns(a.columns);
  const table = el("table", { class: "grid", id: "grid-table" });
  const head = el("tr", {}, el("th", { class: "rownum", text: "#" }), ...cols.map(c => el("th", {
    class: c.expr ? "computed" : "", title: c.expr ? "Cột tính toán: " + c.expr : (c.key || ""),
  }, c.header || c.key, c.label ? el("div", { class: "collabel", text: c.label }) : null)));
  table.append(el("thead", {}, head));
  const body = el("tbody");
  const base = `/annexes/${state.annex}`;
  gridRows(a).forEach((gr, r) => {
    const tr = el("tr", { "data-row": r, "data-pointer": base + gr.ptr,
      class: (gr.kind === "group" ? `group depth-${Math.min(gr.depth, 3)}` : "data") + (r === state.selectedRow ? " selected" : "") });
    tr.append(el("td", { class: "rownum", text: String(r + 1), title: "Chọn dòng này (để thêm dòng sau nó hoặc xóa nó)",
      onclick: () => { state.selectedRow = r; markSelected(); } }));
    cols.forEach((c, k) => {
      const edit = editableCell(gr, c, cols);
      const home = cellHome(gr, c, cols);
      const td = el("td", {
        class: (edit ? "" : "computed ") + (c.numbering ? "tt" : c.format === "text" ? "text" : "num"),
        "data-row": r, "data-col": k, "data-key": c.key || "",
      });
      if (c === titleColumn(cols) && gr.depth) td.style.paddingLeft = (6 + 14 * gr.depth) + "px";
      if (edit) {
        td.contentEditable = "true";
        td.textContent = home.obj ? shown(home.obj[home.key], c) : "";
        if (home.key === "title") td.dataset.placeholder = "Tên nhóm…";
        td.addEventListener("input", () => { setCell(a, gr, c, cols, td.textContent); changed(); });
        td.addEventListener("focus", () => { state.selectedRow = r; markSelected(); });
        td.addEventListener("paste", ev => pasteCells(ev, r, k));
        td.addEventListener("keydown", ev => gridKey(ev, r, k));
      }
      tr.append(td);
    });
    body.append(tr);
  });
  table.append(body);
  table.append(el("tfoot"));
  box.append(table);
  renderComputed();
}

// A value typed or pasted into a cell of a grid row.
function setCell(a, gr, c, cols, text) {
  const home = cellHome(gr, c, cols);
  const v = home.key === "title" ? text.trim() : cellValue(c, text);
  let obj = home.obj;
  if (!obj) { if (v === undefined) return; obj = home.make(); }
  const old = obj[home.key];
  if (old && typeof old === "object" && !Array.isArray(old) && home.key !== "title") {
    // a cell with more than its value (as published, equals another cell): the value changes
    if (v === undefined) delete old.value; else old.value = v;
    if (!("value" in old) && !("equals" in old)) delete obj[home.key];
  } else if (v === undefined) delete obj[home.key];
  else obj[home.key] = v;
  if (gr.kind === "group" && obj === gr.obj.cells && !Object.keys(obj).length && !gr.leaf) delete gr.obj.cells;
  if (home.key !== "title" && c.format !== "text") dropStated(a, gr);
}

function markSelected() {
  for (const tr of document.querySelectorAll("#grid-table tbody tr[data-row]")) tr.classList.toggle("selected", +tr.dataset.row === state.selectedRow);
}

function gridKey(ev, r, k) {
  const move = { ArrowDown: 1, ArrowUp: -1, Enter: 1 }[ev.key];
  if (!move) return;
  ev.preventDefault();
  for (let n = r + move; ; n += move) {
    const row = document.querySelector(`#grid-table tbody tr[data-row="${n}"]`);
    if (!row) return;
    const next = row.querySelector(`td[data-col="${k}"]`);
    if (next && next.isContentEditable) { next.focus(); return; }
  }
}

// Tab-separated text from Excel or LibreOffice, filled from the cell pasted
// into: line by line into the grid rows from there (group rows included, as
// the sheet has them), cell by cell into the columns a clerk types into.
function pasteCells(ev, r0, k0) {
  const text = (ev.clipboardData || window.clipboardData).getData("text/plain");
  if (!text || (!text.includes("\t") && !text.includes("\n"))) return;  // one value: the browser pastes it
  ev.preventDefault();
  const a = annexes()[state.annex];
  const cols = leafColumns(a.columns);
  const inputs = cols.map((c, k) => ({ c, k })).filter(x => !x.c.expr && !x.c.numbering);
  const lines = text.replace(/\r\n?/g, "\n").replace(/\n$/, "").split("\n");
  const startIdx = inputs.findIndex(x => x.k === k0);
  let rows = gridRows(a);
  lines.forEach((line, i) => {
    let gr = rows[r0 + i];
    if (!gr) {
      // past the last row: a new data row beside the last one
      const last = rows[rows.length - 1];
      const list = !last ? a.rows : last.kind === "data" ? last.list : Array.isArray(last.obj.rows) ? last.obj.rows : null;
      if (!list) return;
      list.push({});
      rows = gridRows(a);
      gr = rows[r0 + i];
      if (!gr) return;
    }
    line.split("\t").forEach((cell, j) => {
      const target = inputs[startIdx + j];
      if (target && editableCell(gr, target.c, cols)) setCell(a, gr, target.c, cols, cell);
    });
  });
  renderGrid();
  changed();
}

// Figures the table states for what it computes (a published rate, a declared
// subtotal or total) check a table as it was printed; once the clerk changes a
// row's figures the computed values must follow, so the row's computed cells
// and the stated sums above it (its groups' and the total's) are dropped. A
// cell that must equal another table's keeps that check.
// A figure stated over cells that are not known (a published total whose
// split is not given) stays: it is the only full figure there is, and the
// checker compares it with the known part (its warning "stated-over-unknown"
// names those cells).
function dropStated(a, gr) {
  const cols = leafColumns(a.columns);
  const row = gr.kind === "data" ? gr.obj : gr.obj.cells;
  if (row) for (const c of cols) if (c.expr) unstate(row, c.key);
  dropStatedAbove(a, gr.parents);
}

function dropStatedAbove(a, parents) {
  const cols = leafColumns(a.columns).filter(c => c.format !== "text" && !c.numbering && c.total !== "none");
  const base = `/annexes/${annexes().indexOf(a)}`;
  const over = new Set(((state.report && state.report.diagnostics) || []).filter(d => d.code === "stated-over-unknown").map(d => d.pointer));
  const ptrOf = new Map(gridRows(a).map(r => [r.obj, r.ptr]));
  const drop = (cells, at) => { for (const c of cols) if (!over.has(`${base}${at}/cells/${c.key}`)) unstate(cells, c.key); };
  for (const g of parents) if (g.cells && typeof g.cells === "object") drop(g.cells, ptrOf.get(g));
  if (a.total && a.total.cells) drop(a.total.cells, "/total");
}

function unstate(cells, key) {
  if (!(key in cells)) return;
  const v = cells[key];
  if (v && typeof v === "object" && !Array.isArray(v) && "equals" in v) cells[key] = { equals: v.equals };
  else delete cells[key];
}

// The server's resolved table: computed cells, numbering, subtotals and the
// total rows, shown live, and the header as the table prints it.
function renderComputed() {
  const a = annexes()[state.annex];
  const table = $("#grid-table");
  if (!a || !table || !state.tables) return;
  const t = state.tables[state.annex];
  if (!t) return;
  const cols = leafColumns(a.columns);
  const resolved = new Map();
  for (const row of t.rows) if (row.kind === "data" || row.kind === "group") resolved.set(row.pointer, row);
  for (const tr of table.querySelectorAll("tbody tr[data-row]")) {
    const row = resolved.get(tr.dataset.pointer);
    for (const td of tr.querySelectorAll("td.computed")) td.textContent = row ? row.cells[+td.dataset.col] || "" : "";
  }
  // A subtotal on a row of its own ("separate_row"), after its group's last row.
  for (const tr of table.querySelectorAll("tbody tr.subtotal")) tr.remove();
  const body = table.querySelector("tbody");
  for (const row of t.rows) {
    if (row.kind !== "subtotal") continue;
    const inside = Array.from(body.querySelectorAll("tr[data-row]")).filter(tr => tr.dataset.pointer === row.pointer || tr.dataset.pointer.startsWith(row.pointer + "/"));
    const tr = el("tr", { class: "subtotal" }, el("td", { class: "rownum", text: "" }), ...cols.map((c, k) => el("td", {
      class: "computed " + (c.numbering ? "tt" : c.format === "text" ? "text" : "num"), text: row.cells[k] || "" })));
    if (inside.length) inside[inside.length - 1].after(tr); else body.append(tr);
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
    if (row.kind !== "total") continue;
    foot.append(el("tr", { class: "total" }, el("td", { class: "rownum", text: "Σ", title: "Dòng tổng cộng" }), ...cols.map((c, k) => el("td", {
      class: c.numbering ? "tt" : c.format === "text" ? "text" : "num", text: row.cells[k] || "", "data-key": c.key || "",
    }))));
  }
}

// A diagnostic's place in an annex: the table, the grid row (a data row, a
// group, or the total) and the column, with a label a clerk can follow.
function annexPlace(ptr) {
  const m = ptr.match(/^\/annexes\/(\d+)(\/.*)?$/);
  if (!m) return { label: "Phụ lục" };
  const annex = +m[1], rest = m[2] || "";
  const a = annexes()[annex];
  const name = annexName(annex);
  if (!a) return { label: name, annex };
  const cols = leafColumns(a.columns);
  const colOf = tail => {
    const key = tail.replace(/^\/cells/, "").split("/")[1];
    return cols.find(c => c.key === key) || (key === "title" ? titleColumn(cols) : null);
  };
  const colText = c => (c ? ", cột " + (c.header || c.key) : "");
  const short = t => String(t || "").split(":")[0].trim();
  if (rest.startsWith("/total")) {
    const c = colOf(rest.slice(6));
    return { label: `${name}, dòng tổng cộng${colText(c)}`, annex, total: true, key: c && c.key };
  }
  let hit = null, at = -1;
  gridRows(a).forEach((r, i) => {
    if ((rest === r.ptr || rest.startsWith(r.ptr + "/")) && (!hit || r.ptr.length > hit.ptr.length)) { hit = r; at = i; }
  });
  if (!hit) return { label: name, annex };
  const c = colOf(rest.slice(hit.ptr.length));
  const group = hit.parents.length ? hit.parents[hit.parents.length - 1] : null;
  const what = hit.kind === "group" ? `nhóm "${short(hit.obj.title)}"`
    : `dòng ${hit.index + 1}` + (group ? ` của nhóm "${short(group.title)}"` : "");
  return { label: `${name}, ${what}${colText(c)}`, annex, row: at, key: c && c.key };
}

function annexCells(p) {
  if (p.annex !== state.annex) return [];
  const row = p.total ? "#grid-table tfoot tr.total" : p.row !== undefined ? `#grid-table tbody tr[data-row="${p.row}"]` : null;
  if (!row) return [];
  return Array.from(document.querySelectorAll(p.key ? `${row} td[data-key="${p.key}"]` : `${row} td`));
}

function markAnnexCell(ptr, text, severity) {
  for (const td of annexCells(annexPlace(ptr))) { td.classList.add(severity === "error" ? "invalid" : "warn"); td.title = text; }
}

function showAnnexCell(ptr) {
  const p = annexPlace(ptr);
  showTab("annex");
  if (p.annex !== undefined && p.annex !== state.annex) { state.annex = p.annex; $("#annex-pick").value = p.annex; renderGrid(); }
  const td = annexCells(p)[0];
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
      el("td", {}, el("button", { type: "button", class: "small", text: "Xem trước", disabled: !ready, onclick: () => previewRow(i + 1, rec.source.split(":").pop()) })),
      el("td", { class: "rownum", text: rec.source.split(":").pop() }),
      ...fields.map(f => el("td", { text: rec.fields[f] === undefined ? "" : String(rec.fields[f]) }))));
  });
  table.append(tb);
  box.append(el("p", { class: "note", text: `${body.count} dòng số liệu.` }), table);
}

// Record `row` (1-based), on line `line` of the data file (the "Dòng" column).
async function previewRow(row, line) {
  const which = `bản ghi thứ ${row} (dòng ${line} của bảng số liệu)`;
  const { fd } = batchForm();
  $("#batch-status").textContent = `Đang dựng văn bản của ${which}…`;
  const r = await api("api/batch/preview?format=pdf&row=" + row, { method: "POST", body: fd });
  if (r.status !== 200) {
    batchProblems(await r.json().catch(() => null));
    $("#batch-status").textContent = `Chưa dựng được văn bản của ${which}.`;
    return;
  }
  const bytes = new Uint8Array(await r.arrayBuffer());
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  $("#preview").classList.remove("stale");
  const now = performance.now();
  await drawPdf(btoa(bin), { edit: now, send: now, answer: now });
  setStatus(`Xem trước văn bản của ${which}: ${filenameOf(r, "")} — sửa văn bản đang soạn để quay lại.`, "ok");
  $("#batch-status").textContent = "";
}

start().catch(e => setStatus("Không khởi động được trang: " + e.message, "bad"));
