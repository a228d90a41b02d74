#include "installerwindow.h"

#include "app/progress/installersession.h"
#include "detailslog.h"
#include "progresswindow.h"
#include "stepindicator.h"
#include "taskformat.h"

#include <QCloseEvent>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QStackedWidget>
#include <QStyle>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

InstallerWindow::InstallerWindow(InstallerSession &session, QWidget *parent)
    : QDialog(parent), m_session(session), m_steps(new StepIndicator(this)),
      m_pages(new QStackedWidget(this)), m_bar(new QProgressBar(this)), m_message(new QLabel(this)),
      m_eta(new QLabel(this)), m_resultIcon(new QLabel(this)), m_result(new QLabel(this)),
      m_details(new DetailsLog(session.model(), this))
{
    const InstallerManifest &manifest = session.manifest();
    setWindowTitle(manifest.title);
    const QIcon icon
        = manifest.icon.isEmpty() ? QIcon() : ProgressWindow::iconFor(manifest.icon, style());
    if (!icon.isNull())
        setWindowIcon(icon);

    auto *layout = new QVBoxLayout(this);
    auto *header = new QHBoxLayout;
    const int iconSize = fontMetrics().height() * 3;
    if (!icon.isNull()) {
        auto *iconLabel = new QLabel(this);
        iconLabel->setPixmap(icon.pixmap(iconSize, iconSize));
        header->addWidget(iconLabel);
    }
    auto *title = new QLabel(manifest.title, this);
    title->setTextFormat(Qt::PlainText);
    title->setWordWrap(true);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.4);
    titleFont.setBold(true);
    title->setFont(titleFont);
    header->addWidget(title, 1);
    layout->addLayout(header);
    layout->addWidget(m_steps);

    // Page 0: running.
    auto *running = new QWidget(m_pages);
    auto *runningLayout = new QVBoxLayout(running);
    runningLayout->setContentsMargins(0, 0, 0, 0);
    m_bar->setRange(0, 1000);
    m_bar->setAccessibleName(tr("Overall progress"));
    runningLayout->addWidget(m_bar);
    auto *line = new QHBoxLayout;
    m_message->setTextFormat(Qt::PlainText);
    m_message->setWordWrap(true);
    line->addWidget(m_message, 1);
    line->addWidget(m_eta, 0, Qt::AlignRight | Qt::AlignTop);
    runningLayout->addLayout(line);
    m_pages->addWidget(running);
    // Page 1: the result.
    auto *result = new QWidget(m_pages);
    auto *resultLayout = new QHBoxLayout(result);
    resultLayout->setContentsMargins(0, 0, 0, 0);
    resultLayout->addWidget(m_resultIcon, 0, Qt::AlignTop);
    m_result->setTextFormat(Qt::PlainText);
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    resultLayout->addWidget(m_result, 1);
    m_pages->addWidget(result);
    layout->addWidget(m_pages);
    layout->addWidget(m_details, 1);
    connect(m_details, &DetailsLog::expandedChanged, this, [this](bool expanded) {
        if (!expanded)
            resize(width(), sizeHint().height());
    });

    auto *buttons = new QDialogButtonBox(this);
    m_cancel = buttons->addButton(QDialogButtonBox::Cancel);
    m_close = buttons->addButton(QDialogButtonBox::Close);
    m_close->hide();
    layout->addWidget(buttons);
    connect(m_cancel, &QPushButton::clicked, this, &InstallerWindow::reject);
    connect(m_close, &QPushButton::clicked, &m_session, &InstallerSession::close);
    connect(&m_session.model(), &ProgressModel::changed, this, &InstallerWindow::refresh);
    connect(&m_session, &InstallerSession::ended, this, &InstallerWindow::showResult);

    setMinimumWidth(fontMetrics().averageCharWidth() * 64);
    refresh();
}

bool InstallerWindow::isShowingResult() const
{
    return m_pages->currentIndex() == 1;
}

void InstallerWindow::refresh()
{
    const ProgressModel &model = m_session.model();
    if (m_steps->steps() != model.steps())
        m_steps->setSteps(model.steps());
    m_steps->setCurrent(model.step(), model.outcome() == ProgressModel::Outcome::Failed);
    ProgressWindow::showBar(m_bar, model.bars().constFirst());
    m_message->setText(model.text());
    m_eta->setText(TaskFormat::eta(model.eta()));
}

void InstallerWindow::showResult(int status)
{
    refresh();
    const InstallerManifest &manifest = m_session.manifest();
    QStyle::StandardPixmap icon = QStyle::SP_DialogApplyButton;
    if (status == 0) {
        m_result->setText(manifest.finishText.isEmpty() ? tr("%1: done.").arg(manifest.title)
                                                        : manifest.finishText);
    } else if (status == InstallerSession::kExitCanceled) {
        icon = QStyle::SP_MessageBoxWarning;
        m_result->setText(tr("Canceled. Steps that had finished are not undone."));
    } else {
        icon = QStyle::SP_MessageBoxCritical;
        m_result->setText(m_session.errorText());
        m_details->setExpanded(true);
    }
    const int size = fontMetrics().height() * 2;
    m_resultIcon->setPixmap(style()->standardIcon(icon).pixmap(size, size));
    m_pages->setCurrentIndex(1);
    if (m_question)
        m_question->reject();
    m_cancel->hide();
    m_close->show();
    m_close->setDefault(true);
    m_close->setFocus();
}

void InstallerWindow::askCancel()
{
    if (m_question)
        return;
    m_question = new QMessageBox(QMessageBox::Question, windowTitle(),
                                 tr("Stop the installation? Steps that have finished are not "
                                    "undone."),
                                 QMessageBox::NoButton, this);
    QPushButton *stop = m_question->addButton(tr("Stop"), QMessageBox::DestructiveRole);
    m_question->addButton(tr("Continue"), QMessageBox::RejectRole);
    m_question->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_question, &QMessageBox::finished, this, [this, stop] {
        const bool confirmed = m_question->clickedButton() == stop;
        m_question = nullptr;
        if (confirmed && !m_session.hasEnded()) {
            m_cancel->setEnabled(false);
            m_session.cancel();
        }
    });
    m_question->open();
}

void InstallerWindow::reject()
{
    if (m_session.hasEnded()) {
        m_session.close();
        return;
    }
    if (!m_cancel->isEnabled())
        return; // canceling already
    if (m_session.manifest().confirmCancel) {
        askCancel();
        return;
    }
    m_cancel->setEnabled(false);
    m_session.cancel();
}

void InstallerWindow::closeEvent(QCloseEvent *event)
{
    event->ignore();
    reject();
}
