// Bootstrap toasts for finished and failed tasks and for failed actions. The container is an
// aria-live region; a failure's toast is role=alert so screen readers say it at once.
const MAX_TOASTS = 4;

const KIND = {
    success: { header: 'text-success', role: 'status', delay: 5000 },
    danger: { header: 'text-danger', role: 'alert', delay: 10000 },
    info: { header: 'text-body', role: 'status', delay: 5000 },
};

const PRESSABLE = 'button, a, input, select, textarea, summary, label, [role=button]';

function intersects(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

export class Toaster {
    constructor(container) {
        this.container = container;
        // The control the user pressed last: a toast must never land on it (on a phone the
        // bottom-fixed toasts would sit on the Start button just tapped).
        this.pressed = null;
        const remember = (e) => {
            const el = e.target instanceof Element ? e.target.closest(PRESSABLE) : null;
            if (el && !container.contains(el))
                this.pressed = el;
        };
        document.addEventListener('pointerdown', remember, true);
        document.addEventListener('keydown', remember, true);
    }

    /** Puts the stack at the top or the bottom of the window, away from the control pressed last. */
    place() {
        const c = this.container;
        const el = this.pressed?.isConnected ? this.pressed : null;
        if (!el) {
            c.classList.remove('hw-toasts-top');
            return;
        }
        const target = el.getBoundingClientRect();
        c.classList.remove('hw-toasts-top');
        if (intersects(c.getBoundingClientRect(), target))
            c.classList.add('hw-toasts-top');
    }

    show({ title, body = '', kind = 'info' }) {
        const style = KIND[kind] || KIND.info;
        const toast = document.createElement('div');
        toast.className = `toast hw-toast hw-toast-${kind}`;
        toast.setAttribute('role', style.role);
        toast.setAttribute('aria-atomic', 'true');
        const header = document.createElement('div');
        header.className = 'toast-header';
        const strong = document.createElement('strong');
        strong.className = `me-auto ${style.header}`;
        strong.textContent = title;
        const close = document.createElement('button');
        close.type = 'button';
        close.className = 'btn-close';
        close.setAttribute('data-bs-dismiss', 'toast');
        close.setAttribute('aria-label', 'Close');
        header.append(strong, close);
        toast.append(header);
        if (body) {
            const b = document.createElement('div');
            b.className = 'toast-body text-break';
            b.textContent = body;
            toast.append(b);
        }
        while (this.container.children.length >= MAX_TOASTS)
            this.container.firstElementChild.remove();
        this.container.append(toast);
        this.place();

        const Toast = window.bootstrap?.Toast;
        if (Toast) {
            toast.addEventListener('hidden.bs.toast', () => toast.remove());
            Toast.getOrCreateInstance(toast, { delay: style.delay }).show();
            toast.addEventListener('shown.bs.toast', () => this.place(), { once: true });
        } else {
            // Bootstrap's script missing: show it plainly and drop it later.
            toast.classList.add('show');
            close.addEventListener('click', () => toast.remove());
            setTimeout(() => toast.remove(), style.delay);
        }
        return toast;
    }
}
