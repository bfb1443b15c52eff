"""What the browser does on a page before it is read: scroll the comment area into view, press the
"load more" / "show replies" controls of every frame, and wait until the widget has settled.

Every loop is bounded by a click budget and the render deadline; controls are found by their words
(any language the pattern knows), not by one system's class names, and only controls that stay on
the page are pressed (buttons, `role=button`, links without a real target).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

# Lazy widgets (Disqus, Coral, OpenWeb) load when their holder scrolls into view.
SCROLL_SCRIPT = """() => {
  const area = document.querySelector(
    '#disqus_thread, #coral_thread, #coral-thread, vf-conversations, .viafoura, [data-spotim-module],'
    + ' #comments, [id*="comment" i], [class*="comment" i], iframe[src*="comment" i]');
  if (area) { area.scrollIntoView({block: 'center'}); }
  window.scrollTo(0, document.body ? document.body.scrollHeight : 0);
  return !!area;
}"""

# Presses the first visible control that loads more comments or replies; true when it pressed one.
CLICK_SCRIPT = """(pattern) => {
  const words = new RegExp(pattern, 'i');
  const stays = (el) => {
    if (el.tagName !== 'A') return true;
    const href = (el.getAttribute('href') || '').trim();
    return href === '' || href.startsWith('#') || href.toLowerCase().startsWith('javascript:');
  };
  const candidates = document.querySelectorAll('button, [role="button"], a, input[type="button"]');
  for (const el of candidates) {
    const label = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim();
    if (!label || label.length > 80 || !words.test(label) || !stays(el)) continue;
    if (el.disabled || el.getAttribute('aria-disabled') === 'true' || !el.getClientRects().length) continue;
    el.scrollIntoView({block: 'center'});
    el.click();
    return true;
  }
  return false;
}"""

LOAD_MORE_PATTERN = (
    r"^\s*(\+\s*)?((load|show|view|see|read|display)\s+(\d+\s+)?(more|all|older|previous|earlier|"
    r"hidden)?\s*(\d+\s+)?(comments?|replies|reply|responses?|posts?|messages?)|"
    r"(load|show|view|see)\s+more|more\s+(comments|replies)|\d+\s+(more\s+)?repl(y|ies)|"
    r"older comments|next page|plus de commentaires|mehr kommentare|weitere kommentare|"
    r"más comentarios|altri commenti)\b"
)


async def scroll_to_comments(page: Any) -> None:
    """Bring the comment area (or the page's end) into view in the main frame."""
    try:
        await page.main_frame.evaluate(SCROLL_SCRIPT)
    except Exception:  # noqa: BLE001 - a page that navigated or crashed is read as it is
        return


async def press_load_more(page: Any, max_clicks: int, deadline: float,
                          settle: Callable[[float], Any]) -> int:
    """Press "load more"-like controls in all frames until none is left, `max_clicks` were pressed
    or `deadline` (time.monotonic) passes; waits for the page to settle after each press."""
    clicks = 0
    while clicks < max_clicks and time.monotonic() < deadline:
        pressed = False
        for frame in list(page.frames):
            if clicks >= max_clicks or time.monotonic() >= deadline:
                break
            try:
                if await frame.evaluate(CLICK_SCRIPT, LOAD_MORE_PATTERN):
                    clicks += 1
                    pressed = True
                    await settle(deadline)
            except Exception:  # noqa: BLE001 - a frame that went away
                continue
        if not pressed:
            break
    return clicks


# Resolves once the frame's main thread is idle: a widget still compiling or running its scripts
# answers late, so a short network quiet during a long script does not count as settled. Chromium
# may give an offscreen cross-site frame no idle period at all, so the wait is capped at 200 ms
# (with 1 s, one render in ten of the benchmark waited the full second per settle).
IDLE_SCRIPT = "() => new Promise((done) => requestIdleCallback(() => done(true), {timeout: 200}))"


class Activity(Protocol):
    """The network side of a page being rendered (archiver.render.network.ScrapyRoute)."""

    in_flight: int  # requests not answered yet
    started: int  # requests seen so far


async def frames_idle(page: Any) -> None:
    """Wait until every http(s) frame of `page` reports an idle main thread (see IDLE_SCRIPT)."""
    frames = [frame for frame in page.frames if frame is page.main_frame
              or frame.url.startswith(("http://", "https://"))]
    await asyncio.gather(*(_idle(frame) for frame in frames))


async def _idle(frame: Any) -> None:
    try:
        await frame.evaluate(IDLE_SCRIPT)
    except Exception:  # noqa: BLE001 - a frame that navigated or went away is idle for us
        return


async def wait_until_settled(activity: Activity, deadline: float, quiet: float,
                             idle: Callable[[], Awaitable[Any]] | None = None,
                             step: float = 0.05) -> bool:
    """Wait until no browser request has been in flight for `quiet` seconds and then, through
    `idle`, the page's scripts are idle with still no new request (or the deadline passes);
    True when the page settled."""
    quiet_since: float | None = None
    while True:
        now = time.monotonic()
        if activity.in_flight == 0:
            quiet_since = now if quiet_since is None else quiet_since
            if now - quiet_since >= quiet:
                seen = activity.started
                if idle is not None:
                    await _bounded(idle(), deadline)
                if activity.started == seen and activity.in_flight == 0:
                    return True
                quiet_since = None
                continue
        else:
            quiet_since = None
        if now >= deadline:
            return False
        await asyncio.sleep(step)


async def _bounded(awaitable: Awaitable[Any], deadline: float) -> None:
    try:
        await asyncio.wait_for(awaitable, max(deadline - time.monotonic(), 0.0))
    except TimeoutError:
        return
