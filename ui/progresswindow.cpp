#include "progresswindow.h"

#include "app/progress/progresssession.h"
#include "detailslog.h"
#include "stepindicator.h"
#include "taskformat.h"

#include <QCloseEvent>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

#include <cmath>

using namespace Qt::StringLiterals;

ProgressWindow::ProgressWindow(ProgressSession &session, QWidget *parent)
    : QDialog(parent), m_session(session), m_text(new QLabel(this)), m_status(new QLabel(this)),
      m_buttons(new QDialogButtonBox(this))
{
    const ProgressOptions &o = session.options();
    setWindowTitle(o.title);
    if (!o.windowIcon.isEmpty())
        setWindowIcon(iconFor(o.windowIcon, style()));
    setModal(o.modal);

    auto *layout = new QVBoxLayout(this);
    // Plain text: "&" and "<" are shown as they are (zenity 4 reads them as markup).
    m_text->setTextFormat(Qt::PlainText);
    m_text->setWordWrap(true);
    layout->addWidget(m_text);
    if (!o.steps.isEmpty()) {
        m_steps = new StepIndicator(this);
        m_steps->setSteps(o.steps);
        layout->addWidget(m_steps);
    }
    const ProgressModel &model = session.model();
    for (qsizetype i = 0; i < model.bars().size(); ++i) {
        const ProgressModel::Bar &b = model.bars().at(i);
        if (!b.label.isEmpty()) {
            auto *label = new QLabel(b.label, this);
            label->setTextFormat(Qt::PlainText);
            layout->addWidget(label);
        }
        auto *bar = new QProgressBar(this);
        bar->setRange(0, 1000); // tenths of a percent: apt's 54.7767 % moves the bar
        bar->setAccessibleName(b.label.isEmpty() ? o.title : b.label);
        layout->addWidget(bar);
        m_bars.append(bar);
        auto *text = new QLabel(this);
        text->setTextFormat(Qt::PlainText);
        text->hide();
        layout->addWidget(text);
        m_barTexts.append(text);
    }
    if (o.timeRemaining) {
        m_eta = new QLabel(this);
        layout->addWidget(m_eta);
    }
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    m_status->hide();
    layout->addWidget(m_status);
    if (session.hasLog()) {
        m_details = new DetailsLog(session.model(), this);
        layout->addWidget(m_details, 1);
        connect(m_details, &DetailsLog::expandedChanged, this, [this] { adjustSize(); });
    }
    layout->addStretch(0);

    m_cancel = m_buttons->addButton(QDialogButtonBox::Cancel);
    m_ok = m_buttons->addButton(QDialogButtonBox::Ok);
    if (!o.cancelLabel.isEmpty())
        m_cancel->setText(o.cancelLabel);
    if (!o.okLabel.isEmpty())
        m_ok->setText(o.okLabel);
    m_cancel->setVisible(!o.noCancel);
    m_ok->setEnabled(false);
    layout->addWidget(m_buttons);
    connect(m_ok, &QPushButton::clicked, &m_session, &ProgressSession::accept);
    connect(m_cancel, &QPushButton::clicked, this, &ProgressWindow::reject);
    connect(&m_session, &ProgressSession::acceptableChanged, this, [this](bool ok) {
        m_ok->setEnabled(ok);
        if (ok)
            m_ok->setDefault(true);
    });
    connect(&m_session.model(), &ProgressModel::changed, this, &ProgressWindow::refresh);

    setMinimumWidth(fontMetrics().averageCharWidth() * 50);
    refresh();
    if (o.width > 0 || o.height > 0) {
        const QSize hint = sizeHint();
        resize(o.width > 0 ? o.width : hint.width(), o.height > 0 ? o.height : hint.height());
    }
}

QIcon ProgressWindow::iconFor(const QString &nameOrPath, const QStyle *style)
{
    if (nameOrPath == u"info")
        return style->standardIcon(QStyle::SP_MessageBoxInformation);
    if (nameOrPath == u"warning")
        return style->standardIcon(QStyle::SP_MessageBoxWarning);
    if (nameOrPath == u"error")
        return style->standardIcon(QStyle::SP_MessageBoxCritical);
    if (nameOrPath == u"question")
        return style->standardIcon(QStyle::SP_MessageBoxQuestion);
    if (QFileInfo::exists(nameOrPath))
        return QIcon(nameOrPath);
    return QIcon::fromTheme(nameOrPath);
}

void ProgressWindow::showBar(QProgressBar *bar, const ProgressModel::Bar &state)
{
    if (state.pulsate) {
        bar->setRange(0, 0);
        return;
    }
    bar->setRange(0, 1000); // tenths: apt's 54.7767 % moves the bar
    bar->setValue(int(std::lround(state.percent * 10)));
    bar->setFormat(u"%1 %"_s.arg(int(std::floor(state.percent))));
}

void ProgressWindow::refresh()
{
    const ProgressModel &model = m_session.model();
    m_text->setText(model.text());
    m_text->setVisible(!model.text().isEmpty());
    for (qsizetype i = 0; i < m_bars.size() && i < model.bars().size(); ++i) {
        const ProgressModel::Bar &b = model.bars().at(i);
        showBar(m_bars.at(i), b);
        m_barTexts.at(i)->setText(b.text);
        m_barTexts.at(i)->setVisible(!b.text.isEmpty());
    }
    if (m_steps) {
        const bool failed = model.outcome() == ProgressModel::Outcome::Failed;
        m_steps->setCurrent(model.step(), failed);
    }
    if (m_eta) {
        const bool running = model.outcome() == ProgressModel::Outcome::Running;
        const QString eta = running ? TaskFormat::eta(model.eta()) : QString();
        m_eta->setText(eta.isEmpty() && running ? tr("Estimating the time left…") : eta);
    }
    const bool failed = model.outcome() == ProgressModel::Outcome::Failed;
    m_status->setText(model.outcomeDetail());
    m_status->setVisible(failed && !model.outcomeDetail().isEmpty());
    if (failed && m_details)
        m_details->setExpanded(true);
}

void ProgressWindow::reject()
{
    if (m_session.options().noCancel)
        return;
    m_cancel->setEnabled(false);
    m_session.cancel();
}

void ProgressWindow::closeEvent(QCloseEvent *event)
{
    // The window stays until the session says to exit (a command's group may still be ending).
    event->ignore();
    reject();
}
