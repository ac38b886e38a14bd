// What the browser tests share: a free port, and Debian's Chromium launched the one way CI can run it.

import { createServer } from 'node:net';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** Headless Chromium with a fresh profile in `userDataDir`, no network of its own, autoplay allowed. */
export async function launchChromium(userDataDir, viewport = { width: 1100, height: 900 }) {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--autoplay-policy=no-user-gesture-required'],
    viewport,
    locale: 'en-US',
    timezoneId: 'UTC',
  });
}

/**
 * Waits for the chat's video to have its metadata, plays it muted until 0.3 s have passed (at most 8 s) and tells
 * what the element said: { readyState, duration, currentTime, error }.
 */
export async function playVideo(page, video, timeoutMs) {
  await page.waitForFunction(() => {
    const v = document.querySelector('#messages li.kind-video video');
    return v && v.readyState >= 1 && v.duration > 0;
  }, null, { timeout: timeoutMs });
  return video.evaluate(async (v) => {
    v.muted = true;
    await v.play();
    const start = performance.now();
    while (v.currentTime < 0.3 && performance.now() - start < 8000) {
      await new Promise((r) => setTimeout(r, 50));
    }
    v.pause();
    return { readyState: v.readyState, duration: v.duration, currentTime: v.currentTime, error: v.error && v.error.code };
  });
}
