#include "taskdelegate.h"

#include "taskformat.h"
#include "tasklistmodel.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>
#include <QPixmapCache>
#include <QStyle>
#include <QStyleOptionProgressBar>
#include <QStyleOptionViewItem>

using namespace Qt::StringLiterals;

namespace {
struct Metrics
{
    int pad;
    int line;
    int bar;
    int smallLine;
};

Metrics metricsFor(const QFont &font)
{
    const QFontMetrics fm(font);
    QFont small = font;
    small.setPointSizeF(font.pointSizeF() > 0 ? font.pointSizeF() * 0.9 : font.pointSizeF());
    const QFontMetrics sfm(small);
    return { std::max(4, fm.height() / 3), fm.height(), std::max(6, fm.height() * 2 / 3),
             sfm.height() };
}
} // namespace

TaskDelegate::TaskDelegate(QObject *parent) : QStyledItemDelegate(parent) { }

QSize TaskDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    const Metrics m = metricsFor(option.font);
    const int h = m.pad + m.line + m.pad + m.bar + m.pad + m.smallLine + m.pad;
    return { QFontMetrics(option.font).averageCharWidth() * 50, h };
}

// The style's progress bar was most of the list's paint time (Fusion: gradients and
// antialiased paths, ~1.5 ms a row under load): a scroll over 10,000 finished tasks, whose bars
// all look alike, missed frames. The bar is drawn once per look into a pixmap and reused.
void TaskDelegate::paintCachedBar(QPainter *painter, const QRect &rect,
                                  QStyle::ControlElement element,
                                  const QStyleOptionProgressBar &bar, QStyle *style,
                                  const QWidget *widget)
{
    const qreal dpr = painter->device() ? painter->device()->devicePixelRatioF() : 1.0;
    QString key = u"headway-bar:%1:%2:%3x%4@%5:%6:%7"_s.arg(style->name())
                      .arg(int(element))
                      .arg(rect.width())
                      .arg(rect.height())
                      .arg(dpr)
                      .arg(bar.progress)
                      .arg(int(bar.state));
    for (const QPalette::ColorRole role :
         { QPalette::Highlight, QPalette::Base, QPalette::Window, QPalette::Button,
           QPalette::WindowText, QPalette::Shadow, QPalette::Dark, QPalette::Light,
           QPalette::Mid }) {
        key += u':' + QString::number(bar.palette.color(role).rgba(), 16);
    }
    QPixmap pixmap;
    if (!QPixmapCache::find(key, &pixmap)) {
        pixmap = QPixmap(rect.size() * dpr);
        pixmap.setDevicePixelRatio(dpr);
        pixmap.fill(Qt::transparent);
        QPainter p(&pixmap);
        QStyleOptionProgressBar local = bar;
        local.rect = QRect(QPoint(0, 0), rect.size());
        style->drawControl(element, &local, &p, widget);
        p.end();
        QPixmapCache::insert(key, pixmap);
    }
    painter->drawPixmap(rect.topLeft(), pixmap);
}

