// The playground: pick a business and who is writing, chat with the assistant through the simulator
// channel, and watch the business's agenda. Plain DOM, no libraries; every text goes in as textContent.
"use strict";

const LABELS = {
  es: {
    business: "Negocio", sender: "Quién escribe", placeholder: "Escribe un mensaje", send: "Enviar",
    new_customer: "Cliente nuevo", customer: "Cliente", staff: "Personal", owner: "Dueño",
    agenda: "Agenda del día", today: "Hoy", closed: "Cerrado", open: "Abierto", noAppointments: "Sin citas",
    blocked: "Bloqueado", allDay: "todo el día", weekly: "cada semana", prev: "Día anterior", next: "Día siguiente",
    empty: "Escribe para hablar con el asistente.", noBusinesses: "No hay negocios de demostración.",
    writingAs: "Escribes como", owner_role: "dueño", employee_role: "personal",
    status: { pending: "Pendiente", confirmed: "Confirmada", completed: "Completada", cancelled: "Cancelada", no_show: "No asistió" },
  },
  en: {
    business: "Business", sender: "Who is writing", placeholder: "Type a message", send: "Send",
    new_customer: "New customer", customer: "Customer", staff: "Staff", owner: "Owner",
    agenda: "Agenda for the day", today: "Today", closed: "Closed", open: "Open", noAppointments: "No appointments",
    blocked: "Blocked", allDay: "all day", weekly: "every week", prev: "Previous day", next: "Next day",
    empty: "Write to talk to the assistant.", noBusinesses: "No demo businesses here.",
    writingAs: "Writing as", owner_role: "owner", employee_role: "staff",
    status: { pending: "Pending", confirmed: "Confirmed", completed: "Completed", cancelled: "Cancelled", no_show: "No-show" },
  },
  sw: {
    business: "Biashara", sender: "Anayeandika", placeholder: "Andika ujumbe", send: "Tuma",
    new_customer: "Mteja mpya", customer: "Mteja", staff: "Mfanyakazi", owner: "Mmiliki",
    agenda: "Ratiba ya siku", today: "Leo", closed: "Imefungwa", open: "Wazi", noAppointments: "Hakuna miadi",
    blocked: "Imezuiwa", allDay: "siku nzima", weekly: "kila wiki", prev: "Siku iliyopita", next: "Siku inayofuata",
    empty: "Andika ili kuzungumza na msaidizi.", noBusinesses: "Hakuna biashara za majaribio.",
    writingAs: "Unaandika kama", owner_role: "mmiliki", employee_role: "mfanyakazi",
    status: { pending: "Inasubiri", confirmed: "Imethibitishwa", completed: "Imekamilika", cancelled: "Imeghairiwa", no_show: "Hakufika" },
  },
};

const state = {
  businesses: [],
  business: null,
  senders: [],
  sender: null,
  threadKey: "",
  agendaDate: null,
  agendaKey: "",
  lastMessageCount: 0,
  timer: null,
};

const $ = (id) => document.getElementById(id);

function language() {
  const code = (state.business?.locale || navigator.language || "es").slice(0, 2).toLowerCase();
  return LABELS[code] ? code : "en";
}

function t() {
  return LABELS[language()];
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

async function api(path, options) {
  const response = await fetch(`/playground/api${path}`, {
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    ...options,
  });
  const body = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    const detail = body?.errors ? Object.values(body.errors).flat().join(" ") : body?.detail;
    throw new Error(detail || `HTTP ${response.status}`);
  }
  return body;
}

function applyLabels() {
  const l = t();
  document.documentElement.lang = language();
  $("label-business").textContent = l.business;
  $("label-sender").textContent = l.sender;
  $("text").placeholder = l.placeholder;
  $("send").setAttribute("aria-label", l.send);
  $("agenda-title").textContent = l.agenda;
  $("agenda-prev").setAttribute("aria-label", l.prev);
  $("agenda-next").setAttribute("aria-label", l.next);
  $("business-name").textContent = state.business?.name || "Karibu";
  $("avatar").textContent = (state.business?.name || "K").trim().charAt(0).toUpperCase();
}

function senderLabel(s) {
  const l = t();
  const kind = l[s.kind] || s.kind;
  return s.kind === "new_customer" ? `${kind} (${s.phone})` : `${s.name || s.phone} · ${kind}`;
}

