// The browser chat page of the Telegram emulator: a person plays a Telegram user against the bot.
// It talks only to the emulator's control API (same origin): actions as POST /control/chats/{id}/...,
// a snapshot from GET /control/chats/{id}, then live changes from the long-poll GET /control/events.
// Everything the bot wrote is put into the page as DOM text nodes, never as HTML: its formatting comes
// from the message entities (bold, links...), so nothing the bot or a user sends can run in the page.

const POLL_TIMEOUT_MS = 25000;
const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 10000;
const PRESS_WAIT_MS = 15000;
const PAY_WAIT_MS = 12000;

const $ = (id) => document.getElementById(id);
const els = {
  app: $('app'), panel: $('panel'), panelToggle: $('panel-toggle'), userForm: $('user-form'),
  userId: $('user-id'), userName: $('user-name'), userLang: $('user-lang'), newUser: $('new-user'),
  chatList: $('chat-list'), chatListEmpty: $('chat-list-empty'), botName: $('bot-name'), botStatus: $('bot-status'),
  me: $('me'), conn: $('conn'), scroller: $('scroller'), empty: $('empty'), startButton: $('start-button'),
  messages: $('messages'), jump: $('jump'), replyKeyboard: $('reply-keyboard'), composer: $('composer'),
  text: $('text'), photoInput: $('photo-input'), documentInput: $('document-input'), toasts: $('toasts'),
  alert: $('alert'), alertText: $('alert-text'),
};

/** What the page knows; reset on every (re)sync. */
const state = {
  profile: null,          // {id, first_name, language_code}
  generation: 0,          // bumps when the user changes: stale loops stop
  abort: null,            // AbortController of the waiting long poll
  cursor: 0,
  instance: null,
  messages: new Map(),    // message_id -> control JSON {message_id, from_bot, kind, deleted, edit_count, message}
  deleted: new Set(),
  payments: new Map(),    // invoice message_id -> {status, error_message}
  botName: 'Bot',
  typingTimer: null,
};

// ---- HTTP ----------------------------------------------------------------------------------------------------

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function http(method, path, body, signal) {
  const init = { method, signal, headers: {} };
  if (body instanceof FormData) {
    init.body = body;
  } else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(path, init);
  let json = null;
  try {
    json = await response.json();
  } catch {
    // not JSON: keep null
  }
  if (!response.ok) {
    throw new HttpError(response.status, (json && json.error) || `HTTP ${response.status}`);
  }
  return json;
}

const chatPath = (suffix = '') => `/control/chats/${encodeURIComponent(state.profile.id)}${suffix}`;
const fileUrl = (fileId) => `/control/files/${encodeURIComponent(fileId)}`;

/** The profile fields that go with every action, so the bot sees this name and language. */
function profileFields() {
  return { first_name: state.profile.first_name, language_code: state.profile.language_code };
}

// ---- the user ------------------------------------------------------------------------------------------------

const STORAGE_KEY = 'neurocards.webchat.profile';

function initialProfile() {
  const hash = new URLSearchParams(location.hash.slice(1));
  let saved = null;
  try {
    saved = JSON.parse(localStorage.getItem(STORAGE_KEY) || 'null');
  } catch {
    saved = null;
  }
  const id = Number(hash.get('user') || (saved && saved.id) || randomUserId());
  const name = hash.get('name') || (saved && saved.id === id && saved.first_name);
  return {
    id,
    first_name: name || `Seller ${id}`,
    language_code: hash.get('lang') || (saved && saved.id === id && saved.language_code) || 'ru',
    // Only an id: the chat's own user (if the emulator has one) gives the name and language.
    adopt: !name,
  };
}

function randomUserId() {
  return 100000 + Math.floor(Math.random() * 900000);
}

function fillForm(profile) {
  els.userId.value = String(profile.id);
  els.userName.value = profile.first_name;
  els.userLang.value = profile.language_code === 'en' ? 'en' : 'ru';
}

