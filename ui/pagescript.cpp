#include "ui/pagescript.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QPointer>
#include <QWebEnginePage>

namespace {

struct ScriptResult : QObject
{
    QVariant value;
    bool done = false;
};

} // namespace

QVariant runScriptAndWait(QWebEnginePage *page, const QString &script, int timeoutMs)
{
    if (!page)
        return {};
    QPointer<ScriptResult> result = new ScriptResult;
    page->runJavaScript(script, [result](const QVariant &v) {
        if (result) {
            result->value = v;
            result->done = true;
        }
    });
    const QDeadlineTimer deadline(timeoutMs);
    while (!result->done && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    const QVariant value = result->done ? result->value : QVariant();
    delete result;
    return value;
}
