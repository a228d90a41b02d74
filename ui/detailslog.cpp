#include "detailslog.h"

#include "app/progress/progressmodel.h"

#include <QFontDatabase>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QToolButton>
#include <QVBoxLayout>

DetailsLog::DetailsLog(ProgressModel &model, QWidget *parent)
    : QWidget(parent), m_model(model), m_toggle(new QToolButton(this)),
      m_view(new QPlainTextEdit(this))
{
    m_toggle->setText(tr("Show details"));
    m_toggle->setCheckable(true);
    m_toggle->setAutoRaise(true);
    m_toggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toggle->setArrowType(Qt::RightArrow);
    m_view->setReadOnly(true);
    m_view->setAccessibleName(tr("Details"));
    m_view->setMaximumBlockCount(5000);
    m_view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_view->setMinimumHeight(m_view->fontMetrics().lineSpacing() * 8);
    m_view->hide();
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_toggle, 0, Qt::AlignLeft);
    layout->addWidget(m_view, 1);
    connect(m_toggle, &QToolButton::toggled, this, &DetailsLog::setExpanded);
    connect(&m_model, &ProgressModel::logAppended, this, [this](const QString &line) {
        QScrollBar *bar = m_view->verticalScrollBar();
        const bool atEnd = bar->value() == bar->maximum();
        m_view->appendPlainText(line);
        if (atEnd)
            bar->setValue(bar->maximum());
    });
    connect(&m_model, &ProgressModel::logReset, this, &DetailsLog::reload);
    reload();
}

void DetailsLog::reload()
{
    m_view->setPlainText(m_model.log().join(u'\n'));
    m_view->verticalScrollBar()->setValue(m_view->verticalScrollBar()->maximum());
}

void DetailsLog::setExpanded(bool expanded)
{
    if (expanded == m_view->isVisible() && expanded == m_toggle->isChecked())
        return;
    m_toggle->setChecked(expanded);
    m_toggle->setText(expanded ? tr("Hide details") : tr("Show details"));
    m_toggle->setArrowType(expanded ? Qt::DownArrow : Qt::RightArrow);
    m_view->setVisible(expanded);
    Q_EMIT expandedChanged(expanded);
}

bool DetailsLog::isExpanded() const
{
    return m_toggle->isChecked();
}