async function loadBusinesses() {
  const list = await api("/businesses");
  state.businesses = list.data;
  const select = $("business");
  select.replaceChildren(...state.businesses.map((b) => {
    const option = el("option", null, b.name);
    option.value = b.id;
    return option;
  }));
  if (state.businesses.length === 0) {
    applyLabels();
    $("empty").hidden = false;
    $("empty").textContent = t().noBusinesses;
    $("text").disabled = true;
    $("send").disabled = true;
    return;
  }
  const wanted = new URLSearchParams(location.search).get("business");
  const chosen = state.businesses.find((b) => b.id === wanted) || state.businesses[0];
  select.value = chosen.id;
  await chooseBusiness(chosen.id);
}

async function chooseBusiness(id) {
  state.business = state.businesses.find((b) => b.id === id) || null;
  state.agendaDate = null;
  applyLabels();
  const list = await api(`/businesses/${state.business.id}/senders`);
  state.senders = list.data;
  const select = $("sender");
  select.replaceChildren(...state.senders.map((s) => {
    const option = el("option", null, senderLabel(s));
    option.value = s.id;
    option.dataset.kind = s.kind;
    return option;
  }));
  select.value = state.senders[0].id;
  chooseSender(state.senders[0].id);
  await refreshAgenda();
}

function chooseSender(id) {
  state.sender = state.senders.find((s) => s.id === id) || null;
  state.threadKey = "";
  state.lastMessageCount = 0;
  $("thread").replaceChildren();
  const l = t();
  $("chat-subtitle").textContent = state.sender ? `${l.writingAs}: ${senderLabel(state.sender)}` : "";
  refreshThread();
}

async function send(body) {
  if (!state.business || !state.sender) return;
  $("send").disabled = true;
  try {
    await api(`/businesses/${state.business.id}/messages`, {
      method: "POST",
      body: JSON.stringify({ sender: state.sender.id, ...body }),
    });
    await refreshThread();
  } catch (error) {
    showError(error.message);
  } finally {
    $("send").disabled = false;
  }
}

function showError(message) {
  const item = el("li", "bubble out failed", message);
  $("thread").append(item);
  item.scrollIntoView({ block: "end" });
}

async function refreshThread() {
  if (!state.business || !state.sender) return;
  const business = state.business.id;
  const sender = state.sender.id;
  let thread;
  try {
    thread = await api(`/businesses/${business}/thread?sender=${encodeURIComponent(sender)}`);
  } catch {
    return;
  }
  if (state.business?.id !== business || state.sender?.id !== sender) return;
  const key = thread.messages.map((m) => `${m.id}:${m.status}`).join("|");
  $("empty").hidden = thread.messages.length > 0;
  $("empty").textContent = t().empty;
  if (key === state.threadKey) return;
  state.threadKey = key;
  renderThread(thread.messages);
  if (thread.messages.length !== state.lastMessageCount) {
    state.lastMessageCount = thread.messages.length;
    // A reply may have booked, moved or cancelled something.
    refreshAgenda();
  }
}

function renderThread(messages) {
  const list = $("thread");
  list.replaceChildren(...messages.map(renderMessage));
  list.scrollTop = list.scrollHeight;
}

function renderMessage(m) {
  const inbound = m.direction === "inbound";
  const item = el("li", `bubble ${inbound ? "in" : "out"}${m.status === "failed" ? " failed" : ""}`);
  item.dataset.id = m.id;
  item.dataset.senderType = m.sender_type;
  item.append(el("span", "body", m.body || `[${m.content_type}]`));
  const meta = el("span", "meta", m.time);
  if (!inbound && ["sent", "delivered", "read"].includes(m.status)) {
    meta.append(el("span", "tick", "✓✓"));
  }
  item.append(meta);
  if (m.choices && m.choices.options.length > 0) {
    const choices = el("div", `choices ${m.choices.type}`);
    if (m.choices.button) choices.append(el("div", "list-title", m.choices.button));
    for (const option of m.choices.options) {
      const button = el("button", "choice", option.title);
      button.type = "button";
      button.dataset.id = option.id;
      if (option.description) button.append(el("small", null, option.description));
      button.addEventListener("click", () =>
        send({ reply: { type: m.choices.type, id: option.id, title: option.title } }));
      choices.append(button);
    }
    item.append(choices);
  }
  return item;
}

