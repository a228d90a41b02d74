// The Uploads card: drop or pick files, each sent with tus 1.0 (the vendored tus-js-client, on
// window.tus) to /api/v1/uploads in chunks of at most 8 MiB, several at once, each with its own
// bar, speed, ETA and pause / resume / cancel. tus-js-client keeps every unfinished upload's URL
// in localStorage under the file's fingerprint (name, type, size, mtime): after a network drop
// or a reload, the same file picked again asks the server for its offset and goes on from there.
import { clampPercent, formatEta, formatPercent, formatProcessed, formatSpeed } from './format.js';

const CHUNK = 8 * 1024 * 1024; // the server's limit for one PATCH body
const SPEED_WINDOW_MS = 5000;
const SPEED_MIN_BYTES = 1024 * 1024;

const LABELS = {
    starting: 'Starting',
    uploading: 'Uploading',
    paused: 'Paused',
    offline: 'Waiting for the network',
    unreachable: 'Waiting for Headway',
    done: 'Uploaded',
    failed: 'Failed',
    canceled: 'Canceled',
};
const BADGE = {
    starting: 'text-bg-secondary',
    uploading: 'text-bg-primary',
    paused: 'text-bg-warning',
    offline: 'text-bg-warning',
    unreachable: 'text-bg-warning',
    done: 'text-bg-success',
    failed: 'text-bg-danger',
    canceled: 'text-bg-secondary',
};
const BAR = { paused: 'bg-warning', offline: 'bg-warning', unreachable: 'bg-warning', done: 'bg-success', failed: 'bg-danger', canceled: 'bg-secondary' };

/** Bytes per second over the last few seconds of (time, bytes) samples; 0 when unknown. */
export class SpeedMeter {
    constructor(windowMs = SPEED_WINDOW_MS) {
        this.windowMs = windowMs;
        this.samples = [];
    }

    reset() {
        this.samples = [];
    }

    add(now, bytes) {
        // A failed chunk makes tus-js-client report fewer bytes: start measuring again.
        const last = this.samples[this.samples.length - 1];
        if (last && bytes < last.bytes)
            this.samples = [];
        this.samples.push({ now, bytes });
        while (this.samples.length > 2 && now - this.samples[0].now > this.windowMs)
            this.samples.shift();
    }

    speed() {
        if (this.samples.length < 2)
            return 0;
        const a = this.samples[0];
        const b = this.samples[this.samples.length - 1];
        const dt = (b.now - a.now) / 1000;
        // A reading needs a quarter second or a whole megabyte behind it: on a fast link the
        // first chunks may all land within 0.25 s, and "unknown" would then stay until the next
        // one (forever, while the next one is held or paused).
        const enough = dt >= 0.25 || (dt > 0 && b.bytes - a.bytes >= SPEED_MIN_BYTES);
        return enough ? (b.bytes - a.bytes) / dt : 0;
    }
}

function setText(el, text) {
    if (el.textContent !== text)
        el.textContent = text;
}

function errorText(err) {
    const status = err?.originalResponse?.getStatus?.();
    let body = '';
    try {
        body = JSON.parse(err.originalResponse.getBody())?.error?.message || '';
    } catch {
        body = '';
    }
    if (body)
        return body;
    if (status === 413)
        return 'The file is larger than the server accepts.';
    if (status === 507)
        return 'The server’s disk is full.';
    if (status)
        return `The server answered ${status}.`;
    return 'The server could not be reached.';
}

class UploadRow {
    constructor(template, key) {
        this.el = template.content.firstElementChild.cloneNode(true);
        this.el.dataset.key = key;
        const q = (sel) => this.el.querySelector(sel);
        this.name = q('.hw-upload-name');
        this.badge = q('.hw-upload-state');
        this.progress = q('.hw-upload-progress');
        this.bar = q('.hw-upload-bar');
        this.percent = q('.hw-upload-percent');
        this.processed = q('.hw-upload-processed');
        this.speed = q('.hw-upload-speed');
        this.eta = q('.hw-upload-eta');
        this.note = q('.hw-upload-note');
        this.buttons = {};
        for (const b of this.el.querySelectorAll('[data-upload-action]'))
            this.buttons[b.dataset.uploadAction] = b;
    }
}

