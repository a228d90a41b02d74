// Bootstrap toasts for finished and failed tasks and for failed actions. The container is an
// aria-live region; a failure's toast is role=alert so screen readers say it at once.
const MAX_TOASTS = 4;

const KIND = {
    success: { header: 'text-success', role: 'status', delay: 5000 },
    danger: { header: 'text-danger', role: 'alert', delay: 10000 },
    info: { header: 'text-body', role: 'status', delay: 5000 },
};

export class Toaster {
    constructor(container) {
        this.container = container;
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

        const Toast = window.bootstrap?.Toast;
        if (Toast) {
            toast.addEventListener('hidden.bs.toast', () => toast.remove());
            Toast.getOrCreateInstance(toast, { delay: style.delay }).show();
        } else {
            // Bootstrap's script missing: show it plainly and drop it later.
            toast.classList.add('show');
            close.addEventListener('click', () => toast.remove());
            setTimeout(() => toast.remove(), style.delay);
        }
        return toast;
    }
}