function formatDay(isoDate) {
  const [y, mo, d] = isoDate.split("-").map(Number);
  const date = new Date(Date.UTC(y, mo - 1, d));
  const locale = state.business?.locale || "es-MX";
  try {
    return new Intl.DateTimeFormat(locale, { weekday: "long", day: "numeric", month: "long", timeZone: "UTC" }).format(date);
  } catch {
    return isoDate;
  }
}

function shiftDay(isoDate, days) {
  const [y, mo, d] = isoDate.split("-").map(Number);
  const date = new Date(Date.UTC(y, mo - 1, d + days));
  return date.toISOString().slice(0, 10);
}

async function refreshAgenda() {
  if (!state.business) return;
  const business = state.business.id;
  const query = state.agendaDate ? `?date=${state.agendaDate}` : "";
  let agenda;
  try {
    agenda = await api(`/businesses/${business}/agenda${query}`);
  } catch {
    return;
  }
  if (state.business?.id !== business) return;
  state.agendaDate = agenda.date;
  const key = JSON.stringify(agenda);
  if (key === state.agendaKey) return;
  state.agendaKey = key;
  renderAgenda(agenda);
}

function renderAgenda(agenda) {
  const l = t();
  const day = formatDay(agenda.date);
  $("agenda-day").textContent = agenda.date === agenda.today ? `${l.today}, ${day}` : day;
  $("agenda").dataset.date = agenda.date;
  $("agenda-hours").textContent = agenda.open.length === 0
    ? l.closed
    : `${l.open}: ${agenda.open.map((o) => `${o.open}–${o.close}`).join(", ")}`;
  const columns = agenda.staff.map((s) => {
    const column = el("div", "staff");
    column.dataset.staffId = s.id;
    const title = el("h3", null, `${s.name} `);
    title.append(el("small", null, s.role === "owner" ? l.owner_role : l.employee_role));
    column.append(title);
    const list = el("ul");
    const entries = [
      ...s.blocks.map((b) => ({ at: b.start || "00:00", node: renderBlock(b) })),
      ...s.appointments.map((a) => ({ at: a.start, node: renderAppointment(a) })),
    ].sort((x, y) => x.at.localeCompare(y.at));
    if (entries.length === 0) list.append(el("li", "none", l.noAppointments));
    for (const entry of entries) list.append(entry.node);
    column.append(list);
    return column;
  });
  $("agenda-columns").replaceChildren(...columns);
}

function renderAppointment(a) {
  const l = t();
  const item = el("li", `appt ${a.status}`);
  item.dataset.id = a.id;
  item.append(el("span", "time", `${a.start}–${a.end} `));
  item.append(el("span", "status", l.status[a.status] || a.status));
  item.append(el("div", "service", a.service));
  item.append(el("div", "customer", a.customer));
  return item;
}

function renderBlock(b) {
  const l = t();
  const when = b.start && b.end ? `${b.start}–${b.end}` : l.allDay;
  const text = `${when} · ${l.blocked}${b.recurring ? ` (${l.weekly})` : ""}${b.note ? ` — ${b.note}` : ""}`;
  return el("li", "block", text);
}

function start() {
  $("business").addEventListener("change", (e) => chooseBusiness(e.target.value));
  $("sender").addEventListener("change", (e) => chooseSender(e.target.value));
  $("composer").addEventListener("submit", (e) => {
    e.preventDefault();
    const input = $("text");
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    send({ text });
    input.focus();
  });
  $("agenda-prev").addEventListener("click", () => {
    if (!state.agendaDate) return;
    state.agendaDate = shiftDay(state.agendaDate, -1);
    refreshAgenda();
  });
  $("agenda-next").addEventListener("click", () => {
    if (!state.agendaDate) return;
    state.agendaDate = shiftDay(state.agendaDate, 1);
    refreshAgenda();
  });
  loadBusinesses().catch((error) => showError(error.message));
  // Replies arrive a moment after the message is stored (the inbox worker runs the assistant): poll.
  state.timer = setInterval(refreshThread, 1000);
  setInterval(refreshAgenda, 5000);
}

document.addEventListener("DOMContentLoaded", start);
