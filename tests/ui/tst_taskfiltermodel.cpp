#include "ui/taskfiltermodel.h"
#include "ui/tasklistmodel.h"
#include "uitesthelpers.h"

#include <QAbstractItemModelTester>
#include <QTest>

class tst_TaskFilterModel : public QObject
{
    Q_OBJECT

private:
    QStringList titles(const QAbstractItemModel &m)
    {
        QStringList out;
        for (int r = 0; r < m.rowCount(); ++r)
            out.append(m.index(r, 0).data(TaskListModel::TitleRole).toString());
        return out;
    }

private Q_SLOTS:
    void filterAndSort()
    {
        TaskListModel source;
        TaskSnapshot a = makeSnapshot(u"b-run"_s, TaskState::Running, 50);
        TaskSnapshot b = makeSnapshot(u"a-done"_s, TaskState::Succeeded, 100, u"copy"_s);
        TaskSnapshot c = makeSnapshot(u"c-failed"_s, TaskState::Failed, 10);
        a.created = a.created.addSecs(1);
        b.created = b.created.addSecs(2);
        c.created = c.created.addSecs(3);
        source.applyEvents({ taskEvent(TaskEvent::Kind::Added, a),
                             taskEvent(TaskEvent::Kind::Added, b),
                             taskEvent(TaskEvent::Kind::Added, c) });
        TaskFilterModel filter;
        QAbstractItemModelTester tester(&filter,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        filter.setSourceModel(&source);
        QCOMPARE(titles(filter), (QStringList { u"b-run"_s, u"a-done"_s, u"c-failed"_s }));

        filter.setStateFilter(TaskFilterModel::StateFilter::Active);
        QCOMPARE(titles(filter), QStringList { u"b-run"_s });
        filter.setStateFilter(TaskFilterModel::StateFilter::Finished);
        QCOMPARE(titles(filter), (QStringList { u"a-done"_s, u"c-failed"_s }));
        filter.setStateFilter(TaskFilterModel::StateFilter::Failed);
        QCOMPARE(titles(filter), QStringList { u"c-failed"_s });
        filter.setStateFilter(TaskFilterModel::StateFilter::All);
        filter.setTypeFilter(u"copy"_s);
        QCOMPARE(titles(filter), QStringList { u"a-done"_s });
        filter.setTypeFilter({});

        filter.setSortKey(TaskFilterModel::SortKey::Title);
        QCOMPARE(titles(filter), (QStringList { u"a-done"_s, u"b-run"_s, u"c-failed"_s }));
        filter.setSortKey(TaskFilterModel::SortKey::Progress, Qt::DescendingOrder);
        QCOMPARE(titles(filter), (QStringList { u"a-done"_s, u"b-run"_s, u"c-failed"_s }));
        filter.setSortKey(TaskFilterModel::SortKey::Created, Qt::DescendingOrder);
        QCOMPARE(titles(filter), (QStringList { u"c-failed"_s, u"a-done"_s, u"b-run"_s }));

        // A state change moves a row in and out of a filter dynamically.
        filter.setStateFilter(TaskFilterModel::StateFilter::Active);
        QCOMPARE(filter.rowCount(), 1);
        a.state = TaskState::Succeeded;
        source.applyEvents({ taskEvent(TaskEvent::Kind::StateChanged, a, TaskState::Running) });
        QCOMPARE(filter.rowCount(), 0);
    }
};

QTEST_MAIN(tst_TaskFilterModel)
#include "tst_taskfiltermodel.moc"
