#include "app/core/statictasksource.h"
#include "app/core/taskengine.h"
#include "tests/ui/screenshotscenario.h"
#include "ui/animationpolicy.h"
#include "ui/mainwindow.h"
#include "uitesthelpers.h"

#include <QImage>
#include <QSet>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

class tst_ScreenshotScenario : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    static EngineOptions idle()
    {
        EngineOptions o;
        o.runTasks = false;
        return o;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.path());
    }

    void showsEveryKindOfTask()
    {
        TaskTypeRegistry registry;
        registerTestTypes(registry);
        QString selected;
        const StaticTaskSource shown(ScreenshotScenario::tasks(&selected), registry);
        QCOMPARE(shown.tasks().size(), 7);
        QSet<TaskState> states;
        for (const TaskSnapshot &t : shown.tasks())
            states.insert(t.state);
        QVERIFY(states.contains(TaskState::Running) && states.contains(TaskState::Paused)
                && states.contains(TaskState::Succeeded) && states.contains(TaskState::Failed)
                && states.contains(TaskState::Queued));
        QCOMPARE(shown.task(selected)->progress.steps.size(), 4);
    }

    // The point of the scenario: the same build paints the same pixels.
    void samePixelsTwice()
    {
        QImage images[2];
        for (QImage &image : images) {
            TaskTypeRegistry registry;
            registerTestTypes(registry);
            TaskEngine engine(registry, idle());
            QString selected;
            StaticTaskSource shown(ScreenshotScenario::tasks(&selected), registry);
            MainWindow w(engine, &shown);
            const QString path = m_dir.filePath(u"shot.png"_s);
            QVERIFY(ScreenshotScenario::capture(w, selected, path));
            image = QImage(path);
            QVERIFY(!image.isNull());
        }
        QCOMPARE(images[0].size(), images[1].size());
        QVERIFY(images[0] == images[1]);
        AnimationPolicy::setEnabled(true);
    }

    void badPathIsAnError()
    {
        TaskTypeRegistry registry;
        registerTestTypes(registry);
        TaskEngine engine(registry, idle());
        MainWindow w(engine);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"Could not save the screenshot"_s));
        QVERIFY(!ScreenshotScenario::capture(w, QString(), u"/proc/nope/shot.png"_s));
        AnimationPolicy::setEnabled(true);
    }
};

QTEST_MAIN(tst_ScreenshotScenario)
#include "tst_screenshotscenario.moc"
