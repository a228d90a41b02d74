#pragma once

#include "app/core/taskstate.h"

#include <QSet>
#include <QSortFilterProxyModel>

#include <optional>

// Filters the task list by state group and type and sorts it by a chosen key. Sorting compares
// role values directly (no string conversion), so re-sorting 10,000 rows stays cheap.
class TaskFilterModel final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TaskFilterModel)

public:
    enum class StateFilter { All, Active, Finished, Failed };
    Q_ENUM(StateFilter)
    enum class SortKey { Created, Title, State, Progress, Type };
    Q_ENUM(SortKey)

    explicit TaskFilterModel(QObject *parent = nullptr);

    StateFilter stateFilter() const { return m_stateFilter; }
    void setStateFilter(StateFilter filter);
    QString typeFilter() const { return m_typeFilter; } // empty = every type
    void setTypeFilter(const QString &type);
    SortKey sortKey() const { return m_sortKey; }
    void setSortKey(SortKey key, Qt::SortOrder order = Qt::AscendingOrder);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    StateFilter m_stateFilter = StateFilter::All;
    QString m_typeFilter;
    SortKey m_sortKey = SortKey::Created;
};
