#include "toaststack.h"

#include <QEvent>
#include <QTimer>

ToastStack::ToastStack(QWidget *host) : QWidget(host), m_host(host)
{
    setAccessibleName(tr("Notifications"));
    setAttribute(Qt::WA_NoSystemBackground);
    host->installEventFilter(this);
    hide();
}

Toast *ToastStack::showToast(Toast::Kind kind, const QString &title, const QString &text,
                             const QString &actionLabel)
{
    auto *toast = new Toast(kind, title, text, this);
    if (!actionLabel.isEmpty())
        toast->setAction(actionLabel);
    connect(toast, &Toast::dismissed, this, [this, toast] {
        // The toast is hidden now and deletes itself later.
        m_toasts.removeIf([toast](const QPointer<Toast> &t) { return !t || t == toast; });
        relayout();
    });
    toast->ensurePolished(); // measured with the style's fonts and margins, not the defaults
    m_toasts.append(toast);
    while (m_toasts.size() > m_max) {
        const QPointer<Toast> oldest = m_toasts.takeFirst();
        if (oldest)
            oldest->dismiss();
    }
    relayout();
    toast->show();
    raise();
    Q_EMIT toastShown(toast);
    return toast;
}

QList<Toast *> ToastStack::toasts() const
{
    QList<Toast *> list;
    for (const QPointer<Toast> &t : m_toasts) {
        if (t && !t->isHidden())
            list.append(t);
    }
    return list;
}

void ToastStack::clear()
{
    const QList<QPointer<Toast>> all = m_toasts;
    for (const QPointer<Toast> &t : all) {
        if (t)
            t->dismiss();
    }
}

void ToastStack::setMaxToasts(int max)
{
    m_max = std::max(1, max);
}

bool ToastStack::event(QEvent *event)
{
    // A toast's text changed (updateGeometry() asks its parent): give it the height it needs.
    if (event->type() == QEvent::LayoutRequest)
        relayout();
    return QWidget::event(event);
}

bool ToastStack::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_host
        && (event->type() == QEvent::Resize || event->type() == QEvent::LayoutRequest))
        relayout();
    return QWidget::eventFilter(watched, event);
}

void ToastStack::relayout()
{
    m_toasts.removeIf([](const QPointer<Toast> &t) { return !t; });
    const int margin = fontMetrics().height();
    const int spacing = margin / 2;
    int width = 0;
    int height = 0;
    for (const QPointer<Toast> &t : std::as_const(m_toasts)) {
        if (t->isHidden() && t->property("headway_shown").toBool())
            continue;
        const QSize s = t->sizeHint().expandedTo(t->minimumSize());
        const int w = std::max(t->width(), s.width());
        const int h = t->heightForWidth(w) > 0 ? t->heightForWidth(w) : s.height();
        width = std::max(width, w);
        height += h + (height ? spacing : 0);
    }
    if (width == 0 || m_toasts.isEmpty()) {
        hide();
        return;
    }
    int y = 0;
    for (const QPointer<Toast> &t : std::as_const(m_toasts)) {
        if (t->isHidden() && t->property("headway_shown").toBool())
            continue;
        const int w = std::max(t->width(), t->sizeHint().width());
        const int h = t->heightForWidth(w) > 0 ? t->heightForWidth(w) : t->sizeHint().height();
        t->setGeometry(width - w, y, w, h);
        t->setProperty("headway_shown", true);
        y += h + spacing;
    }
    setGeometry(m_host->width() - width - margin, m_host->height() - height - margin, width,
                height);
    show();
    raise();
}
