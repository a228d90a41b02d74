#include "taskfiltermodel.h"

#include "tasklistmodel.h"

#include <QDateTime>

TaskFilterModel::TaskFilterModel(QObject *parent) : QSortFilterProxyModel(parent)
{
    setDynamicSortFilter(true);
    setSortRole(TaskListModel::CreatedRole);
    sort(0, Qt::AscendingOrder);
}

void TaskFilterModel::setStateFilter(StateFilter filter)
{
    if (filter == m_stateFilter)
        return;
    m_stateFilter = filter;
    invalidateRowsFilter();
}

void TaskFilterModel::setTypeFilter(const QString &type)
{
    if (type == m_typeFilter)
        return;
    m_typeFilter = type;
    invalidateRowsFilter();
}

void TaskFilterModel::setSortKey(SortKey key, Qt::SortOrder order)
{
    m_sortKey = key;
    // The sort role tells the proxy which changes can move rows.
    switch (key) {
    case SortKey::Created:
        setSortRole(TaskListModel::CreatedRole);
        break;
    case SortKey::Title:
        setSortRole(TaskListModel::TitleRole);
        break;
    case SortKey::State:
        setSortRole(TaskListModel::StateRole);
        break;
    case SortKey::Progress:
        setSortRole(TaskListModel::PercentRole);
        break;
    case SortKey::Type:
        setSortRole(TaskListModel::TypeRole);
        break;
    }
    invalidate();
    sort(0, order);
}

bool TaskFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex idx = sourceModel()->index(sourceRow, 0, sourceParent);
    if (!m_typeFilter.isEmpty() && idx.data(TaskListModel::TypeRole).toString() != m_typeFilter)
        return false;
    const auto state = TaskState(idx.data(TaskListModel::StateRole).toInt());
    switch (m_stateFilter) {
    case StateFilter::All:
        return true;
    case StateFilter::Active:
        return !isFinished(state);
    case StateFilter::Finished:
        return isFinished(state);
    case StateFilter::Failed:
        return state == TaskState::Failed || state == TaskState::Interrupted;
    }
    return true;
}

bool TaskFilterModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const auto tieBreak = [&] {
        // Stable order among equal keys: creation time, then source row.
        const QDateTime a = left.data(TaskListModel::CreatedRole).toDateTime();
        const QDateTime b = right.data(TaskListModel::CreatedRole).toDateTime();
        if (a != b)
            return a < b;
        return left.row() < right.row();
    };
    switch (m_sortKey) {
    case SortKey::Created:
        return tieBreak();
    case SortKey::Title: {
        const int c = QString::localeAwareCompare(left.data(TaskListModel::TitleRole).toString(),
                                                  right.data(TaskListModel::TitleRole).toString());
        return c != 0 ? c < 0 : tieBreak();
    }
    case SortKey::Type: {
        const int c = QString::compare(left.data(TaskListModel::TypeRole).toString(),
                                       right.data(TaskListModel::TypeRole).toString());
        return c != 0 ? c < 0 : tieBreak();
    }
    case SortKey::State: {
        const int a = left.data(TaskListModel::StateRole).toInt();
        const int b = right.data(TaskListModel::StateRole).toInt();
        return a != b ? a < b : tieBreak();
    }
    case SortKey::Progress: {
        const double a = left.data(TaskListModel::PercentRole).toDouble();
        const double b = right.data(TaskListModel::PercentRole).toDouble();
        return a != b ? a < b : tieBreak();
    }
    }
    return tieBreak();
}
