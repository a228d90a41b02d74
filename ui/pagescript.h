#pragma once

#include <QString>
#include <QVariant>

class QWebEnginePage;

// Runs a script in a page and waits (spinning the event loop) for its value: for the screenshot
// tool and tests, never for the running app. The value is invalid on a timeout. The callback
// may fire after the wait gave up, even during teardown: it holds only a QPointer to a heap
// object, never a stack local.
QVariant runScriptAndWait(QWebEnginePage *page, const QString &script, int timeoutMs);
