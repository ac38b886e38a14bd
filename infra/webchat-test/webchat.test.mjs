// End-to-end test of the Telegram emulator's browser chat page (/chat/): Debian's Chromium driven by
// playwright-core plays a person, a scripted bot answers through the Bot API, and the page must show it all.
//
// It starts the emulator launcher (infra/emulators/target/emulators.jar) on a free port unless
// WEBCHAT_EMULATOR_URL names a running one, and stops everything it started.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, launchChromium, sleep, playVideo } from './support.mjs';
import { ScriptedBot } from './scripted-bot.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../..');
const JAR = join(REPO, 'infra/emulators/target/emulators.jar');
const TOKEN = '700001:WEBCHAT-E2E-TOKEN';
const SCREENSHOTS = join(HERE, 'screenshots');
const STEP_MS = 15000;

const log = (...args) => console.log('[webchat]', ...args);

let emulator = null; // {process, port, baseUrl}
let baseUrl = process.env.WEBCHAT_EMULATOR_URL || null;
let token = process.env.WEBCHAT_EMULATOR_URL ? (process.env.WEBCHAT_BOT_TOKEN || '123456:LOCAL-DEMO-TOKEN') : TOKEN;
let bot = null;
let context = null;
let page = null;
let userDataDir = null;
const fileResponses = [];
const pageErrors = [];

// ---- the emulator ----------------------------------------------------------------------------------------------

