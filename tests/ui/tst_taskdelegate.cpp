#include "ui/taskdelegate.h"
#include "ui/taskformat.h"
#include "ui/tasklistmodel.h"
#include "uitesthelpers.h"

#include <QListView>
#include <QPainter>
#include <QPixmapCache>
#include <QProxyStyle>
#include <QStyleFactory>
#include <QTest>

namespace {
// Counts the progress bars the style draws.
class CountingStyle final : public QProxyStyle
{
public:
    CountingStyle() : QProxyStyle(QStyleFactory::create(u"Fusion"_s)) { }
    void drawControl(ControlElement element, const QStyleOption *option, QPainter *painter,
                     const QWidget *widget) const override
    {
        const bool bar = element == CE_ProgressBar || element == CE_ProgressBarGroove;
        if (bar && m_depth == 0)
            ++bars; // a bar's own groove is part of it
        m_depth += bar;
        QProxyStyle::drawControl(element, option, painter, widget);
        m_depth -= bar;
    }
    mutable int bars = 0;

private:
    mutable int m_depth = 0;
};
} // namespace

class tst_TaskDelegate : public QObject
{
    Q_OBJECT

private:
    static QImage paintRow(TaskDelegate &delegate, TaskListModel &model, int row, QListView &view)
    {
        QStyleOptionViewItem opt;
        opt.initFrom(&view);
        opt.widget = &view;
        opt.rect
            = QRect(QPoint(0, 0), QSize(500, delegate.sizeHint(opt, model.index(row)).height()));
        QImage img(opt.rect.size(), QImage::Format_ARGB32);
        img.fill(Qt::white);
        QPainter p(&img);
        delegate.paint(&p, opt, model.index(row));
        return img;
    }

private Q_SLOTS:
    void paintsEveryState()
    {
        TaskListModel model;
        TaskEvents events;
        for (int s = 0; s <= int(TaskState::Interrupted); ++s) {
            TaskSnapshot t = makeSnapshot(u"Task %1"_s.arg(s), TaskState(s),
                                          s % 2 ? std::optional<double>(42) : std::nullopt);
            t.progress.speed = 1000;
            t.progress.unit = u"bytes"_s;
            t.progress.eta = 12;
            t.progress.steps = QStringList { u"a"_s, u"b"_s };
            t.progress.step = 1;
            events.append(taskEvent(TaskEvent::Kind::Added, t));
        }
        model.applyEvents(events);
        QListView view;
        TaskDelegate delegate;
        for (int r = 0; r < model.rowCount(); ++r) {
            const QImage img = paintRow(delegate, model, r, view);
            QVERIFY(!img.isNull());
        }
    }

    // A row's bar has its state's colour, the one the detail pane's bar and the page use:
    // a succeeded bar is green in the list too (it was the palette's blue highlight).
    void barHasStateColor_data()
    {
        QTest::addColumn<TaskState>("state");
        QTest::newRow("running") << TaskState::Running;
        QTest::newRow("succeeded") << TaskState::Succeeded;
        QTest::newRow("interrupted") << TaskState::Interrupted;
    }
    void barHasStateColor()
    {
        QFETCH(TaskState, state);
        TaskListModel model;
        model.applyEvents({ taskEvent(TaskEvent::Kind::Added,
                                      makeSnapshot(u"bar"_s, state, std::optional<double>(100))) });
        QListView view;
        TaskDelegate delegate;
        const QImage img = paintRow(delegate, model, 0, view);
        const QColor want = TaskFormat::stateColor(state, view.palette());
        const QColor highlight = view.palette().color(QPalette::Highlight);
        const auto near = [](QRgb p, const QColor &c) {
            return std::abs(qRed(p) - c.red()) <= 12 && std::abs(qGreen(p) - c.green()) <= 12
                && std::abs(qBlue(p) - c.blue()) <= 12;
        };
        int stateColored = 0;
        int highlighted = 0;
        for (int y = 0; y < img.height(); ++y) {
            for (int x = 0; x < img.width(); ++x) {
                stateColored += near(img.pixel(x, y), want);
                highlighted += want != highlight && near(img.pixel(x, y), highlight);
            }
        }
        QVERIFY2(stateColored > 200, qPrintable(QString::number(stateColored)));
        QCOMPARE(highlighted, 0);
    }

