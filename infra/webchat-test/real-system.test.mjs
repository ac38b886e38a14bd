// The chat page against the real NeuroCards: `infra/local/run.sh --no-build` (the README's run command) starts the
// emulators, billing, the generation pipeline and the bot gateway; Debian's Chromium plays a seller through the whole
// product — /start, photo, description, template, a model with its price, a count the balance cannot cover (marked,
// with a top-up), Confirm, the rejection that keeps the order, a Stars top-up, the same order's card offered again,
// one press — watches the one progress message (the confirmation card, its caption edited) change in place, and
// plays the delivered videos.
//
// The system runs beside anything else on the machine: its own RabbitMQ vhost, PostgreSQL database and free ports,
// all removed afterwards. run.sh is started in a process group of its own and stopped with it, also on failure.
// Needs the jars built (test.sh has just built them; otherwise `mvn -DskipTests install`).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, launchChromium, sleep, playVideo } from './support.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../..');
const SCREENSHOTS = join(HERE, 'screenshots');
const STEP_MS = 20000;
const RUN_TIMEOUT_MS = 240000; // run.sh: up.sh, the emulators and three services ready (slow on a busy machine)
const GENERATION_MS = 120000; // confirm → video in the chat
const RABBIT = `http://${process.env.RABBITMQ_HOST || '127.0.0.1'}:${process.env.RABBITMQ_MANAGEMENT_PORT || 15672}/api`;
const RABBIT_AUTH = 'Basic ' + Buffer.from(`${process.env.RABBITMQ_USER || 'guest'}:${process.env.RABBITMQ_PASSWORD || 'guest'}`).toString('base64');

const log = (...args) => console.log('[real-system]', ...args);

const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
const vhost = `webchat-${suffix}`;
const database = `webchat_${suffix}`;
const runDir = join(REPO, 'target', `webchat-run-${suffix}`);
let system = null; // the run.sh process group
let systemOutput = '';
let chatUrl = null;
let context = null;
let page = null;
let userDataDir = null;
const pageErrors = [];

// ---- the system, started with the README's run command ---------------------------------------------------------

async function startSystem() {
  const ports = {};
  for (const name of ['GATEWAY_PORT', 'BILLING_PORT', 'PIPELINE_PORT', 'TELEGRAM_EMULATOR_PORT', 'KIE_EMULATOR_PORT', 'LLM_EMULATOR_PORT']) {
    ports[name] = String(await freePort());
  }
  // small pools: the suite's connection budget (README, "Connection budget")
  const env = { ...process.env, ...ports, RABBITMQ_VHOST: vhost, DB_NAME: database, RUN_DIR: runDir, DB_POOL_MAX_SIZE: '4',
    // the emulated KIE finishes a render at the second look, and the pipeline looks every 5 s
    KIE_EMULATOR_RENDER_POLLS: '1', NEUROCARDS_PIPELINE_POLL_SCHEDULE: '5s' };
  for (const real of ['TELEGRAM_BOT_TOKEN', 'TELEGRAM_API_URL', 'KIE_API_KEYS', 'KIE_API_URL', 'KIE_UPLOAD_URL',
    'LLM_API_KEY', 'LLM_API_URL', 'HTTP_PORT', 'BILLING_URL']) {
    delete env[real]; // emulators for everything
  }
  system = spawn(join(REPO, 'infra/local/run.sh'), ['--no-build'], { cwd: REPO, env, detached: true,
    stdio: ['ignore', 'pipe', 'pipe'] });
  system.stdout.on('data', (d) => { systemOutput += d; });
  system.stderr.on('data', (d) => { systemOutput += d; });
  const deadline = Date.now() + RUN_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (system.exitCode !== null) throw new Error(`run.sh exited (${system.exitCode}):\n${systemOutput}`);
    const printed = /Chat with the bot\s+(\S+\/chat\/)/.exec(systemOutput);
    if (printed && systemOutput.includes('NeuroCards is running')) return printed[1];
    await sleep(250);
  }
  throw new Error(`run.sh did not report the system running in ${RUN_TIMEOUT_MS / 1000} s:\n${systemOutput}`);
}

