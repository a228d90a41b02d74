#include "screenshotscenario.h"

#include "ui/animationpolicy.h"
#include "ui/mainwindow.h"
#include "ui/tasklistmodel.h"
#include "ui/toaststack.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QUuid>

using namespace Qt::StringLiterals;

QList<TaskSnapshot> ScreenshotScenario::tasks(QString *selectId)
{
    const QDateTime base(QDate(2026, 1, 2), QTime(10, 0), Qt::UTC);
    int n = 0;
    const auto make = [&](const QString &title, TaskState state, std::optional<double> percent,
                          const QString &message, const QString &type) {
        TaskSnapshot t;
        t.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        t.type = type;
        t.title = title;
        t.state = state;
        t.created = base.addSecs(n++);
        if (state != TaskState::Queued)
            t.started = t.created.addSecs(5);
        if (isFinished(state))
            t.finished = t.started.addSecs(95);
        t.progress.percent = percent;
        t.progress.message = message;
        return t;
    };
    TaskSnapshot a
        = make(QCoreApplication::translate("ScreenshotScenario", "Checksum ubuntu-24.04.iso"),
               TaskState::Running, 62.5,
               QCoreApplication::translate("ScreenshotScenario", "Reading blocks"), u"checksum"_s);
    a.progress.unit = u"bytes"_s;
    a.progress.processed = 3'800'000'000;
    a.progress.total = 6'100'000'000;
    a.progress.speed = 412.0 * 1024 * 1024;
    a.progress.eta = 6;
    a.params = QJsonObject { { u"path"_s, u"/home/me/Downloads/ubuntu-24.04.iso"_s },
                             { u"algorithm"_s, u"sha256"_s } };
    TaskSnapshot b
        = make(QCoreApplication::translate("ScreenshotScenario", "Build and publish site"),
               TaskState::Running, 40,
               QCoreApplication::translate("ScreenshotScenario", "Rendering pages"), u"pipeline"_s);
    b.progress.steps = QStringList { QCoreApplication::translate("ScreenshotScenario", "Fetch"),
                                     QCoreApplication::translate("ScreenshotScenario", "Build"),
                                     QCoreApplication::translate("ScreenshotScenario", "Test"),
                                     QCoreApplication::translate("ScreenshotScenario", "Publish") };
    b.progress.step = 1;
    b.params = QJsonObject { { u"steps"_s, 4 } };
    TaskSnapshot c
        = make(QCoreApplication::translate("ScreenshotScenario", "Copy photos to backup"),
               TaskState::Paused, 23,
               QCoreApplication::translate("ScreenshotScenario", "Paused by you"), u"copy"_s);
    TaskSnapshot d = make(QCoreApplication::translate("ScreenshotScenario", "Index mailbox"),
                          TaskState::Running, std::nullopt,
                          QCoreApplication::translate("ScreenshotScenario", "Scanning folders…"),
                          u"command"_s);
    TaskSnapshot e = make(QCoreApplication::translate("ScreenshotScenario", "Resize 240 images"),
                          TaskState::Succeeded, 100,
                          QCoreApplication::translate("ScreenshotScenario", "Done"), u"demo"_s);
    TaskSnapshot f = make(QCoreApplication::translate("ScreenshotScenario", "Upload logs"),
                          TaskState::Failed, 71, {}, u"command"_s);
    f.error
        = TaskError { u"exit_code"_s,
                      QCoreApplication::translate("ScreenshotScenario", "curl exited with code 7"),
                      {} };
    TaskSnapshot g = make(
        QCoreApplication::translate("ScreenshotScenario", "Nightly report"), TaskState::Queued, 0,
        QCoreApplication::translate("ScreenshotScenario", "Waiting for a worker"), u"demo"_s);
    *selectId = b.id;
    return { a, b, c, d, e, f, g };
}

bool ScreenshotScenario::capture(MainWindow &window, const QString &selectId, const QString &path)
{
    AnimationPolicy::setEnabled(false);
    window.resize(1180, 700);
    window.show();
    // The tasks arrive as queued events: let them in, within a bound.
    QElapsedTimer timer;
    timer.start();
    const auto *model = window.findChild<TaskListModel *>(u"taskModel"_s);
    while (!selectId.isEmpty() && model && model->rowOf(selectId) < 0 && timer.elapsed() < 5000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    window.selectTask(selectId);
    if (auto *toasts = window.findChild<ToastStack *>(u"toasts"_s))
        toasts->showToast(Toast::Kind::Success,
                          QCoreApplication::translate("ScreenshotScenario", "Task succeeded"),
                          QCoreApplication::translate("ScreenshotScenario", "Resize 240 images"),
                          QCoreApplication::translate("ScreenshotScenario", "Show"));
    for (int i = 0; i < 5; ++i)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    const QImage image = window.grab().toImage();
    QDir().mkpath(QFileInfo(path).absolutePath());
    if (image.isNull() || !image.save(path, "PNG")) {
        qWarning("Could not save the screenshot to %s", qPrintable(path));
        return false;
    }
    return true;
}