/** Shows and remembers the profile being played (without reopening the chat). */
function showProfile(profile) {
  state.profile = profile;
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ id: profile.id, first_name: profile.first_name,
      language_code: profile.language_code }));
  } catch {
    // private mode: the hash still names the user
  }
  fillForm(profile);
  els.me.textContent = `${profile.first_name} · ${profile.id} · ${profile.language_code}`;
  document.title = `${profile.first_name} ↔ ${state.botName} — NeuroCards chat`;
}

function openChat(profile) {
  showProfile(profile);
  const hash = `#user=${profile.id}`;
  if (location.hash !== hash) {
    history.replaceState(null, '', hash);
  }
  markCurrentChat();
  setPanelOpen(false);
  state.generation += 1;
  if (state.abort) {
    state.abort.abort();
  }
  clearChat();
  follow(state.generation);
  els.text.focus();
}

async function refreshChatList() {
  let chats = [];
  try {
    chats = await http('GET', '/control/chats');
  } catch {
    return;
  }
  els.chatList.replaceChildren(...chats.map((chat) => {
    const li = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'chat-item';
    button.dataset.chatId = String(chat.chat_id);
    const name = document.createElement('span');
    name.className = 'chat-item-name';
    name.textContent = `${chat.user.first_name} (${chat.chat_id})`;
    const last = document.createElement('span');
    last.className = 'chat-item-last';
    last.textContent = chat.last_message ? summary(chat.last_message) : '';
    button.append(name, last);
    button.addEventListener('click', () => openChat({
      id: chat.chat_id, first_name: chat.user.first_name, language_code: chat.user.language_code || 'ru',
    }));
    li.append(button);
    return li;
  }));
  els.chatListEmpty.hidden = chats.length > 0;
  markCurrentChat();
}

let chatListTimer = null;

function scheduleChatListRefresh() {
  clearTimeout(chatListTimer);
  chatListTimer = setTimeout(refreshChatList, 300);
}

function markCurrentChat() {
  for (const button of els.chatList.querySelectorAll('.chat-item')) {
    const current = state.profile && button.dataset.chatId === String(state.profile.id);
    button.setAttribute('aria-current', current ? 'true' : 'false');
  }
}

function summary(control) {
  const m = control.message || {};
  if (m.text) return m.text.slice(0, 60);
  if (m.caption) return m.caption.slice(0, 60);
  return `[${control.kind}]`;
}

function setPanelOpen(open) {
  els.app.classList.toggle('panel-open', open);
  els.panelToggle.setAttribute('aria-expanded', String(open));
  if (open) {
    refreshChatList();
    if (matchMedia('(max-width: 760px)').matches) setTimeout(() => els.userId.focus(), 50);
  }
}

// ---- following the chat: snapshot, then the events long poll -------------------------------------------------

function setConnection(kind, text) {
  els.conn.dataset.state = kind;
  els.conn.textContent = text;
}

async function resync(signal) {
  const now = await http('GET', '/control/events/cursor', undefined, signal);
  let chat = null;
  try {
    chat = await http('GET', chatPath(), undefined, signal);
  } catch (e) {
    if (!(e instanceof HttpError && e.status === 404)) throw e;
  }
  clearChat();
  state.cursor = now.cursor;
  state.instance = now.instance;
  if (chat && state.profile.adopt) {
    showProfile({ id: state.profile.id, first_name: chat.user.first_name, language_code: chat.user.language_code || 'ru' });
  }
  if (chat) {
    for (const attempt of chat.payments || []) {
      state.payments.set(attempt.invoice_message_id, attempt);
    }
    for (const message of chat.messages) {
      upsert(message, false);
    }
  }
  updateEmpty();
  scrollToBottom(true);
}

