#pragma once

#include "app/progress/progressmodel.h"

#include <QDialog>
#include <QList>

class DetailsLog;
class ProgressSession;
class QDialogButtonBox;
class QLabel;
class QProgressBar;
class QPushButton;
class StepIndicator;

// The `headway progress` window, zenity's progress dialog: the text, the step indicator
// (--steps), one bar or several (--bar), the time remaining, the details log (--log or a
// command), Cancel and OK. It only shows the session and forwards the buttons; the session
// decides the exit status. Escape and closing are Cancel, refused with --no-cancel.
class ProgressWindow final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProgressWindow)

public:
    explicit ProgressWindow(ProgressSession &session, QWidget *parent = nullptr);

    QPushButton *okButton() const { return m_ok; }
    QPushButton *cancelButton() const { return m_cancel; }
    StepIndicator *stepIndicator() const { return m_steps; }
    DetailsLog *details() const { return m_details; }
    QProgressBar *bar(int index) const { return m_bars.value(index); }
    QLabel *etaLabel() const { return m_eta; }

    // One bar of the model on a QProgressBar (in tenths of a percent, or busy when pulsating).
    static void showBar(QProgressBar *bar, const ProgressModel::Bar &state);
    // zenity's names (info, warning, error, question), a file or an icon theme name.
    static QIcon iconFor(const QString &nameOrPath, const QStyle *style);

public Q_SLOTS:
    void reject() override;

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void refresh();

    ProgressSession &m_session;
    QLabel *m_text;
    StepIndicator *m_steps = nullptr;
    QList<QLabel *> m_barTexts;
    QList<QProgressBar *> m_bars;
    QLabel *m_eta = nullptr;
    QLabel *m_status;
    DetailsLog *m_details = nullptr;
    QDialogButtonBox *m_buttons;
    QPushButton *m_ok;
    QPushButton *m_cancel;
};