async function stopSystem() {
  if (!system) return;
  const group = system;
  system = null;
  if (group.exitCode === null) {
    const exited = new Promise((r) => group.once('exit', r));
    try { process.kill(-group.pid, 'SIGTERM'); } catch { /* already gone */ }
    const timer = setTimeout(() => { try { process.kill(-group.pid, 'SIGKILL'); } catch { /* gone */ } }, 15000);
    await exited;
    clearTimeout(timer);
  }
  // run.sh stops its children; anything left in the group (it was killed itself) goes now
  try { process.kill(-group.pid, 'SIGKILL'); } catch { /* nothing left */ }
}

async function removeVhostAndDatabase() {
  await fetch(`${RABBIT}/vhosts/${encodeURIComponent(vhost)}`, { method: 'DELETE', headers: { authorization: RABBIT_AUTH } })
    .catch((e) => log(`could not remove vhost ${vhost}: ${e}`));
  try {
    execFileSync('psql', ['-h', process.env.DB_HOST || '127.0.0.1', '-p', process.env.DB_PORT || '5432',
      '-U', process.env.DB_USER || 'postgres', '-d', 'postgres', '-qc', `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`],
    { stdio: 'pipe' });
  } catch (e) {
    log(`could not drop database ${database}: ${e.stderr || e}`);
  }
}

// run.sh runs in a process group of its own: make sure it goes when this process goes, however that happens
// (timeout's SIGTERM, Ctrl-C), not only after the test.
function killSystemNow() {
  if (system && system.exitCode === null) {
    try { process.kill(-system.pid, 'SIGKILL'); } catch { /* gone */ }
  }
}
process.on('exit', killSystemNow);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    killSystemNow();
    process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
  });
}

// ---- helpers over the page -------------------------------------------------------------------------------------

/** The last message of the bot whose text contains `text`. */
async function botMessage(text, timeout = STEP_MS) {
  const li = page.locator('#messages > li.msg.in', { hasText: text }).last();
  await li.waitFor({ timeout });
  return li;
}

async function typeAndSend(text) {
  const box = page.getByLabel('Message', { exact: true });
  await box.fill(text);
  await box.press('Enter');
}

// ---- setup and teardown ----------------------------------------------------------------------------------------

before(async () => {
  for (const module of ['billing', 'generation-pipeline', 'bot-gateway']) {
    assert.ok(existsSync(join(REPO, module, 'target/quarkus-app/quarkus-run.jar')),
      `${module} is not built: run mvn -DskipTests install (infra/local/test.sh builds everything first)`);
  }
  assert.ok(existsSync(join(REPO, 'infra/emulators/target/emulators.jar')), 'the emulator launcher is not built');
  chatUrl = await startSystem();
  log(`system up; chat page ${chatUrl}`);
  userDataDir = await mkdtemp(join(tmpdir(), 'webchat-real-chromium-'));
  context = await launchChromium(userDataDir, { width: 960, height: 1200 });
  page = context.pages()[0] || await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e));
});

after(async () => {
  if (context) await context.close().catch(() => {});
  await stopSystem();
  await removeVhostAndDatabase();
  if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
  if (process.exitCode) log(`logs kept in ${runDir}`);
  else await rm(runDir, { recursive: true, force: true });
});

// ---- the test --------------------------------------------------------------------------------------------------

test('a seller short of credits picks a model, tops up, gets the order back and plays the videos from the real system', async () => {
  try {
    await aSellerBuysCreditsAndGetsAVideo();
  } catch (e) {
    // what the seller saw, for whoever reads the failure
    await mkdir(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'real-system-failure.png') }).catch(() => {});
    const chat = await page.locator('#messages > li').evaluateAll((lis) => lis.map((li) => li.innerText.replace(/\s+/g, ' ')))
      .catch(() => []);
    log('the chat when it failed:\n  ' + chat.join('\n  '));
    throw e;
  }
});

