// Follows the system's light/dark preference with Bootstrap 5.3's data-bs-theme, live.
// A classic script loaded in <head> so the right theme is there before the first paint.
(function () {
    'use strict';
    var query = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;
    function apply() {
        document.documentElement.setAttribute('data-bs-theme', query && query.matches ? 'dark' : 'light');
    }
    apply();
    if (query && query.addEventListener)
        query.addEventListener('change', apply);
}());