/** Follows the open chat until the user changes; reconnects with backoff when the emulator is away. */
async function follow(generation) {
  let backoff = BACKOFF_MIN_MS;
  let synced = false;
  while (generation === state.generation) {
    const abort = new AbortController();
    state.abort = abort;
    try {
      if (!synced) {
        await resync(abort.signal);
        synced = true;
        refreshChatList();
      }
      setConnection('online', 'online');
      const query = `since=${state.cursor}&timeout_ms=${POLL_TIMEOUT_MS}&chat_id=${encodeURIComponent(state.profile.id)}`;
      const answer = await http('GET', `/control/events?${query}`, undefined, abort.signal);
      if (generation !== state.generation) return;
      if (answer.instance && answer.instance !== state.instance) {
        synced = false; // the emulator restarted or was reset: start over from a new snapshot
        continue;
      }
      for (const event of answer.events) {
        apply(event);
      }
      state.cursor = answer.cursor;
      backoff = BACKOFF_MIN_MS;
    } catch (e) {
      if (generation !== state.generation) return;
      synced = false;
      setConnection('offline', `reconnecting in ${Math.round(backoff / 1000)} s…`);
      await sleep(backoff + Math.random() * backoff * 0.3);
      backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
      if (generation === state.generation) setConnection('connecting', 'connecting…');
    }
  }
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function apply(event) {
  const data = event.data || {};
  switch (event.type) {
    case 'bot_message':
    case 'user_message':
    case 'message_edited':
      upsert(data, true);
      if (event.type !== 'user_message') setTyping(null);
      break;
    case 'message_deleted':
      remove(event.message_id);
      break;
    case 'chat_action':
      setTyping(data.action);
      break;
    case 'pre_checkout_answer':
      if (!data.ok) setPayment(event.message_id, { status: 'DECLINED', error_message: data.error_message });
      else setPayment(event.message_id, { status: 'PAID' });
      break;
    case 'payment_expired':
      setPayment(event.message_id, { status: 'EXPIRED' });
      break;
    case 'blocked':
    case 'unblocked':
      toast(event.type === 'blocked' ? 'You blocked the bot' : 'You unblocked the bot');
      break;
    default:
      break; // callback_query, callback_answer, pre_checkout_query, refund: shown by their own flows
  }
}

// ---- the message list -----------------------------------------------------------------------------------------

function clearChat() {
  state.messages.clear();
  state.deleted.clear();
  state.payments.clear();
  els.messages.replaceChildren();
  renderReplyKeyboard();
  updateEmpty();
}

function updateEmpty() {
  els.empty.hidden = state.messages.size > 0;
}

/** Adds or updates one message; an older version (fewer edits) than the one shown is ignored. */
function upsert(full, live) {
  const { history, ...control } = full; // earlier versions are not shown
  const id = control.message_id;
  if (control.deleted || state.deleted.has(id)) {
    if (control.deleted) remove(id);
    return;
  }
  const known = state.messages.get(id);
  if (known && (control.edit_count ?? 0) < (known.edit_count ?? 0)) return;
  if (known && JSON.stringify(known) === JSON.stringify(control)) return;
  const stick = isNearBottom();
  state.messages.set(id, control);
  let li = els.messages.querySelector(`li[data-message-id="${id}"]`);
  if (!li) {
    li = document.createElement('li');
    li.dataset.messageId = String(id);
    insertInOrder(li, id);
  }
  renderMessage(li, control);
  if (control.reply_keyboard || (control.from_bot && !known)) renderReplyKeyboard();
  updateEmpty();
  if (live && !els.chatList.querySelector(`[data-chat-id="${state.profile.id}"]`)) scheduleChatListRefresh();
  if (live) {
    if (stick || !control.from_bot) scrollToBottom(false);
    else els.jump.hidden = false;
  }
}

function insertInOrder(li, id) {
  for (const other of els.messages.children) {
    if (Number(other.dataset.messageId) > id) {
      els.messages.insertBefore(li, other);
      return;
    }
  }
  els.messages.append(li);
}

function remove(id) {
  state.deleted.add(id);
  state.messages.delete(id);
  const li = els.messages.querySelector(`li[data-message-id="${id}"]`);
  if (li) li.remove();
  renderReplyKeyboard();
  updateEmpty();
}

function isNearBottom() {
  const s = els.scroller;
  return s.scrollHeight - s.scrollTop - s.clientHeight < 120;
}

function scrollToBottom(instant) {
  requestAnimationFrame(() => {
    els.scroller.scrollTo({ top: els.scroller.scrollHeight, behavior: instant ? 'auto' : 'smooth' });
    els.jump.hidden = true;
  });
}

const SERVICE_KINDS = new Set(['successful_payment', 'refunded_payment']);

function renderMessage(li, control) {
  const m = control.message;
  const service = SERVICE_KINDS.has(control.kind);
  li.className = `msg ${service ? 'service' : control.from_bot ? 'in' : 'out'} kind-${control.kind}`;
  li.dataset.editCount = String(control.edit_count || 0);
  if (service) {
    li.replaceChildren(serviceText(control));
    return;
  }
  // Keep a playing video (or a loaded image) when only the caption or the buttons change.
  const oldMedia = li.querySelector(':scope > .bubble > .media');
  const bubble = document.createElement('div');
  bubble.className = 'bubble';
  const label = document.createElement('span');
  label.className = 'visually-hidden';
  label.textContent = control.from_bot ? `${state.botName}:` : 'You:';
  bubble.append(label);
  if (m.reply_to_message) bubble.append(quote(m.reply_to_message));
  const media = mediaFor(control, oldMedia);
  if (media) bubble.append(media);
  if (control.kind === 'invoice') bubble.append(invoiceCard(control));
  const body = m.text ?? m.caption;
  if (body) {
    const text = document.createElement('div');
    text.className = 'text';
    text.append(formatted(body, m.entities || m.caption_entities || []));
    bubble.append(text);
  }
  bubble.append(meta(m, control.edit_count));
  const parts = [bubble];
  const keyboard = inlineKeyboard(control);
  if (keyboard) parts.push(keyboard);
  li.replaceChildren(...parts);
}

function meta(m, editCount) {
  const span = document.createElement('span');
  span.className = 'meta';
  if (editCount > 0) {
    const edited = document.createElement('span');
    edited.className = 'edited';
    edited.textContent = 'edited';
    span.append(edited, ' ');
  }
  const time = document.createElement('time');
  const date = new Date((m.edit_date || m.date) * 1000);
  time.dateTime = date.toISOString();
  time.title = new Date(m.date * 1000).toLocaleString();
  time.textContent = new Date(m.date * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  span.append(time);
  return span;
}

function quote(replied) {
  const q = document.createElement('blockquote');
  q.className = 'reply-quote';
  const who = document.createElement('strong');
  who.textContent = replied.from && replied.from.is_bot ? state.botName : 'You';
  const what = document.createElement('span');
  what.textContent = (replied.text || replied.caption || '[media]').slice(0, 80);
  q.append(who, what);
  return q;
}

function serviceText(control) {
  const m = control.message;
  const span = document.createElement('span');
  span.className = 'service-text';
  if (control.kind === 'successful_payment') {
    const p = m.successful_payment;
    span.textContent = `You paid ${amount(p.currency, p.total_amount)} ✓`;
  } else {
    const p = m.refunded_payment;
    span.textContent = `Refunded ${amount(p.currency, p.total_amount)}`;
  }
  return span;
}

function amount(currency, total) {
  return currency === 'XTR' ? `⭐ ${total}` : `${total} ${currency}`;
}

// ---- media ----------------------------------------------------------------------------------------------------

function mediaFor(control, oldMedia) {
  const m = control.message;
  let fileId = null;
  let build = null;
  if (Array.isArray(m.photo) && m.photo.length) {
    const largest = m.photo[m.photo.length - 1];
    fileId = largest.file_id;
    build = () => {
      const img = document.createElement('img');
      img.src = fileUrl(fileId);
      img.alt = m.caption ? `Photo: ${m.caption}` : 'Photo';
      img.loading = 'lazy';
      img.width = largest.width;
      img.height = largest.height;
      return img;
    };
  } else if (m.video) {
    fileId = m.video.file_id;
    build = () => {
      const video = document.createElement('video');
      video.controls = true;
      video.playsInline = true;
      video.setAttribute('playsinline', '');
      video.preload = 'metadata';
      video.src = fileUrl(fileId);
      if (m.video.width && m.video.height) {
        video.width = m.video.width;
        video.height = m.video.height;
      }
      video.setAttribute('aria-label', m.video.file_name ? `Video ${m.video.file_name}` : 'Video');
      return video;
    };
  } else if (m.document) {
    fileId = m.document.file_id;
    build = () => fileCard(m.document);
  } else if (m.sticker) {
    fileId = m.sticker.file_id;
    build = () => {
      const s = document.createElement('span');
      s.className = 'sticker';
      s.setAttribute('role', 'img');
      s.setAttribute('aria-label', `Sticker ${m.sticker.emoji || ''}`);
      s.textContent = m.sticker.emoji || '🖼️';
      return s;
    };
  } else if (m.voice) {
    fileId = m.voice.file_id;
    build = () => {
      const s = document.createElement('span');
      s.className = 'voice';
      s.textContent = `🎤 Voice message, ${duration(m.voice.duration)}`;
      return s;
    };
  }
  if (!build) return null;
  if (oldMedia && oldMedia.dataset.fileId === fileId) return oldMedia;
  const wrap = document.createElement('div');
  wrap.className = `media media-${control.kind}`;
  wrap.dataset.fileId = fileId;
  wrap.append(build());
  return wrap;
}

function fileCard(doc) {
  const a = document.createElement('a');
  a.className = 'file';
  a.href = fileUrl(doc.file_id);
  a.download = doc.file_name || 'file';
  const icon = document.createElement('span');
  icon.className = 'file-icon';
  icon.append(svgIcon(FILE_ICON));
  const name = document.createElement('span');
  name.className = 'file-name';
  name.textContent = doc.file_name || 'file';
  const size = document.createElement('span');
  size.className = 'file-size';
  size.textContent = `${bytes(doc.file_size)}${doc.mime_type ? ` · ${doc.mime_type}` : ''} · download`;
  const text = document.createElement('span');
  text.className = 'file-text';
  text.append(name, size);
  a.append(icon, text);
  return a;
}

const FILE_ICON = 'M14 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8l-6-6zm-1 7V3.5L18.5 9H13z';

/** A decorative 24×24 icon from constant path data (no markup parsing). */
function svgIcon(d) {
  const NS = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '24');
  svg.setAttribute('height', '24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = document.createElementNS(NS, 'path');
  path.setAttribute('fill', 'currentColor');
  path.setAttribute('d', d);
  svg.append(path);
  return svg;
}

function bytes(n) {
  if (n == null) return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function duration(seconds) {
  const s = Math.max(0, Number(seconds) || 0);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

// ---- formatted text (entities) -------------------------------------------------------------------------------

/** Text with Telegram entities as DOM nodes. Offsets are UTF-16 code units, as JavaScript strings count. */
function formatted(text, entities) {
  const sorted = [...entities]
    .filter((e) => Number.isInteger(e.offset) && Number.isInteger(e.length) && e.length > 0)
    .sort((a, b) => a.offset - b.offset || b.length - a.length);
  const fragment = document.createDocumentFragment();
  build(fragment, text, 0, text.length, sorted);
  return fragment;
}

function build(parent, text, start, end, entities) {
  let pos = start;
  let i = 0;
  while (i < entities.length) {
    const e = entities[i];
    const from = Math.max(e.offset, pos);
    if (from >= end) break;
    const to = Math.min(e.offset + e.length, end);
    i += 1;
    if (to <= from) continue;
    if (from > pos) parent.append(text.slice(pos, from));
    const inner = [];
    while (i < entities.length && entities[i].offset < to) {
      inner.push(entities[i]);
      i += 1;
    }
    const el = elementFor(e, text.slice(from, to));
    build(el, text, from, to, inner);
    parent.append(el);
    pos = to;
  }
  if (pos < end) parent.append(text.slice(pos, end));
}

const SAFE_URL = /^(https?:|tg:|mailto:)/i;

function elementFor(entity, content) {
  const tag = {
    bold: 'strong', italic: 'em', underline: 'u', strikethrough: 's', code: 'code', pre: 'pre',
    blockquote: 'blockquote', expandable_blockquote: 'blockquote',
  }[entity.type];
  if (tag) {
    const el = document.createElement(tag);
    if (entity.type === 'pre' && entity.language) el.dataset.language = entity.language;
    return el;
  }
  if (entity.type === 'text_link' || entity.type === 'url') {
    const href = entity.type === 'url' ? (/^[a-z]+:/i.test(content) ? content : `https://${content}`) : entity.url;
    if (href && SAFE_URL.test(href)) {
      const a = document.createElement('a');
      a.href = href;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      return a;
    }
  }
  if (entity.type === 'bot_command') {
    const a = document.createElement('a');
    a.href = '#';
    a.className = 'command';
    a.addEventListener('click', (ev) => {
      ev.preventDefault();
      sendText(content);
    });
    return a;
  }
  const span = document.createElement('span');
  span.className = `entity-${String(entity.type).replace(/[^a-z_]/gi, '')}`;
  if (entity.type === 'spoiler') {
    span.tabIndex = 0;
    span.title = 'Spoiler: click to show';
    const reveal = () => span.classList.add('revealed');
    span.addEventListener('click', reveal);
    span.addEventListener('keydown', (ev) => { if (ev.key === 'Enter' || ev.key === ' ') reveal(); });
  }
  return span;
}

// ---- inline keyboards and button presses ---------------------------------------------------------------------

function inlineKeyboard(control) {
  const markup = control.message.reply_markup;
  const rows = markup && markup.inline_keyboard;
  if (!Array.isArray(rows) || !rows.length) return null;
  const box = document.createElement('div');
  box.className = 'keyboard';
  box.setAttribute('role', 'group');
  box.setAttribute('aria-label', 'Buttons');
  for (const row of rows) {
    const line = document.createElement('div');
    line.className = 'keyboard-row';
    for (const b of row) line.append(inlineButton(control, b));
    box.append(line);
  }
  return box;
}

function inlineButton(control, b) {
  if (b.url && SAFE_URL.test(b.url)) {
    const a = document.createElement('a');
    a.className = 'kb-button';
    a.href = b.url;
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    a.textContent = `${b.text} ↗`;
    return a;
  }
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'kb-button';
  button.textContent = b.text;
  if (b.pay) {
    button.addEventListener('click', () => pay(control.message_id, button));
  } else if (b.callback_data != null) {
    button.dataset.callbackData = b.callback_data;
    button.addEventListener('click', () => press(control.message_id, b.callback_data, button));
  } else {
    button.disabled = true;
    button.title = 'This kind of button is not emulated';
  }
  return button;
}

async function press(messageId, data, button) {
  if (button.getAttribute('aria-busy') === 'true') return;
  button.setAttribute('aria-busy', 'true');
  try {
    const answer = await http('POST', chatPath('/press'), {
      message_id: messageId, callback_data: data, wait_ms: PRESS_WAIT_MS, ...profileFields(),
    });
    if (!answer.answered) {
      toast('The bot did not answer the button (Telegram would keep it loading, then give up).', 'warn');
    } else if (answer.url) {
      toast(`The bot answered with a URL: ${answer.url}`);
    } else if (answer.text) {
      if (answer.show_alert) showAlert(answer.text);
      else toast(answer.text);
    }
  } catch (e) {
    toast(`Could not press the button: ${e.message}`, 'error');
  } finally {
    button.removeAttribute('aria-busy');
  }
}

// ---- invoices (Telegram Stars) --------------------------------------------------------------------------------

function invoiceCard(control) {
  const inv = control.message.invoice;
  const card = document.createElement('div');
  card.className = 'invoice';
  const title = document.createElement('strong');
  title.className = 'invoice-title';
  title.textContent = inv.title;
  const description = document.createElement('p');
  description.className = 'invoice-description';
  description.textContent = inv.description;
  const price = document.createElement('p');
  price.className = 'invoice-price';
  price.textContent = amount(inv.currency, inv.total_amount);
  card.append(title, description, price);
  const hasPayButton = ((control.message.reply_markup || {}).inline_keyboard || []).flat().some((b) => b.pay);
  if (!hasPayButton) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'primary pay';
    button.textContent = `Pay ${amount(inv.currency, inv.total_amount)}`;
    button.addEventListener('click', () => pay(control.message_id, button));
    card.append(button);
  }
  const status = document.createElement('p');
  status.className = 'invoice-status';
  status.setAttribute('role', 'status');
  card.append(status);
  showPaymentStatus(status, state.payments.get(control.message_id));
  return card;
}

function setPayment(invoiceMessageId, attempt) {
  if (invoiceMessageId == null) return;
  state.payments.set(invoiceMessageId, attempt);
  const li = els.messages.querySelector(`li[data-message-id="${invoiceMessageId}"] .invoice-status`);
  if (li) showPaymentStatus(li, attempt);
}

function showPaymentStatus(el, attempt) {
  el.dataset.status = attempt ? attempt.status : '';
  const payButton = el.closest('li') && el.closest('li').querySelector('.pay');
  if (payButton) {
    const paid = Boolean(attempt && attempt.status === 'PAID');
    payButton.disabled = paid;
    if (paid) payButton.textContent = 'Paid';
  }
  if (!attempt) {
    el.textContent = '';
  } else if (attempt.status === 'PAID') {
    el.textContent = 'Paid ✓';
  } else if (attempt.status === 'DECLINED') {
    el.textContent = `Payment declined: ${attempt.error_message || 'no reason given'}`;
  } else if (attempt.status === 'EXPIRED') {
    el.textContent = 'Payment failed: the bot did not confirm it in time';
  } else {
    el.textContent = 'Waiting for the bot to confirm…';
  }
}

async function pay(messageId, button) {
  if (button.getAttribute('aria-busy') === 'true') return;
  button.setAttribute('aria-busy', 'true');
  setPayment(messageId, { status: 'PENDING' });
  try {
    const attempt = await http('POST', chatPath('/pay'), { message_id: messageId, wait_ms: PAY_WAIT_MS, ...profileFields() });
    setPayment(messageId, attempt);
    if (attempt.status === 'PAID') toast(`Payment of ${amount(attempt.currency, attempt.total_amount)} succeeded`);
    else if (attempt.status === 'DECLINED') toast(`Payment declined: ${attempt.error_message}`, 'error');
    else if (attempt.status === 'EXPIRED') toast('Payment failed: the bot did not confirm it in time', 'error');
  } catch (e) {
    setPayment(messageId, null);
    toast(`Could not pay: ${e.message}`, 'error');
  } finally {
    button.removeAttribute('aria-busy');
  }
}

// ---- reply keyboard (ReplyKeyboardMarkup) ---------------------------------------------------------------------

function renderReplyKeyboard() {
  let markup = null;
  const ids = [...state.messages.keys()].sort((a, b) => b - a);
  for (const id of ids) {
    const m = state.messages.get(id);
    if (m.from_bot && m.reply_keyboard) {
      markup = m.reply_keyboard;
      break;
    }
  }
  const rows = markup && Array.isArray(markup.keyboard) ? markup.keyboard : null;
  els.replyKeyboard.hidden = !rows;
  if (!rows) {
    els.replyKeyboard.replaceChildren();
    return;
  }
  els.replyKeyboard.replaceChildren(...rows.map((row) => {
    const line = document.createElement('div');
    line.className = 'keyboard-row';
    for (const b of row) {
      const text = typeof b === 'string' ? b : b.text;
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'kb-button';
      button.textContent = text;
      button.addEventListener('click', () => {
        sendText(text);
        if (markup.one_time_keyboard) els.replyKeyboard.hidden = true;
      });
      line.append(button);
    }
    return line;
  }));
}

// ---- what the user sends -------------------------------------------------------------------------------------

async function sendText(text) {
  if (!text.trim()) return false;
  try {
    const sent = await http('POST', chatPath('/messages'), { text, ...profileFields() });
    upsert(sent, true);
    return true;
  } catch (e) {
    toast(`Could not send: ${e.message}`, 'error');
    return false;
  }
}

async function sendFile(kind, file) {
  const form = new FormData();
  form.append(kind, file, file.name);
  const caption = els.text.value.trim();
  if (caption) form.append('caption', caption);
  if (kind === 'document') {
    form.append('file_name', file.name);
    if (file.type) form.append('mime_type', file.type);
  }
  for (const [k, v] of Object.entries(profileFields())) form.append(k, v);
  try {
    const sent = await http('POST', chatPath(kind === 'photo' ? '/photos' : '/documents'), form);
    if (caption) els.text.value = '';
    autoGrow();
    upsert(sent, true);
  } catch (e) {
    toast(`Could not send the ${kind}: ${e.message}`, 'error');
  }
}

function autoGrow() {
  els.text.style.height = 'auto';
  els.text.style.height = `${Math.min(els.text.scrollHeight, 160)}px`;
}

// ---- toasts, alerts, typing ------------------------------------------------------------------------------------

function toast(text, kind = 'info') {
  const div = document.createElement('div');
  div.className = `toast toast-${kind}`;
  div.textContent = text;
  els.toasts.append(div);
  setTimeout(() => div.classList.add('leaving'), 3600);
  setTimeout(() => div.remove(), 4000);
}

function showAlert(text) {
  els.alertText.textContent = text;
  if (typeof els.alert.showModal === 'function') els.alert.showModal();
  else toast(text);
}

const ACTIONS = {
  typing: 'typing…', upload_photo: 'sending a photo…', upload_video: 'sending a video…',
  record_video: 'recording a video…', upload_document: 'sending a file…', choose_sticker: 'choosing a sticker…',
};

function setTyping(action) {
  clearTimeout(state.typingTimer);
  els.botStatus.textContent = action ? (ACTIONS[action] || `${action}…`) : 'bot';
  els.botStatus.classList.toggle('typing', Boolean(action));
  if (action) state.typingTimer = setTimeout(() => setTyping(null), 5000);
}

// ---- wiring ------------------------------------------------------------------------------------------------------

async function loadBot() {
  try {
    const bot = await http('GET', '/control/bot');
    state.botName = bot.first_name || 'Bot';
    els.botName.textContent = state.botName;
    els.botName.title = bot.username ? `@${bot.username}` : '';
  } catch {
    // the poll loop shows the connection state
  }
}

els.composer.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const text = els.text.value;
  if (!text.trim()) return;
  els.text.value = '';
  autoGrow();
  if (!(await sendText(text))) els.text.value = text;
  els.text.focus();
});

els.text.addEventListener('keydown', (ev) => {
  if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
    ev.preventDefault();
    els.composer.requestSubmit();
  }
});
els.text.addEventListener('input', autoGrow);