async function startEmulator(port) {
  const child = spawn('java', ['-jar', JAR, '--telegram-port', String(port), '--telegram-token', TOKEN], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the emulator exited (${child.exitCode}):\n${output}`);
    try {
      const r = await fetch(`${url}/control/bot`);
      if (r.ok) return { process: child, port, url };
    } catch {
      // not listening yet
    }
    await sleep(150);
  }
  child.kill('SIGKILL');
  throw new Error(`the emulator did not start in 30 s:\n${output}`);
}

async function stopEmulator() {
  if (!emulator) return;
  const child = emulator.process;
  emulator = null;
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

process.on('exit', () => {
  if (emulator && emulator.process.exitCode === null) emulator.process.kill('SIGKILL');
});

// ---- helpers over the page -------------------------------------------------------------------------------------

const messages = () => page.locator('#messages > li');
const botBubbles = () => page.locator('#messages > li.msg.in');

/** The last message of the bot whose text contains `text`. */
async function botMessage(text) {
  const li = page.locator('#messages > li.msg.in', { hasText: text }).last();
  await li.waitFor({ timeout: STEP_MS });
  return li;
}

async function toast(text) {
  await page.locator('#toasts .toast', { hasText: text }).first().waitFor({ timeout: STEP_MS });
}

async function typeAndSend(text) {
  const box = page.getByLabel('Message', { exact: true });
  await box.fill(text);
  await box.press('Enter');
}

// ---- setup and teardown ----------------------------------------------------------------------------------------

before(async () => {
  if (!baseUrl) {
    emulator = await startEmulator(await freePort());
    baseUrl = emulator.url;
    log(`emulator on ${baseUrl}`);
  }
  bot = new ScriptedBot({ baseUrl, token, videoPath: join(HERE, 'fixtures/clip.mp4'), log }).start();
  userDataDir = await mkdtemp(join(tmpdir(), 'webchat-chromium-'));
  context = await launchChromium(userDataDir);
  page = context.pages()[0] || await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e));
  page.on('dialog', (d) => { pageErrors.push(new Error(`unexpected dialog: ${d.message()}`)); d.dismiss(); });
  page.on('response', (r) => {
    if (r.url().includes('/control/files/')) fileResponses.push({ status: r.status(), headers: r.headers() });
  });
});

after(async () => {
  if (context) await context.close().catch(() => {});
  if (bot) await bot.stop().catch(() => {});
  await stopEmulator();
  if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
});

// ---- the test --------------------------------------------------------------------------------------------------

test('a person chats with the bot in the browser: menu, buttons, payment, photo, progress edits, video', async () => {
  const userId = 4200 + Math.floor(Math.random() * 1000);
  await page.goto(`${baseUrl}/`); // redirects to /chat/
  await page.waitForFunction(() => /^\/chat\/$/.test(location.pathname) && /^#user=\d+$/.test(location.hash));

  // Pick the user: id, first name, language.
  await page.getByLabel('User id').fill(String(userId));
  await page.getByLabel('First name').fill('Анна');
  await page.getByLabel('Language').selectOption('ru');
  await page.getByRole('button', { name: 'Open chat' }).click();
  await page.waitForFunction((id) => location.hash === `#user=${id}`, userId);
  await page.locator('#conn[data-state="online"]').waitFor({ timeout: STEP_MS });
  await page.locator('#empty').waitFor({ state: 'visible' });

  // /start: the menu arrives with bold text and inline buttons; the bot's "markup" in text stays text.
  await typeAndSend('/start');
  await page.locator('#messages > li.msg.out', { hasText: '/start' }).waitFor({ timeout: STEP_MS });
  const menu = await botMessage('Welcome');
  assert.equal(await menu.locator('strong').first().textContent(), 'Welcome, Анна!');
  assert.equal(await menu.locator('em').first().textContent(), '10 credits');
  assert.match(await menu.locator('.text').textContent(), /<img src=x onerror=alert\(1\)>/);
  assert.equal(await page.locator('#messages img[src="x"]').count(), 0, 'bot text must never become HTML');
  assert.equal(await menu.locator('.kb-button').count(), 3);
  assert.match(await menu.locator('time').textContent(), /^\d{1,2}:\d{2}( [AP]M)?$/);
  const bubblesInOrder = await messages().evaluateAll((lis) => lis.map((li) => li.className.includes('out') ? 'me' : 'bot'));
  assert.deepEqual(bubblesInOrder, ['me', 'bot']);

  // Buy credits: the callback answer shows as a toast, the invoice card has a Pay button, paying works.
  await menu.getByRole('button', { name: '💳 Buy credits' }).click();
  await toast('Opening the invoice…');
  const invoice = page.locator('#messages > li.kind-invoice').last();
  await invoice.waitFor({ timeout: STEP_MS });
  assert.match(await invoice.locator('.invoice-price').textContent(), /⭐ 50/);
  await invoice.getByRole('button', { name: /Pay/ }).click();
  await invoice.locator('.invoice-status[data-status="PAID"]').waitFor({ timeout: STEP_MS });
  assert.equal(await invoice.locator('button.pay').isDisabled(), true);
  await page.locator('#messages > li.service', { hasText: 'You paid ⭐ 50' }).waitFor({ timeout: STEP_MS });
  await botMessage('Payment received');

  // Generate: press the button under the first menu, then send a product photo from a file.
  await menu.getByRole('button', { name: '🎬 Generate reels' }).click();
  await toast('Send a product photo');
  await botMessage('Send me a product photo');
  await page.setInputFiles('#photo-input', join(HERE, 'fixtures/product.jpg'));
  const myPhoto = page.locator('#messages > li.msg.out.kind-photo img').last();
  await myPhoto.waitFor({ timeout: STEP_MS });
  await page.waitForFunction(() => {
    const img = [...document.querySelectorAll('#messages li.out.kind-photo img')].pop();
    return img && img.complete && img.naturalWidth > 0;
  }, null, { timeout: STEP_MS });

  // A message the bot deletes disappears.
  const checking = await botMessage('Checking the photo');
  bot.release('checked');
  await checking.waitFor({ state: 'detached', timeout: STEP_MS });

  // The progress message is edited in place: same bubble, new text, marked edited, nothing appended.
  const progress = await botMessage('Generation started');
  const progressId = await progress.getAttribute('data-message-id');
  const bubble = page.locator(`#messages > li[data-message-id="${progressId}"]`);
  const handle = await bubble.elementHandle();
  assert.match(await bubble.locator('.text').textContent(), /queued/);
  const countBefore = await messages().count();

  bot.release('script');
  await page.waitForFunction((el) => el.textContent.includes('writing the script'), handle, { timeout: STEP_MS });
  assert.equal(await bubble.locator('strong').textContent(), 'writing the script');
  assert.equal(await bubble.locator('.edited').count(), 1);

  bot.release('render');
  await page.waitForFunction((el) => el.textContent.includes('rendering'), handle, { timeout: STEP_MS });
  assert.equal(await handle.evaluate((el) => el.isConnected), true, 'the same element was updated');
  assert.equal(await messages().count(), countBefore, 'an edit must not add a bubble');
  assert.equal(await page.locator(`#messages > li[data-message-id="${progressId}"]`).count(), 1);

  // The video arrives with its two buttons and plays.
  bot.release('deliver');
  const videoMessage = page.locator('#messages > li.kind-video').last();
  await videoMessage.waitFor({ timeout: STEP_MS });
  await page.waitForFunction((el) => el.textContent.includes('Done: 1 of 1'), handle, { timeout: STEP_MS });
  assert.equal(await videoMessage.locator('.kb-button').count(), 2);
  assert.match(await videoMessage.locator('.text').textContent(), /Your video 1\/1 is ready/);
  const video = videoMessage.locator('video');
  assert.equal(await video.getAttribute('controls'), '');
  assert.equal(await video.getAttribute('playsinline'), '');
  const played = await playVideo(page, video, STEP_MS);
  log('video', JSON.stringify(played));
  assert.equal(played.error, null);
  assert.ok(played.duration > 2.5, `duration ${played.duration}`);
  assert.ok(played.readyState >= 2, `readyState ${played.readyState}`);
  assert.ok(played.currentTime >= 0.3, `currentTime ${played.currentTime}`);
  const videoResponses = fileResponses.filter((r) => (r.headers['content-type'] || '').startsWith('video/mp4'));
  assert.ok(videoResponses.some((r) => r.status === 206 && /^bytes \d+-\d+\/\d+$/.test(r.headers['content-range'])),
    `the browser streamed the video with ranges: ${JSON.stringify(videoResponses)}`);

  // An image sent as a file (a document) shows as a download link.
  await page.setInputFiles('#document-input', join(HERE, 'fixtures/product.jpg'));
  const doc = page.locator('#messages > li.msg.out.kind-document a.file').last();
  await doc.waitFor({ timeout: STEP_MS });
  assert.equal(await doc.getAttribute('download'), 'product.jpg');
  await botMessage('Got the file product.jpg (image/jpeg)');

  // Bring the video into view for the picture, then save it.
  await mkdir(SCREENSHOTS, { recursive: true });
  await videoMessage.scrollIntoViewIfNeeded();
  await video.evaluate((v) => { v.currentTime = 1.0; });
  await sleep(300);
  await page.screenshot({ path: join(SCREENSHOTS, 'chat.png') });
  await page.locator('#scroller').evaluate((s) => s.scrollTo(0, 0));
  await sleep(200);
  await page.screenshot({ path: join(SCREENSHOTS, 'chat-top.png') });
  await page.setViewportSize({ width: 390, height: 844 });
  await sleep(300);
  await videoMessage.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SCREENSHOTS, 'chat-phone.png') });
  // On a phone the user picker is a drawer behind the menu button.
  const toggle = page.getByRole('button', { name: 'Choose the user' });
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  await page.locator(`#chat-list [data-chat-id="${userId}"]`).waitFor({ state: 'visible', timeout: STEP_MS });
  await sleep(400); // the drawer slides in
  await page.screenshot({ path: join(SCREENSHOTS, 'chat-phone-users.png') });
  await page.keyboard.press('Escape');
  await page.getByLabel('User id').waitFor({ state: 'hidden', timeout: STEP_MS });
  await page.setViewportSize({ width: 1100, height: 900 });

  assert.deepEqual(pageErrors.map(String), []);
  assert.deepEqual(bot.errors.map(String), []);
});

test('the page reconnects when the emulator restarts', async (t) => {
  if (!emulator) {
    t.skip('the emulator was not started by this test');
    return;
  }
  const port = emulator.port;
  await stopEmulator();
  await page.locator('#conn[data-state="offline"]').waitFor({ timeout: STEP_MS });
  emulator = await startEmulator(port);
  // A new emulator knows no chats: the page starts over from an empty chat, and works again.
  await page.locator('#conn[data-state="online"]').waitFor({ timeout: STEP_MS });
  await page.locator('#empty').waitFor({ state: 'visible', timeout: STEP_MS });
  await typeAndSend('/start');
  await botMessage('Welcome');
  assert.deepEqual(pageErrors.map(String), []);
});
