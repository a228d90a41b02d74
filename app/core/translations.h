#pragma once

// Installs Headway's translations into the running QCoreApplication (call once it exists).
// The strings are written in English; the bundled English "translation" holds only the plural
// forms of tr(..., n) strings ("1 task interrupted", "2 tasks interrupted"), which Qt takes from
// a translation file and never guesses. Returns false if the file could not be loaded.
bool installTranslations();