els.photoInput.addEventListener('change', async () => {
  const file = els.photoInput.files[0];
  els.photoInput.value = '';
  if (file) await sendFile('photo', file);
});
els.documentInput.addEventListener('change', async () => {
  const file = els.documentInput.files[0];
  els.documentInput.value = '';
  if (file) await sendFile('document', file);
});

els.startButton.addEventListener('click', () => sendText('/start'));
els.jump.addEventListener('click', () => scrollToBottom(false));
els.scroller.addEventListener('scroll', () => { if (isNearBottom()) els.jump.hidden = true; });
els.panelToggle.addEventListener('click', () => setPanelOpen(!els.app.classList.contains('panel-open')));
document.addEventListener('click', (ev) => {
  // On a phone the panel is a drawer: a tap outside it closes it.
  if (els.app.classList.contains('panel-open') && !els.panel.contains(ev.target) && !els.panelToggle.contains(ev.target)) {
    setPanelOpen(false);
  }
});
document.addEventListener('keydown', (ev) => {
  if (ev.key === 'Escape' && els.app.classList.contains('panel-open')) setPanelOpen(false);
});

els.userForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  const id = Number(els.userId.value);
  const name = els.userName.value.trim();
  if (!Number.isSafeInteger(id) || id <= 0 || !name) {
    toast('A user needs a positive numeric id and a first name', 'error');
    return;
  }
  openChat({ id, first_name: name, language_code: els.userLang.value });
});
els.newUser.addEventListener('click', () => {
  const id = randomUserId();
  fillForm({ id, first_name: `Seller ${id}`, language_code: els.userLang.value });
  els.userName.focus();
  els.userName.select();
});

window.addEventListener('hashchange', () => {
  const wanted = Number(new URLSearchParams(location.hash.slice(1)).get('user'));
  if (wanted && state.profile && wanted !== state.profile.id) openChat(initialProfile());
});

loadBot().then(() => openChat(initialProfile()));
