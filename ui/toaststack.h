#pragma once

#include "toast.h"

#include <QList>
#include <QPointer>
#include <QWidget>

// The corner overlay that holds toasts: a child of the host widget, kept in the host's
// bottom-right corner, newest at the bottom, at most maxToasts() at once (the oldest goes).
// It covers only the toasts, so the rest of the window stays clickable.
class ToastStack final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ToastStack)

public:
    explicit ToastStack(QWidget *host);

    // Shows a toast; actionLabel empty: no action button. The stack owns the toast.
    Toast *showToast(Toast::Kind kind, const QString &title, const QString &text = {},
                     const QString &actionLabel = {});

    QList<Toast *> toasts() const;
    int count() const { return int(toasts().size()); }
    void clear();

    int maxToasts() const { return m_max; }
    void setMaxToasts(int max);

Q_SIGNALS:
    void toastShown(Toast *toast);

protected:
    bool event(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void relayout();

    QWidget *m_host;
    QList<QPointer<Toast>> m_toasts;
    int m_max = 4;
};
