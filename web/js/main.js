// Wires the page together: the task mirror, the live connection, the list, the form, toasts.
import { api } from './api.js';
import { withSpinner } from './busy.js';
import { Connection } from './connection.js';
import { Disclosure } from './disclosure.js';
import { NewTaskForm, typesFromResponse } from './form.js';
import { TaskStore } from './sync.js';
import { TaskListView } from './tasklist.js';
import { Toaster } from './toasts.js';
import { actionRequest, isFinished } from './transitions.js';
import { UploadsView } from './uploads.js';

const $ = (id) => document.getElementById(id);

const store = new TaskStore();
const toaster = new Toaster($('toasts'));
const view = new TaskListView({
    list: $('tasks'),
    empty: $('empty'),
    counts: $('task-counts'),
    template: $('task-row'),
    store,
});

const PAST = { pause: 'pause', resume: 'resume', cancel: 'cancel', retry: 'retry', remove: 'remove' };

function titleOf(task, id) {
    return task?.title || task?.type || id;
}

// Toasts only for changes seen live (not for the history in the first snapshot); a burst of
// many finishing at once becomes one toast instead of a wall.
function announce(transitions) {
    const done = [];
    const failed = [];
    for (const { id, from, to } of transitions) {
        if (isFinished(from))
            continue;
        if (to === 'succeeded')
            done.push(id);
        else if (to === 'failed')
            failed.push(id);
    }
    if (done.length + failed.length > 3) {
        // One summary, worded as the window's: "5 tasks finished" / "2 failed." or "All succeeded."
        toaster.show({
            title: `${done.length + failed.length} tasks finished`,
            body: failed.length ? `${failed.length} failed.` : 'All succeeded.',
            kind: failed.length ? 'danger' : 'success',
        });
        return;
    }
    for (const id of done)
        toaster.show({ title: 'Task succeeded', body: `“${titleOf(store.tasks.get(id), id)}” succeeded.`, kind: 'success' });
    for (const id of failed) {
        const t = store.tasks.get(id);
        const why = t?.error?.message ? ` ${t.error.message}` : '';
        toaster.show({ title: 'Task failed', body: `“${titleOf(t, id)}” failed.${why}`, kind: 'danger' });
    }
}

function applySync(msg) {
    const result = store.apply(msg);
    if (!result.applied)
        return;
    view.update(result);
    announce(result.transitions); // the first snapshot has none: history is not news
}

// ---- connection indicator ---------------------------------------------------------------
const STATUS = {
    connecting: { text: 'Connecting…', cls: 'text-bg-secondary', title: 'Connecting to Headway' },
    live: { text: 'Live', cls: 'text-bg-success', title: 'Live updates over a WebSocket' },
    sse: { text: 'SSE', cls: 'text-bg-info', title: 'Live updates over Server-Sent Events (WebSocket unavailable)' },
    polling: { text: 'Polling', cls: 'text-bg-warning', title: 'Updates by polling every few seconds (push unavailable)' },
    offline: { text: 'Offline', cls: 'text-bg-danger', title: 'Cannot reach Headway: retrying' },
};
const indicator = $('connection');
let uploads = null; // the Uploads card (below), when the browser can upload
let lastStatus = 'connecting';
let form = null; // the New task form (below)
function showStatus(status, detail) {
    // Connected again (Headway restarted, the network returned): uploads waiting go on.
    const connected = (st) => st === 'live' || st === 'sse' || st === 'polling';
    if (connected(status) && !connected(lastStatus))
        uploads?.serverBack();
    // Offline: the list shows its last known state as such; back: errors of the outage go.
    const reachable = status !== 'offline';
    view.setStale(!reachable);
    $('stale-notice').hidden = reachable;
    if (connected(status) || status === 'sse')
        form?.clearNetworkError();
    lastStatus = status;
    const s = STATUS[status] || STATUS.connecting;
    indicator.textContent = s.text;
    indicator.className = `badge rounded-pill hw-connection ${s.cls}`;
    indicator.title = detail ? `${s.title}. ${detail}` : s.title;
    indicator.dataset.status = status;
}

const forced = new URLSearchParams(location.search).get('transport');
const connection = new Connection({
    onMessage: applySync,
    onStatus: showStatus,
    fetchSync: (rid, options) => api.sync(rid, options),
    getRid: () => store.rid,
    forced,
});

