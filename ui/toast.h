#pragma once

#include <QElapsedTimer>
#include <QFrame>
#include <QTimer>

class QLabel;
class QPushButton;
class QToolButton;

// One non-modal notice: an icon stripe in the kind's colour, a title, a text, an optional action
// button ("Show") and a close button. It dismisses itself after a timeout, paused while the
// pointer is over it, and is announced to screen readers when shown.
class Toast final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Toast)

public:
    enum class Kind { Info, Success, Warning, Error };
    Q_ENUM(Kind)

    Toast(Kind kind, const QString &title, const QString &text, QWidget *parent = nullptr);

    Kind kind() const { return m_kind; }
    QString title() const;
    QString text() const;
    // For a notice whose news changes while it is shown (how many tasks it is about).
    void setTitle(const QString &title);
    void setText(const QString &text);

    // An action button; triggering it emits actionTriggered() and closes the toast.
    void setAction(const QString &label);
    QString actionLabel() const;

    // 0: stays until closed. Starts counting when the toast is shown.
    void setTimeout(int ms);
    int timeout() const { return m_timeoutMs; }
    int remainingMs() const;
    bool isPaused() const { return m_paused; }
    // The timeout is counting down (shown, not paused, not 0).
    bool isCountingDown() const { return m_timer.isActive(); }

    // Pause or resume the countdown (hover does it too).
    void pauseTimeout();
    void resumeTimeout();

    static int defaultTimeout(Kind kind);

public Q_SLOTS:
    void dismiss();

Q_SIGNALS:
    void actionTriggered();
    void dismissed();

protected:
    void showEvent(QShowEvent *event) override;
    void enterEvent(QEnterEvent *event) override;
    void leaveEvent(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void applyColors();
    void fitText(); // wraps the text to the room it has, eliding past kMaxLines

    QString m_fullText;
    Kind m_kind;
    QLabel *m_title;
    QLabel *m_text;
    QPushButton *m_action = nullptr;
    QToolButton *m_close;
    QTimer m_timer;
    QElapsedTimer m_running;
    int m_timeoutMs;
    int m_remainingMs;
    bool m_paused = false;
    bool m_started = false;
    bool m_dismissed = false;
};
