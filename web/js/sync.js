// Merges the server's sync diffs ({rid, full_update, tasks, removed}) into a Map id -> task.
// Pure (no DOM, no network): the same code handles the WebSocket snapshot and change messages,
// the SSE payloads and /api/v1/sync poll answers, and it is unit-tested under node.

/** Is this object a sync payload (snapshot or diff) rather than a reply or a ping? */
export function isSyncMessage(msg) {
    return msg !== null && typeof msg === 'object' && !Array.isArray(msg)
        && (Array.isArray(msg.tasks) || Array.isArray(msg.removed) || msg.full_update === true);
}

/** Returns a copy of `old` updated with the fields present in `patch` (progress merged too). */
export function mergeTask(old, patch) {
    if (!old)
        return { ...patch };
    const merged = { ...old, ...patch };
    if (old.progress && patch.progress && typeof patch.progress === 'object')
        merged.progress = { ...old.progress, ...patch.progress };
    return merged;
}

/**
 * A client-side mirror of the server's task set.
 * apply() returns what changed so a view can touch only those rows:
 *   {applied, full, changed: Set<id>, removed: Set<id>, transitions: [{id, from, to}]}
 */
export class TaskStore {
    constructor() {
        this.tasks = new Map();
        this.rid = 0;
        this.synced = false; // a full update has been seen
    }

    apply(msg) {
        const result = { applied: false, full: false, changed: new Set(), removed: new Set(), transitions: [] };
        if (!isSyncMessage(msg))
            return result;
        const full = msg.full_update === true;
        const rid = Number.isFinite(msg.rid) ? msg.rid : null;
        // A diff older than what we hold (a late poll answer after a push) would undo news.
        if (!full && rid !== null && this.synced && rid < this.rid)
            return result;
        result.applied = true;
        result.full = full;

        const incoming = Array.isArray(msg.tasks) ? msg.tasks : [];
        if (full) {
            const keep = new Set();
            for (const t of incoming) {
                if (t && typeof t.id === 'string')
                    keep.add(t.id);
            }
            for (const id of this.tasks.keys()) {
                if (!keep.has(id)) {
                    this.tasks.delete(id);
                    result.removed.add(id);
                }
            }
        }
        for (const t of incoming) {
            if (!t || typeof t.id !== 'string')
                continue;
            const old = this.tasks.get(t.id);
            // A full update carries whole tasks: replace, so fields dropped server-side go.
            const next = full || !old ? { ...t } : mergeTask(old, t);
            if (old && old.state !== next.state)
                result.transitions.push({ id: t.id, from: old.state, to: next.state });
            this.tasks.set(t.id, next);
            result.changed.add(t.id);
        }
        if (Array.isArray(msg.removed)) {
            for (const id of msg.removed) {
                if (this.tasks.delete(id)) {
                    result.removed.add(id);
                    result.changed.delete(id);
                }
            }
        }
        if (rid !== null)
            this.rid = full ? rid : Math.max(this.rid, rid);
        if (full)
            this.synced = true;
        return result;
    }

    /** Puts one task as returned by a REST call (POST /tasks, /cancel...) into the mirror. */
    upsert(task) {
        return this.apply({ tasks: [task] });
    }

    /** Tasks newest first (created descending, then id), the order the list shows. */
    ordered() {
        return [...this.tasks.values()].sort(compareTasks);
    }

    counts() {
        const counts = {};
        for (const t of this.tasks.values())
            counts[t.state] = (counts[t.state] || 0) + 1;
        return counts;
    }
}

export function compareTasks(a, b) {
    const ca = a.created || '';
    const cb = b.created || '';
    if (ca !== cb)
        return ca < cb ? 1 : -1;
    return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}