/** One file being sent: its tus.Upload, its state and its row. */
class FileUpload {
    constructor(view, file, key) {
        this.view = view;
        this.file = file;
        this.key = key;
        this.state = 'starting';
        this.sent = 0;
        this.note = '';
        this.meter = new SpeedMeter();
        this.row = new UploadRow(view.template, key);
        this.row.name.textContent = file.name;
        this.row.name.title = file.name;
        this.row.progress.setAttribute('aria-label', `Upload of ${file.name}`);
        this.upload = new view.tus.Upload(file, {
            endpoint: new URL('/api/v1/uploads', location.href).href,
            chunkSize: CHUNK,
            // Brief hiccups retry by themselves; when the browser is offline tus-js-client gives
            // up at once and the page resumes on the "online" event instead.
            retryDelays: [0, 1000, 3000, 5000],
            metadata: { filename: file.name, filetype: file.type || 'application/octet-stream' },
            storeFingerprintForResuming: true,
            removeFingerprintOnSuccess: true,
            onProgress: (sent) => this.progressed(sent),
            onSuccess: () => this.set('done', 'Saved on the server; the “Upload” task verifies it.'),
            onError: (err) => this.failed(err),
            onAfterResponse: (_req, res) => {
                const id = res.getHeader('Headway-Task-Id');
                if (id)
                    this.taskId = id;
            },
        });
    }

    async start() {
        this.set('starting');
        try {
            const previous = await this.upload.findPreviousUploads();
            if (previous.length > 0) {
                this.upload.resumeFromPreviousUpload(previous[0]);
                this.note = 'Resuming where the server left off.';
            }
        } catch {
            // No localStorage (private mode...): a fresh upload works all the same.
        }
        if (this.state === 'canceled')
            return;
        this.go();
    }

    go() {
        this.meter.reset();
        this.set('uploading');
        this.upload.start();
    }

    progressed(sent) {
        // The first report after a resume is the server's offset: say so once.
        if (this.sent === 0 && sent > 0 && this.note.startsWith('Resuming'))
            this.note = `Resumed at ${formatProcessed({ processed: sent, total: this.file.size, unit: 'bytes' })}.`;
        this.sent = sent;
        this.meter.add(performance.now(), sent);
        if (this.state !== 'uploading' && this.state !== 'starting')
            return;
        this.state = 'uploading';
        this.view.schedule(this);
    }

    failed(err) {
        if (this.state === 'canceled' || this.state === 'paused')
            return;
        if (!navigator.onLine) {
            this.set('offline', 'Resumes by itself when the network is back.');
            return;
        }
        // No answer at all: Headway is restarting or gone for a while. Uploads survive its
        // restarts, so this one goes on when the page reaches it again (see serverBack()).
        if (!err?.originalResponse?.getStatus?.()) {
            this.set('unreachable', 'Resumes by itself when Headway is back.');
            return;
        }
        this.set('failed', errorText(err));
    }

    pause() {
        if (this.state !== 'uploading' && this.state !== 'starting')
            return;
        this.set('paused', 'The server keeps what it has; Resume goes on from there.');
        this.upload.abort(false).catch(() => {});
    }

    resume() {
        if (!['paused', 'offline', 'unreachable', 'failed'].includes(this.state))
            return;
        this.note = '';
        this.go(); // the upload keeps its URL: tus-js-client asks the server's offset (HEAD) first
    }

    cancel() {
        if (this.state === 'done' || this.state === 'canceled')
            return;
        const wasRunning = this.state !== 'paused';
        this.set('canceled', 'Removed from the server.');
        // Terminates (DELETE) and forgets the fingerprint; an upload never created has nothing to delete.
        const aborted = this.upload.url ? this.upload.abort(true) : this.upload.abort(false);
        aborted.catch(() => {
            if (wasRunning)
                this.set('canceled', 'Stopped; the server will expire what it received.');
        });
    }

    set(state, note) {
        this.state = state;
        if (note !== undefined)
            this.note = note;
        if (state === 'done')
            this.sent = this.file.size;
        this.view.schedule(this);
    }

    render() {
        const r = this.row;
        const total = this.file.size;
        const percent = total > 0 ? (this.sent / total) * 100 : (this.state === 'done' ? 100 : 0);
        const p = clampPercent(percent) ?? 0;
        r.bar.style.width = `${p}%`;
        r.bar.className = `progress-bar hw-upload-bar ${BAR[this.state] || ''}`;
        if (this.state === 'uploading' || this.state === 'starting')
            r.bar.classList.add('progress-bar-striped', 'progress-bar-animated');
        r.progress.setAttribute('aria-valuenow', String(Math.round(p)));
        const processed = formatProcessed({ processed: this.sent, total, unit: 'bytes' });
        r.progress.setAttribute('aria-valuetext', `${formatPercent(p)}, ${processed}`);
        setText(r.badge, LABELS[this.state]);
        r.badge.className = `badge hw-upload-state ${BADGE[this.state]}`;
        r.el.dataset.state = this.state;
        setText(r.percent, formatPercent(p));
        setText(r.processed, processed);
        const moving = this.state === 'uploading';
        const speed = moving ? this.meter.speed() : 0;
        // Unknown is shown as nothing, never as "0 B/s".
        setText(r.speed, speed > 0 ? formatSpeed(speed, 'bytes') : '');
        setText(r.eta, moving && speed > 0 ? `${formatEta((total - this.sent) / speed)} left` : '');
        setText(r.note, this.note);
        const can = {
            pause: this.state === 'uploading' || this.state === 'starting',
            resume: ['paused', 'offline', 'unreachable', 'failed'].includes(this.state),
            cancel: !['done', 'canceled'].includes(this.state),
            dismiss: ['done', 'canceled', 'failed'].includes(this.state),
        };
        for (const [action, button] of Object.entries(r.buttons)) {
            button.disabled = !can[action];
            button.hidden = !can[action];
        }
    }
}

