// Short actions show a spinner only when they take long enough to notice (~400 ms): quick
// answers never flash one.
export const SPINNER_DELAY_MS = 400;

/**
 * Runs `work()` for `button`: disabled at once, a spinner after the delay, restored after.
 * disable: false marks it aria-disabled only, so keyboard focus stays on it (the caller then
 * ignores clicks while busy and decides what is enabled afterwards).
 */
export async function withSpinner(button, work, { delay = SPINNER_DELAY_MS, disable = true } = {}) {
    let spinner = null;
    const timer = setTimeout(() => {
        spinner = document.createElement('span');
        spinner.className = 'spinner-border spinner-border-sm hw-busy-spinner';
        spinner.setAttribute('aria-hidden', 'true');
        button.prepend(spinner);
        button.setAttribute('aria-busy', 'true');
    }, delay);
    if (disable)
        button.disabled = true;
    else
        button.setAttribute('aria-disabled', 'true');
    try {
        return await work();
    } finally {
        clearTimeout(timer);
        spinner?.remove();
        button.removeAttribute('aria-busy');
        if (disable)
            button.disabled = false;
        else
            button.removeAttribute('aria-disabled');
    }
}
