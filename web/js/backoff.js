// Reconnect and poll delays: exponential backoff with jitter, capped. Pure, unit-tested.

/**
 * Delay before try number `attempt` (0 = the first retry).
 * base * 2^attempt, capped at max, then spread by +-jitter (0..1) so many pages
 * reconnecting to a restarted app do not all knock at once.
 */
export function backoffDelay(attempt, { base = 500, max = 30000, jitter = 0.2, random = Math.random } = {}) {
    const n = Math.max(0, Math.floor(attempt));
    const raw = Math.min(max, base * 2 ** Math.min(n, 30));
    const spread = raw * jitter * (random() * 2 - 1);
    return Math.max(0, Math.round(Math.min(max, raw + spread)));
}

/** Poll period: brisk while the page is seen, slow while hidden, backed off after failures. */
export function pollDelay({ hidden = false, failures = 0, visibleMs = 1000, hiddenMs = 10000, max = 30000, random = Math.random } = {}) {
    const idle = hidden ? hiddenMs : visibleMs;
    if (failures <= 0)
        return idle;
    return Math.max(idle, backoffDelay(failures - 1, { base: idle, max, random }));
}