    void indeterminateMoves()
    {
        TaskListModel model;
        model.applyEvents(
            { taskEvent(TaskEvent::Kind::Added, makeSnapshot(u"busy"_s, TaskState::Running)) });
        QListView view;
        TaskDelegate delegate;
        delegate.setAnimationPhase(0.2);
        const QImage a = paintRow(delegate, model, 0, view);
        delegate.setAnimationPhase(0.7);
        const QImage b = paintRow(delegate, model, 0, view);
        QVERIFY(a != b);
        delegate.setAnimationPhase(0.2);
        QCOMPARE(paintRow(delegate, model, 0, view), a); // deterministic for a phase
    }

    // 10,000 finished tasks look alike: their bars are drawn by the style once, then come from
    // the pixmap cache (the list's scroll spent most of its frame in the style's bar), with
    // the same pixels.
    void barsAreDrawnOncePerLook_data()
    {
        QTest::addColumn<QList<int>>("percents"); // -2: succeeded, -3: failed, else running at
        QTest::addColumn<int>("looks");
        QTest::newRow("succeeded alike") << QList<int>(20, -2) << 1;
        QTest::newRow("succeeded and failed") << (QList<int>(10, -2) + QList<int>(10, -3)) << 2;
        QTest::newRow("running at two percents") << (QList<int>(5, 42) + QList<int>(5, 60)) << 2;
        QTest::newRow("running, not started") << QList<int>(5, 0) << 1;
    }

    void barsAreDrawnOncePerLook()
    {
        QFETCH(QList<int>, percents);
        QFETCH(int, looks);
        TaskListModel model;
        TaskEvents events;
        for (int i = 0; i < percents.size(); ++i) {
            const int p = percents.at(i);
            const TaskState state = p == -2 ? TaskState::Succeeded
                : p == -3                   ? TaskState::Failed
                                            : TaskState::Running;
            events.append(taskEvent(
                TaskEvent::Kind::Added,
                makeSnapshot(u"Task %1"_s.arg(i), state,
                             p >= 0 ? std::optional<double>(p) : std::optional<double>(100))));
        }
        model.applyEvents(events);
        QListView view;
        CountingStyle style;
        view.setStyle(&style);
        TaskDelegate delegate;
        QPixmapCache::clear();
        QList<QImage> first;
        for (int pass = 0; pass < 2; ++pass) {
            for (int r = 0; r < model.rowCount(); ++r) {
                const QImage img = paintRow(delegate, model, r, view);
                if (pass == 0)
                    first.append(img);
                else
                    QCOMPARE(img, first.at(r)); // from the cache: the same pixels
            }
        }
        QCOMPARE(style.bars, looks);
        // Drawn afresh once the cache was emptied: the same again.
        QPixmapCache::clear();
        QCOMPARE(paintRow(delegate, model, 0, view), first.at(0));
    }

    void sizeFollowsFont()
    {
        TaskListModel model;
        model.applyEvents({ taskEvent(TaskEvent::Kind::Added, makeSnapshot(u"x"_s)) });
        TaskDelegate delegate;
        QStyleOptionViewItem opt;
        QFont f;
        f.setPointSize(10);
        opt.font = f;
        const int small = delegate.sizeHint(opt, model.index(0)).height();
        f.setPointSize(20);
        opt.font = f;
        const int big = delegate.sizeHint(opt, model.index(0)).height();
        QVERIFY(big > small * 3 / 2);
    }
};

QTEST_MAIN(tst_TaskDelegate)
#include "tst_taskdelegate.moc"