async function aSellerBuysCreditsAndGetsAVideo() {
  const userId = 5_000_000 + Math.floor(Math.random() * 1_000_000);
  await page.goto(chatUrl);
  await page.waitForFunction(() => /^#user=\d+$/.test(location.hash));
  await page.getByLabel('User id').fill(String(userId));
  await page.getByLabel('First name').fill('Anna');
  await page.getByLabel('Language').selectOption('en');
  await page.getByRole('button', { name: 'Open chat' }).click();
  await page.locator('#conn[data-state="online"]').waitFor({ timeout: STEP_MS });

  // /start: the seller's Telegram app is in English (language_code "en"), so the bot answers in English from the
  // first message, and the menu shows the welcome credits from billing.
  await typeAndSend('/start');
  const menu = await botMessage('Main menu');
  assert.match(await menu.textContent(), /Balance: 3 cr\./);

  // Generate: photo, description, template, wishes, then the model — each with its price per video.
  await (await botMessage('Main menu')).getByRole('button', { name: '🎬 Generate reels' }).click();
  await botMessage('Send a product photo');
  await page.setInputFiles('#photo-input', join(HERE, 'fixtures/product.jpg'));
  await botMessage('Describe the product');
  await typeAndSend('Hand-made ceramic mug, 350 ml, matte glaze, keeps coffee warm');
  await (await botMessage('Choose a template')).getByRole('button', { name: /AD — polished advert/ }).click();
  await (await botMessage('Any wishes')).getByRole('button', { name: 'No wishes' }).click();
  const models = await botMessage('Choose the model');
  assert.deepEqual(await models.locator('.kb-button').allTextContents(), [
    '⚡ Veo 3.1 Fast · 1 cr. a video', '💎 Veo 3.1 Quality · 3 cr. a video', '🎬 Sora 2 · 2 cr. a video', '✖️ Cancel',
  ]);
  await models.getByRole('button', { name: /Veo 3\.1 Quality/ }).click();

  // The count: what each costs with Quality (3 a video); a balance of 3 covers one video: 3 and 5 are marked,
  // with a top-up button.
  const counts = await botMessage('How many videos');
  assert.match(await counts.textContent(), /Not enough credits for the marked options/);
  const countButtons = await counts.locator('.kb-button').allTextContents();
  log('count buttons', JSON.stringify(countButtons));
  assert.deepEqual(countButtons.filter((t) => t.startsWith('🔒')),
    ['🔒 3 videos (9 credits)', '🔒 5 videos (15 credits)']);
  assert.ok(countButtons.some((t) => /^1 video.*3 cr/.test(t)), `one video at 3 cr., unmarked: ${countButtons}`);
  assert.ok(countButtons.includes('💳 Top up'));
  await counts.getByRole('button', { name: /^🔒 3 video/ }).click();

  // The card names the model and its price; Confirm: billing rejects it (3 < 9), and the order is kept.
  const rejectedCard = await botMessage('Check your order');
  assert.match(await rejectedCard.textContent(), /Model: Veo 3\.1 Quality \(3 cr\. a video\)/);
  assert.match(await rejectedCard.textContent(), /Cost: 9 cr\./);
  const rejectedCardId = await rejectedCard.getAttribute('data-message-id');
  await rejectedCard.getByRole('button', { name: '✅ Confirm' }).click();
  await botMessage('Not enough credits: 9 needed');
  const kept = await botMessage('Your order is kept (9 cr.)');

  // Top up with Stars from there; billing credits it, and the same order's card comes back.
  await kept.getByRole('button', { name: '💳 Buy credits' }).click();
  await page.locator('#messages > li.msg.in .kb-button', { hasText: '10 cr.' }).last().click();
  const invoice = page.locator('#messages > li.kind-invoice').last();
  await invoice.waitFor({ timeout: STEP_MS });
  await invoice.getByRole('button', { name: /Pay/ }).click();
  await invoice.locator('.invoice-status[data-status="PAID"]').waitFor({ timeout: STEP_MS });
  await botMessage('Balance: 13');
  await botMessage('Here is your order again');
  await page.waitForFunction(() => [...document.querySelectorAll('#messages > li.msg.in')]
    .filter((li) => li.textContent.includes('Check your order')).length === 2, null, { timeout: STEP_MS });
  const card = await botMessage('Check your order');
  const cardId = await card.getAttribute('data-message-id');
  assert.notEqual(cardId, rejectedCardId, 'a new card for the kept order');
  assert.match(await card.textContent(), /Hand-made ceramic mug/);
  assert.match(await card.textContent(), /Model: Veo 3\.1 Quality \(3 cr\. a video\)/);
  assert.match(await card.textContent(), /Cost: 9 cr\./);
  // one press starts it
  await card.getByRole('button', { name: '✅ Confirm' }).click();

  // One progress message, the card itself, edited in place until the video has been sent.
  const progress = await botMessage('Generation started');
  const progressId = await progress.getAttribute('data-message-id');
  assert.equal(progressId, cardId, 'the progress is shown on the confirmation card');
  const handle = await page.locator(`#messages > li[data-message-id="${progressId}"]`).elementHandle();
  await handle.evaluate((li) => {
    window.progressTexts = [li.querySelector('.text').textContent];
    new MutationObserver(() => {
      const now = li.querySelector('.text').textContent;
      if (window.progressTexts.at(-1) !== now) window.progressTexts.push(now);
    }).observe(li, { subtree: true, childList: true, characterData: true });
  });
  const videoMessage = page.locator('#messages > li.kind-video').last();
  await videoMessage.waitFor({ timeout: GENERATION_MS });
  await page.waitForFunction((li) => li.textContent.includes('Generation finished'), handle, { timeout: STEP_MS });
  const texts = await page.evaluate(() => window.progressTexts);
  log('progress', JSON.stringify(texts));
  assert.ok(texts.length >= 2, `the progress message changed in place: ${JSON.stringify(texts)}`);
  assert.equal(await handle.evaluate((li) => li.isConnected), true, 'the same element was edited');
  assert.equal(await page.locator('#messages > li.msg.in', { hasText: 'Generation started' }).count(), 0,
    'the started message became the finished one');
  assert.equal(await page.locator(`#messages > li[data-message-id="${progressId}"] .edited`).count(), 1);

  // The delivered video plays in the browser.
  assert.match(await videoMessage.textContent(), /Video [123] of 3/);
  assert.ok(await videoMessage.getByRole('button', { name: /Make more/ }).count() === 1);
  const video = videoMessage.locator('video');
  const played = await playVideo(page, video, STEP_MS);
  log('video', JSON.stringify(played));
  assert.equal(played.error, null);
  assert.ok(played.duration > 1, `duration ${played.duration}`);
  assert.ok(played.readyState >= 2, `readyState ${played.readyState}`);
  assert.ok(played.currentTime >= 0.3, `currentTime ${played.currentTime}`);

  // The picture for the README: the card (model, cost) with its finished progress, and the first video under it.
  await mkdir(SCREENSHOTS, { recursive: true });
  await video.evaluate((v) => { v.currentTime = 1.0; });
  await handle.evaluate((li) => li.scrollIntoView({ block: 'start' }));
  await sleep(400);
  await page.screenshot({ path: join(SCREENSHOTS, 'real-system.png') });

  // The menu shows what billing says: 3 welcome + 10 bought − 9 spent (three Quality videos).
  const menusBefore = await page.locator('#messages > li.msg.in', { hasText: 'Main menu' }).count();
  await typeAndSend('/start');
  await page.waitForFunction((before) => {
    const menus = [...document.querySelectorAll('#messages > li.msg.in')].filter((li) => li.textContent.includes('Main menu'));
    return menus.length > before && /Balance: 4 cr\./.test(menus.at(-1).textContent);
  }, menusBefore, { timeout: STEP_MS });

  assert.deepEqual(pageErrors.map(String), []);
}
