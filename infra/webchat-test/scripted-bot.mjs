// A tiny scripted bot that talks to the Telegram emulator through the plain Bot API, like a real bot would:
// long polling getUpdates, sendMessage with inline buttons, answerCallbackQuery, sendInvoice (Stars),
// answerPreCheckoutQuery, editMessageText on a progress message, and a multipart sendVideo.
// Steps that the test wants to watch one by one wait on "gates" the test opens (no sleeps, no races).

import { readFile } from 'node:fs/promises';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export class ScriptedBot {
  constructor({ baseUrl, token, videoPath, log = () => {} }) {
    this.api = `${baseUrl}/bot${token}`;
    this.videoPath = videoPath;
    this.log = log;
    this.offset = 0;
    this.running = false;
    this.abort = null;
    this.gates = new Map();
    this.errors = [];
    this.loop = null;
  }

  start() {
    this.running = true;
    this.loop = this.#pollLoop();
    return this;
  }

  async stop() {
    this.running = false;
    for (const gate of this.gates.values()) gate.open();
    if (this.abort) this.abort.abort();
    await this.loop;
  }

  /** Lets the step waiting on this gate go on (or lets it pass at once when it gets there later). */
  release(name) {
    this.#gate(name).open();
  }

  #gate(name) {
    if (!this.gates.has(name)) {
      let open;
      const promise = new Promise((resolve) => { open = resolve; });
      this.gates.set(name, { promise, open });
    }
    return this.gates.get(name);
  }

  async #pollLoop() {
    let backoff = 200;
    while (this.running) {
      this.abort = new AbortController();
      try {
        const updates = await this.call('getUpdates', { offset: this.offset, timeout: 1 }, this.abort.signal);
        backoff = 200;
        for (const update of updates) {
          this.offset = update.update_id + 1;
          // Each update on its own: a step waiting on a gate must not hold up the next update.
          this.#handle(update).catch((e) => {
            if (this.running) {
              this.errors.push(e);
              this.log(`bot: ${e.message}`);
            }
          });
        }
      } catch (e) {
        if (!this.running) break;
        // The emulator went away (or restarted, and its update ids start again): start over.
        this.offset = 0;
        await sleep(backoff);
        backoff = Math.min(backoff * 2, 2000);
      }
    }
  }

  /** One Bot API call; honours 429 retry_after as a bot must. */
  async call(method, params, signal) {
    for (let attempt = 0; ; attempt++) {
      const isForm = params instanceof FormData;
      const response = await fetch(`${this.api}/${method}`, {
        method: 'POST',
        signal,
        headers: isForm ? {} : { 'Content-Type': 'application/json' },
        body: isForm ? params : JSON.stringify(params),
      });
      const body = await response.json();
      if (body.ok) return body.result;
      const retryAfter = body.parameters && body.parameters.retry_after;
      if (body.error_code === 429 && retryAfter && attempt < 20 && this.running) {
        await sleep(retryAfter * 1000);
        continue;
      }
      throw new Error(`${method}: ${body.error_code} ${body.description}`);
    }
  }

  async #handle(update) {
    if (update.message) return this.#onMessage(update.message);
    if (update.callback_query) return this.#onButton(update.callback_query);
    if (update.pre_checkout_query) {
      return this.call('answerPreCheckoutQuery', { pre_checkout_query_id: update.pre_checkout_query.id, ok: true });
    }
    return undefined;
  }

  async #onMessage(m) {
    const chatId = m.chat.id;
    if (m.text === '/start') return this.#menu(chatId, m.from.first_name);
    if (m.successful_payment) {
      return this.call('sendMessage', {
        chat_id: chatId, text: `Payment received: <b>+${m.successful_payment.total_amount} credits</b>. Balance: 60.`,
        parse_mode: 'HTML',
      });
    }
    if (m.photo) return this.#generate(chatId);
    if (m.document) {
      return this.call('sendMessage', { chat_id: chatId, text: `Got the file ${m.document.file_name} (${m.document.mime_type}).` });
    }
    return this.call('sendMessage', { chat_id: chatId, text: `You said: ${m.text}` });
  }

  #menu(chatId, name) {
    return this.call('sendMessage', {
      chat_id: chatId,
      parse_mode: 'HTML',
      // The last line is text, not markup: the page must show it, not run it.
      text: `<b>Welcome, ${escapeHtml(name)}!</b>\nBalance: <i>10 credits</i>. Send /help for help.\n`
        + '&lt;img src=x onerror=alert(1)&gt;',
      reply_markup: {
        inline_keyboard: [
          [{ text: '🎬 Generate reels', callback_data: 'gen' }],
          [{ text: '💳 Buy credits', callback_data: 'buy' }, { text: 'ℹ️ Help', callback_data: 'help' }],
        ],
      },
    });
  }

  async #onButton(q) {
    const chatId = q.message.chat.id;
    switch (q.data) {
      case 'gen':
        await this.call('answerCallbackQuery', { callback_query_id: q.id, text: 'Send a product photo 📸' });
        return this.call('sendMessage', { chat_id: chatId, text: 'Send me a product photo (as a photo or as a file).' });
      case 'buy':
        await this.call('answerCallbackQuery', { callback_query_id: q.id, text: 'Opening the invoice…' });
        return this.call('sendInvoice', {
          chat_id: chatId, title: '50 credits', description: '50 credits for NeuroCards videos',
          payload: 'buy-50', currency: 'XTR', prices: [{ label: '50 credits', amount: 50 }],
        });
      default:
        return this.call('answerCallbackQuery', { callback_query_id: q.id, text: 'Not in this script', show_alert: true });
    }
  }

  async #generate(chatId) {
    const checking = await this.call('sendMessage', { chat_id: chatId, text: '🔍 Checking the photo…' });
    await this.#gate('checked').promise;
    await this.call('deleteMessage', { chat_id: chatId, message_id: checking.message_id });
    const progress = await this.call('sendMessage', {
      chat_id: chatId, text: '⏳ Generation started: 1 video\nStatus: queued', parse_mode: 'HTML',
    });
    const edit = (text) => this.call('editMessageText', {
      chat_id: chatId, message_id: progress.message_id, text, parse_mode: 'HTML',
    });
    await this.#gate('script').promise;
    await edit('⏳ Generation started: 1 video\nStatus: <b>writing the script</b>');
    await this.#gate('render').promise;
    await edit('⏳ Generation started: 1 video\nStatus: <b>rendering</b> (0/1 ready)');
    await this.#gate('deliver').promise;
    const form = new FormData();
    form.append('chat_id', String(chatId));
    form.append('caption', 'Your video 1/1 is ready');
    form.append('supports_streaming', 'true');
    form.append('reply_markup', JSON.stringify({
      inline_keyboard: [[
        { text: '🔄 Make more with this product', callback_data: 'more' },
        { text: '🏠 Back to menu', callback_data: 'menu' },
      ]],
    }));
    const bytes = await readFile(this.videoPath);
    form.append('video', new Blob([bytes], { type: 'video/mp4' }), 'reel-1.mp4');
    await this.call('sendVideo', form);
    await edit('✅ Done: 1 of 1 videos delivered');
  }
}

function escapeHtml(s) {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