void TaskDelegate::paintProgressBar(QPainter *painter, const QRect &rect, double percent,
                                    double phase, const QStyleOption &base, const QWidget *widget)
{
    QStyle *style = widget ? widget->style() : QApplication::style();
    QStyleOptionProgressBar bar;
    bar.QStyleOption::operator=(base);
    bar.state = (base.state & QStyle::State_Enabled) | QStyle::State_Horizontal;
    bar.rect = rect;
    bar.minimum = 0;
    bar.maximum = 1000;
    bar.textVisible = false;
    // A track a shade off the list's background, so empty bars stay visible on light and dark.
    const QColor baseColor = bar.palette.color(QPalette::Base);
    const QColor textColor = bar.palette.color(QPalette::Text);
    const auto mix = [](int a, int b) { return (a * 88 + b * 12) / 100; };
    bar.palette.setColor(QPalette::Base,
                         QColor(mix(baseColor.red(), textColor.red()),
                                mix(baseColor.green(), textColor.green()),
                                mix(baseColor.blue(), textColor.blue())));
    bar.progress = percent < 0 ? 0 : int(std::clamp(percent, 0.0, 100.0) * 10);
    // Nothing done yet: the groove alone (some styles draw a sliver for 0 %).
    const QStyle::ControlElement element
        = percent > 0 ? QStyle::CE_ProgressBar : QStyle::CE_ProgressBarGroove;
    paintCachedBar(painter, rect, element, bar, style, widget);
    if (percent >= 0)
        return;
    // Indeterminate: the groove plus a chunk that moves with the phase. Drawn here rather than
    // by the style so it animates (or stays still) under our control.
    const QRect inner = rect.adjusted(1, 1, -1, -1);
    const int chunk = std::max(inner.height() * 2, inner.width() / 4);
    const int travel = inner.width() + chunk;
    const int x = inner.left() - chunk + int(travel * std::clamp(phase, 0.0, 1.0));
    const QRect chunkRect = QRect(x, inner.top(), chunk, inner.height()).intersected(inner);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    painter->setBrush(base.palette.color(QPalette::Highlight));
    painter->drawRoundedRect(chunkRect, 2, 2);
    painter->restore();
}

void TaskDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                         const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QWidget *widget = opt.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();

    // Background and selection as the style draws them, without the default text.
    opt.text.clear();
    opt.features &= ~QStyleOptionViewItem::HasDecoration;
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const auto state = TaskState(index.data(TaskListModel::StateRole).toInt());
    const QString title = index.data(TaskListModel::TitleRole).toString();
    const double percent = index.data(TaskListModel::PercentRole).toDouble();
    const QString message
        = TaskFormat::liveMessage(TaskState(index.data(TaskListModel::StateRole).toInt()),
                                  index.data(TaskListModel::MessageRole).toString());
    const QString type = index.data(TaskListModel::TypeRole).toString();
    const QString unit = index.data(TaskListModel::UnitRole).toString();
    const double speed = index.data(TaskListModel::SpeedRole).toDouble();
    const double etaValue = index.data(TaskListModel::EtaRole).toDouble();
    const QStringList steps = index.data(TaskListModel::StepsRole).toStringList();
    const int step = index.data(TaskListModel::StepRole).toInt();
    const QString error = index.data(TaskListModel::ErrorRole).toString();

    const bool selected = opt.state & QStyle::State_Selected;
    const QPalette::ColorGroup group
        = (opt.state & QStyle::State_Enabled) ? QPalette::Normal : QPalette::Disabled;
    const QColor textColor
        = opt.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text);
    QColor dimColor = textColor;
    dimColor.setAlphaF(0.7f);

    const Metrics m = metricsFor(opt.font);
    const QRect r = opt.rect.adjusted(m.pad * 2, m.pad, -m.pad * 2, -m.pad);

    painter->save();

    // Line 1: title (bold) and the state badge on the right.
    QFont titleFont = opt.font;
    titleFont.setBold(true);
    QFont badgeFont = opt.font;
    badgeFont.setPointSizeF(opt.font.pointSizeF() > 0 ? opt.font.pointSizeF() * 0.85 : 8);
    const QFontMetrics bfm(badgeFont);
    const QString badgeText = TaskFormat::stateLabel(state);
    const int badgeW = bfm.horizontalAdvance(badgeText) + m.pad * 3;
    const QRect badge(r.right() - badgeW, r.top() + (m.line - bfm.height() - 2) / 2, badgeW,
                      bfm.height() + 2);
    const QColor stateColor = TaskFormat::stateColor(state, opt.palette);
    painter->setRenderHint(QPainter::Antialiasing);
    QColor fill = stateColor;
    fill.setAlphaF(0.16f);
    painter->setPen(QPen(stateColor, 1));
    painter->setBrush(fill);
    painter->drawRoundedRect(QRectF(badge).adjusted(0.5, 0.5, -0.5, -0.5), badge.height() / 2.0,
                             badge.height() / 2.0);
    painter->setFont(badgeFont);
    painter->setPen(selected ? textColor : stateColor);
    painter->drawText(badge, Qt::AlignCenter, badgeText);

    painter->setFont(titleFont);
    painter->setPen(textColor);
    const QRect titleRect(r.left(), r.top(), badge.left() - m.pad - r.left(), m.line);
    painter->drawText(titleRect, Qt::AlignLeft | Qt::AlignVCenter,
                      QFontMetrics(titleFont).elidedText(title, Qt::ElideRight, titleRect.width()));

    // Line 2: the progress bar and the percentage.
    const int barTop = r.top() + m.line + m.pad;
    const QFontMetrics fm(opt.font);
    const int pctW = fm.horizontalAdvance(u"100 %"_s) + m.pad;
    const QRect barRect(r.left(), barTop, r.width() - pctW, m.bar);
    const bool indeterminate = percent < 0;
    double shown = percent;
    if (state == TaskState::Succeeded)
        shown = 100;
    else if (indeterminate && state != TaskState::Running)
        shown = 0; // nothing moves unless it runs
    QStyleOption barBase = opt;
    // The state's colour, as the detail pane's bar and the page's (green when succeeded).
    barBase.palette.setColor(QPalette::Highlight, stateColor);
    paintProgressBar(painter, barRect, shown, m_phase, barBase, widget);
    painter->setFont(opt.font);
    painter->setPen(dimColor);
    const QString pctText = indeterminate ? (state == TaskState::Succeeded ? u"100 %"_s : QString())
                                          : QString::number(int(percent)) + u" %"_s;
    painter->drawText(
        QRect(barRect.right() + m.pad, barTop - (m.line - m.bar) / 2, pctW - m.pad, m.line),
        Qt::AlignRight | Qt::AlignVCenter, pctText);

    // Line 3: type · step · message on the left, speed and ETA on the right.
    QFont small = opt.font;
    if (opt.font.pointSizeF() > 0)
        small.setPointSizeF(opt.font.pointSizeF() * 0.9);
    painter->setFont(small);
    const QFontMetrics sfm(small);
    const int infoTop = barTop + m.bar + m.pad;
    QStringList right;
    if (state == TaskState::Running) {
        const QString s = TaskFormat::speed(speed, unit);
        if (!s.isEmpty())
            right.append(s);
        const QString e
            = TaskFormat::eta(etaValue >= 0 ? std::optional<double>(etaValue) : std::nullopt);
        if (!e.isEmpty())
            right.append(e);
    }
    const QString rightText = right.join(u"  ·  "_s);
    const int rightW = rightText.isEmpty() ? 0 : sfm.horizontalAdvance(rightText);
    painter->drawText(QRect(r.right() - rightW, infoTop, rightW, m.smallLine),
                      Qt::AlignRight | Qt::AlignVCenter, rightText);

    // "demo · attempt 2 of 3 · …" as the page's card says it.
    QStringList left { type };
    const QString attempt = TaskFormat::attempt(index.data(TaskListModel::AttemptRole).toInt(),
                                                index.data(TaskListModel::MaxRetriesRole).toInt());
    if (!attempt.isEmpty())
        left.append(attempt);
    if (!steps.isEmpty() && step >= 0 && step < steps.size())
        left.append(tr("step %1/%2: %3").arg(step + 1).arg(steps.size()).arg(steps.at(step)));
    if (!error.isEmpty() && (state == TaskState::Failed || state == TaskState::Interrupted))
        left.append(error);
    else if (!message.isEmpty())
        left.append(message);
    const int leftW = r.width() - rightW - (rightW ? m.pad * 2 : 0);
    painter->drawText(QRect(r.left(), infoTop, leftW, m.smallLine),
                      Qt::AlignLeft | Qt::AlignVCenter,
                      sfm.elidedText(left.join(u"  ·  "_s), Qt::ElideRight, leftW));

    painter->restore();
}