// ---- actions on rows ------------------------------------------------------------------
async function runAction(button, id, action) {
    const task = store.tasks.get(id);
    const { method, path } = actionRequest(action, id);
    view.setBusy(id, action);
    try {
        await withSpinner(button, () => api.act(method, path), { disable: false });
        // The answer is not applied: a push that already brought a newer state would be
        // overwritten by it. The sync stream brings the change; a poller asks at once.
        if (action === 'remove')
            applySync({ removed: [id] });
        connection.poke();
    } catch (err) {
        toaster.show({ title: `Could not ${PAST[action]} “${titleOf(task, id)}”`, body: err.message, kind: 'danger' });
    } finally {
        view.setBusy(id, null);
    }
}

$('tasks').addEventListener('click', (event) => {
    const button = event.target.closest('button[data-action]');
    if (!button || button.disabled)
        return;
    const row = button.closest('[data-id]');
    if (row && !view.rowFor(row.dataset.id)?.busy)
        runAction(button, row.dataset.id, button.dataset.action);
});

$('remove-finished').addEventListener('click', async (event) => {
    const button = event.currentTarget;
    try {
        await withSpinner(button, () => api.removeFinished());
        connection.poke();
    } catch (err) {
        toaster.show({ title: 'Could not remove finished tasks', body: err.message, kind: 'danger' });
    }
});

for (const radio of document.querySelectorAll('input[name="filter"]'))
    radio.addEventListener('change', () => view.setFilter(radio.value));

// ---- new task form ----------------------------------------------------------------------
// Folded on narrow screens (CSS shows it at lg and up, the same breakpoint as the two columns).
const newTaskFold = new Disclosure({
    button: $('new-task-toggle'),
    panel: $('new-task'),
    wide: window.matchMedia('(min-width: 992px)'),
});
form = new NewTaskForm({
    form: $('new-task'),
    typeSelect: $('task-type'),
    typeDescription: $('task-type-description'),
    title: $('task-title'),
    params: $('task-params'),
    error: $('form-error'),
    submit: $('start-task'),
    onSubmit: (spec) => withSpinner($('start-task'), async () => {
        const task = await api.submit(spec);
        // Shown at once, unless the sync stream was quicker (then it holds a newer state).
        if (task && typeof task.id === 'string' && !store.tasks.has(task.id))
            applySync({ tasks: [task] });
        connection.poke();
        return task;
    }).catch((err) => {
        newTaskFold.setOpen(true); // folded while the request was out: its errors must be seen
        throw err;
    }),
    onCheck: (spec) => api.check(spec),
});

const pageError = $('page-error');
function showPageError(message) {
    pageError.textContent = message;
    pageError.classList.toggle('d-none', !message);
}

async function loadTypes(attempt = 0) {
    try {
        form.setTypes(typesFromResponse(await api.taskTypes()));
        showPageError('');
    } catch (err) {
        showPageError(`The list of task kinds could not be loaded: ${err.message}`);
        setTimeout(() => loadTypes(attempt + 1), Math.min(30000, 1000 * 2 ** attempt));
    }
}

// ---- uploads (tus) --------------------------------------------------------------------------
// Each upload is also an "upload" task on the server: its row in the task list comes by sync.
if (window.tus && window.tus.isSupported) {
    uploads = new UploadsView({
        zone: $('upload-zone'),
        choose: $('upload-choose'),
        input: $('upload-input'),
        list: $('uploads'),
        template: $('upload-row'),
        pending: $('upload-pending'),
        tus: window.tus,
    });
} else {
    $('upload-zone').textContent = 'This browser cannot upload files here.';
}

// ---- lifecycle --------------------------------------------------------------------------
document.addEventListener('visibilitychange', () => {
    if (!document.hidden) {
        connection.resync();
        view.schedule();
    }
});
window.addEventListener('online', () => connection.resync());
window.addEventListener('offline', () => showStatus('offline', 'The network is down'));

showStatus('connecting');
loadTypes();
connection.start();

// For tests and debugging from the console: the page's parts, read-only by convention.
window.__headway = { store, view, connection, toaster, form, newTaskFold, uploads };
