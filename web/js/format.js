// Turns the numbers of a task's progress into short human text: amounts, speed, ETA, percent.
// Pure and locale-independent on purpose (the same text in Chromium, Qt WebEngine and tests).

// Powers of 1024 with their IEC names, as the desktop window (QLocale::formattedDataSize) shows
// the same task: "16 MiB" in both, never "16 MB" for 16,777,216 bytes.
const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

function trimNumber(value, decimals) {
    return value.toFixed(decimals).replace(/\.0+$/, '').replace(/(\.\d*?)0+$/, '$1');
}

/** 1536 -> "1.5 KiB" (powers of 1024, one decimal under 10, none above). */
export function formatBytes(bytes) {
    if (!Number.isFinite(bytes) || bytes < 0)
        return '';
    let value = bytes;
    let unit = 0;
    while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
        value /= 1024;
        unit += 1;
    }
    if (unit === 0)
        return `${Math.round(value)} B`;
    // 1023.96 KiB would print "1024 KiB": move up instead.
    if (value >= 999.95 && unit < BYTE_UNITS.length - 1) {
        value /= 1024;
        unit += 1;
    }
    return `${trimNumber(value, value < 10 ? 1 : 0)} ${BYTE_UNITS[unit]}`;
}

/** A count in a unit: (3, "files") -> "3 files"; bytes use formatBytes; no unit -> "3". */
export function formatAmount(amount, unit) {
    if (!Number.isFinite(amount))
        return '';
    if (unit === 'bytes')
        return formatBytes(amount);
    const n = Number.isInteger(amount) ? String(amount) : trimNumber(amount, 1);
    return unit ? `${n} ${unit}` : n;
}

/** "12 MiB of 100 MiB", "3 of 10 files", "7 files" (unknown total), "" when nothing is known. */
export function formatProcessed(progress) {
    if (!progress)
        return '';
    const { processed, total, unit } = progress;
    const hasTotal = Number.isFinite(total) && total >= 0;
    if (!Number.isFinite(processed) || (processed <= 0 && !hasTotal))
        return '';
    if (!hasTotal)
        return formatAmount(processed, unit);
    if (unit === 'bytes')
        return `${formatBytes(processed)} of ${formatBytes(total)}`;
    return `${formatAmount(processed, '')} of ${formatAmount(total, unit)}`;
}

/** Units per second: (1048576, "bytes") -> "1 MiB/s"; (2.5, "files") -> "2.5 files/s"; 0 -> "". */
export function formatSpeed(speed, unit) {
    if (!Number.isFinite(speed) || speed <= 0)
        return '';
    if (unit === 'bytes')
        return `${formatBytes(speed)}/s`;
    const n = speed >= 100 ? String(Math.round(speed)) : trimNumber(speed, speed < 10 ? 2 : 1);
    return `${n} ${unit || 'items'}/s`;
}

/** Seconds left: 5 -> "5 s", 80 -> "1 min 20 s", 7500 -> "2 h 5 min", 200000 -> "2 d 7 h". */
export function formatEta(seconds) {
    if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0)
        return '';
    let s = Math.round(seconds);
    if (s < 60)
        return `${s} s`;
    const d = Math.floor(s / 86400);
    s -= d * 86400;
    const h = Math.floor(s / 3600);
    s -= h * 3600;
    const m = Math.floor(s / 60);
    s -= m * 60;
    if (d > 0)
        return h > 0 ? `${d} d ${h} h` : `${d} d`;
    if (h > 0)
        return m > 0 ? `${h} h ${m} min` : `${h} h`;
    return s > 0 ? `${m} min ${s} s` : `${m} min`;
}

/** 42.345 -> "42%", 99.96 -> "99.9%" (never claims 100% before the end), null -> "". */
export function formatPercent(percent) {
    if (percent === null || percent === undefined || !Number.isFinite(percent))
        return '';
    const p = Math.min(100, Math.max(0, percent));
    if (p >= 99.5 && p < 100)
        return `${trimNumber(Math.floor(p * 10) / 10, 1)}%`;
    if (p > 0 && p < 1)
        return '<1%';
    return `${Math.round(p)}%`;
}

/** The percent to draw (0..100) or null when indeterminate. */
export function clampPercent(percent) {
    if (percent === null || percent === undefined || !Number.isFinite(percent))
        return null;
    return Math.min(100, Math.max(0, percent));
}

const STATE_LABELS = {
    queued: 'Queued',
    running: 'Running',
    paused: 'Paused',
    retrying: 'Retrying',
    succeeded: 'Succeeded',
    failed: 'Failed',
    canceled: 'Canceled',
    interrupted: 'Interrupted',
};

/** The word shown in a task's state badge. */
export function stateLabel(state) {
    return STATE_LABELS[state] || (state ? String(state) : 'Unknown');
}

/** "attempt 2", "attempt 2 of 3" (retries allowed); "" for a first attempt. As the window says it. */
export function formatAttempt(attempt, maxRetries) {
    if (!Number.isInteger(attempt) || attempt <= 1)
        return '';
    return Number.isInteger(maxRetries) && maxRetries > 0 ? `attempt ${attempt} of ${maxRetries + 1}` : `attempt ${attempt}`;
}

/** "Step 2 of 5: Hash" for a pipeline, "" otherwise. */
export function formatStep(progress) {
    if (!progress || !Array.isArray(progress.steps) || progress.steps.length === 0)
        return '';
    const n = progress.steps.length;
    const i = Number.isInteger(progress.step) ? progress.step : -1;
    if (i < 0)
        return `${n} steps`;
    if (i >= n)
        return `All ${n} steps done`;
    const label = progress.steps[i];
    return label ? `Step ${i + 1} of ${n}: ${label}` : `Step ${i + 1} of ${n}`;
}

/**
 * The list's summary from task counts per state: "2 running · 1 queued · 3 finished ·
 * 1 interrupted", worded like the desktop window's status bar. Interrupted tasks wait for someone to retry them: apart from the finished
 * ones, as in the desktop window's status bar.
 */
export function formatCounts(counts) {
    const c = (state) => counts?.[state] || 0;
    const parts = [];
    if (c('running'))
        parts.push(`${c('running')} running`);
    if (c('queued'))
        parts.push(`${c('queued')} queued`);
    if (c('paused'))
        parts.push(`${c('paused')} paused`);
    if (c('retrying'))
        parts.push(`${c('retrying')} retrying`);
    const finished = c('succeeded') + c('failed') + c('canceled');
    if (finished)
        parts.push(`${finished} finished`);
    if (c('interrupted'))
        parts.push(`${c('interrupted')} interrupted`);
    return parts.join(' · ');
}
