#pragma once

#include <QDialog>

class DetailsLog;
class InstallerSession;
class QLabel;
class QMessageBox;
class QProgressBar;
class QPushButton;
class QStackedWidget;
class StepIndicator;

// The `headway run` window, sized for an installer: title and icon, the step indicator, one
// overall bar with the time remaining, the current message, Show details (the commands'
// output), Cancel (asking first when the manifest says confirm_cancel); at the end a result
// page (the finish text, or the failed step and its error with the details opened) and Close.
class InstallerWindow final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(InstallerWindow)

public:
    explicit InstallerWindow(InstallerSession &session, QWidget *parent = nullptr);

    QPushButton *cancelButton() const { return m_cancel; }
    QPushButton *closeButton() const { return m_close; }
    StepIndicator *stepIndicator() const { return m_steps; }
    DetailsLog *details() const { return m_details; }
    QProgressBar *bar() const { return m_bar; }
    QLabel *resultLabel() const { return m_result; }
    bool isShowingResult() const;
    QMessageBox *cancelQuestion() const { return m_question; }

public Q_SLOTS:
    void reject() override;

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void refresh();
    void showResult(int status);
    void askCancel();

    InstallerSession &m_session;
    StepIndicator *m_steps;
    QStackedWidget *m_pages;
    QProgressBar *m_bar;
    QLabel *m_message;
    QLabel *m_eta;
    QLabel *m_resultIcon;
    QLabel *m_result;
    DetailsLog *m_details;
    QPushButton *m_cancel;
    QPushButton *m_close;
    QMessageBox *m_question = nullptr;
};