export class UploadsView {
    /**
     * zone: the drop area, choose: the button opening the picker, input: <input type=file multiple>,
     * list: the <ul> of rows, template: the row <template>, pending: the element listing unfinished
     * uploads from an earlier visit, tus: window.tus.
     */
    constructor({ zone, choose, input, list, template, pending, tus }) {
        this.zone = zone;
        this.choose = choose;
        this.input = input;
        this.list = list;
        this.template = template;
        this.pending = pending;
        this.tus = tus;
        this.uploads = new Map();
        this.dirty = new Set();
        this.frame = 0;
        this.serial = 0;
        this.wire();
        this.showPending();
    }

    wire() {
        this.input.addEventListener('change', () => {
            this.add(this.input.files);
            this.input.value = ''; // the same file can be picked again (after a reload, to resume)
        });
        this.choose.addEventListener('click', () => this.input.click());
        for (const type of ['dragenter', 'dragover']) {
            this.zone.addEventListener(type, (event) => {
                event.preventDefault();
                event.dataTransfer.dropEffect = 'copy';
                this.zone.classList.add('hw-drop-over');
            });
        }
        this.zone.addEventListener('dragleave', (event) => {
            if (!this.zone.contains(event.relatedTarget))
                this.zone.classList.remove('hw-drop-over');
        });
        this.zone.addEventListener('drop', (event) => {
            event.preventDefault();
            this.zone.classList.remove('hw-drop-over');
            this.add(event.dataTransfer.files);
        });
        this.list.addEventListener('click', (event) => {
            const button = event.target.closest('button[data-upload-action]');
            const row = button?.closest('[data-key]');
            const upload = row && this.uploads.get(row.dataset.key);
            if (!upload || button.disabled)
                return;
            const action = button.dataset.uploadAction;
            if (action === 'dismiss') {
                this.uploads.delete(upload.key);
                row.remove();
                this.showPending();
            } else {
                upload[action]();
            }
        });
        window.addEventListener('online', () => this.resumeWaiting('offline'));
    }

    /** The page reaches Headway again (after a restart, say): waiting uploads go on. */
    serverBack() {
        this.resumeWaiting('offline', 'unreachable');
    }

    resumeWaiting(...states) {
        for (const upload of this.uploads.values()) {
            if (states.includes(upload.state))
                upload.resume();
        }
    }

    add(files) {
        for (const file of Array.from(files || [])) {
            // The same file twice at once would race on one server upload: keep the running one.
            const busy = [...this.uploads.values()].find((u) => u.file.name === file.name && u.file.size === file.size
                && u.file.lastModified === file.lastModified && !['done', 'canceled', 'failed'].includes(u.state));
            if (busy)
                continue;
            const key = `u${++this.serial}`;
            const upload = new FileUpload(this, file, key);
            this.uploads.set(key, upload);
            this.list.append(upload.row.el);
            upload.render();
            upload.start().finally(() => this.showPending());
        }
    }

    // Unfinished uploads remembered from an earlier visit: they resume when the same file is picked.
    async showPending() {
        if (!this.pending)
            return;
        let stored = [];
        try {
            stored = await this.tus.defaultOptions.urlStorage.findAllUploads();
        } catch {
            stored = [];
        }
        const active = new Set([...this.uploads.values()].map((u) => u.upload.url).filter(Boolean));
        const names = stored.filter((s) => !active.has(s.uploadUrl)).map((s) => s.metadata?.filename).filter(Boolean);
        const unique = [...new Set(names)];
        this.pending.textContent = unique.length
            ? `Unfinished from before: ${unique.join(', ')}. Pick the same file again to resume it.`
            : '';
        this.pending.classList.toggle('d-none', unique.length === 0);
    }

    schedule(upload) {
        this.dirty.add(upload);
        if (!this.frame) {
            // rAF does not run in a hidden tab: a timer keeps rows right when it comes back.
            this.frame = document.hidden ? setTimeout(() => this.flush(), 250) : requestAnimationFrame(() => this.flush());
        }
    }

    flush() {
        this.frame = 0;
        for (const upload of this.dirty)
            upload.render();
        this.dirty.clear();
    }
}
