#pragma once

#include <QStyle>
#include <QStyledItemDelegate>

class QStyleOptionProgressBar;
class QStyleOptionViewItem;

// Paints one task row: title and state badge, a QStyle-drawn progress bar (determinate, or a
// moving chunk for tasks without a total), the type and message, speed and ETA. Sizes come from
// the font metrics, so rows scale with the font and the device pixel ratio.
class TaskDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TaskDelegate)

public:
    explicit TaskDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // 0..1: where the busy chunk of indeterminate bars is; the view's owner advances it.
    void setAnimationPhase(double phase) { m_phase = phase; }
    double animationPhase() const { return m_phase; }

    // Paints a progress bar as the style does; percent < 0: indeterminate at `phase`.
    static void paintProgressBar(QPainter *painter, const QRect &rect, double percent, double phase,
                                 const QStyleOption &base, const QWidget *widget);

private:
    // The style's drawing of `element`, through a pixmap cache keyed by everything it shows.
    static void paintCachedBar(QPainter *painter, const QRect &rect, QStyle::ControlElement element,
                               const QStyleOptionProgressBar &bar, QStyle *style,
                               const QWidget *widget);

    double m_phase = 0.3;
};
