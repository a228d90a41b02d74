#include "toast.h"

#include "taskformat.h"

#include <QAccessible>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPainterPath>
#include <QPushButton>
#include <QStyle>
#include <QTextLayout>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {
// A toast grows with its text up to this many lines; the rest is in the tooltip.
constexpr int kMaxLines = 6;

QColor kindColor(Toast::Kind kind, const QPalette &palette)
{
    switch (kind) {
    case Toast::Kind::Info:
        return TaskFormat::stateColor(TaskState::Running, palette);
    case Toast::Kind::Success:
        return TaskFormat::stateColor(TaskState::Succeeded, palette);
    case Toast::Kind::Warning:
        return TaskFormat::stateColor(TaskState::Interrupted, palette);
    case Toast::Kind::Error:
        return TaskFormat::stateColor(TaskState::Failed, palette);
    }
    return palette.color(QPalette::Highlight);
}
} // namespace

int Toast::defaultTimeout(Kind kind)
{
    // Errors and warnings stay longer: they usually ask for something.
    return kind == Kind::Error || kind == Kind::Warning ? 10000 : 5000;
}

Toast::Toast(Kind kind, const QString &title, const QString &text, QWidget *parent)
    : QFrame(parent), m_kind(kind), m_title(new QLabel(title, this)), m_text(new QLabel(this)),
      m_close(new QToolButton(this)), m_timeoutMs(defaultTimeout(kind)), m_remainingMs(m_timeoutMs)
{
    setAttribute(Qt::WA_StyledBackground, false);
    setAutoFillBackground(false);
    setFocusPolicy(Qt::NoFocus);
    setAccessibleName(title);
    setAccessibleDescription(text);
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Minimum);

    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_title->setWordWrap(true);
    m_text->setObjectName(u"toastText"_s);
    m_text->setTextFormat(Qt::PlainText); // wrapped by fitText(), long words included
    m_title->setTextFormat(Qt::PlainText);

    m_close->setAutoRaise(true);
    m_close->setText(u"\u00d7"_s);
    m_close->setToolTip(tr("Close"));
    m_close->setAccessibleName(tr("Close notification"));
    m_close->setFocusPolicy(Qt::TabFocus);
    connect(m_close, &QToolButton::clicked, this, &Toast::dismiss);

    const int em = fontMetrics().height();
    auto *texts = new QVBoxLayout;
    texts->setSpacing(em / 4);
    texts->addWidget(m_title);
    texts->addWidget(m_text);
    auto *row = new QHBoxLayout(this);
    row->setContentsMargins(em, em / 2, em / 3, em / 2);
    row->setSpacing(em / 2);
    row->addLayout(texts, 1);
    row->setObjectName(u"row"_s);
    row->addWidget(m_close, 0, Qt::AlignTop);
    setFixedWidth(em * 22);
    setText(text);

    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &Toast::dismiss);
    applyColors();
}

QString Toast::title() const
{
    return m_title->text();
}

QString Toast::text() const
{
    return m_fullText;
}

void Toast::setTitle(const QString &title)
{
    m_title->setText(title);
    setAccessibleName(title);
    updateGeometry();
}

void Toast::setText(const QString &text)
{
    m_fullText = text;
    m_text->setVisible(!text.isEmpty());
    setAccessibleDescription(text);
    fitText();
}

void Toast::fitText()
{
    // The room beside the buttons: the toast's width is fixed, so it is known before layout.
    const auto *row = static_cast<QHBoxLayout *>(layout());
    const QMargins m = row->contentsMargins();
    int room = width() - m.left() - m.right() - m_close->sizeHint().width() - row->spacing();
    if (m_action)
        room -= m_action->sizeHint().width() + row->spacing();
    room = std::max(room, fontMetrics().averageCharWidth() * 8);

    QString text = m_fullText;
    text.replace(u'\n', QChar::LineSeparator);
    QTextLayout layout(text, m_text->font());
    QTextOption option;
    option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere); // paths have no spaces
    layout.setTextOption(option);
    QStringList lines;
    bool elided = false;
    layout.beginLayout();
    for (QTextLine line = layout.createLine(); line.isValid(); line = layout.createLine()) {
        line.setLineWidth(room);
        if (lines.size() == kMaxLines - 1) {
            const QString rest = text.mid(line.textStart()).simplified();
            const QString shown
                = QFontMetrics(m_text->font()).elidedText(rest, Qt::ElideRight, room);
            elided = shown != rest;
            lines.append(shown);
            break;
        }
        lines.append(text.mid(line.textStart(), line.textLength()).trimmed());
    }
    layout.endLayout();
    m_text->setText(lines.join(u'\n'));
    setToolTip(elided ? m_fullText : QString());
    updateGeometry();
}

void Toast::setAction(const QString &label)
{
    if (!m_action) {
        m_action = new QPushButton(this);
        m_action->setFocusPolicy(Qt::TabFocus);
        connect(m_action, &QPushButton::clicked, this, [this] {
            Q_EMIT actionTriggered();
            dismiss();
        });
        auto *row = static_cast<QHBoxLayout *>(layout());
        row->insertWidget(1, m_action, 0, Qt::AlignVCenter);
    }
    m_action->setText(label);
    fitText(); // the button takes room from the text
}

QString Toast::actionLabel() const
{
    return m_action ? m_action->text() : QString();
}

void Toast::setTimeout(int ms)
{
    m_timeoutMs = std::max(0, ms);
    m_remainingMs = m_timeoutMs;
    if (m_started && !m_paused) {
        m_timer.stop();
        if (m_timeoutMs > 0) {
            m_running.start();
            m_timer.start(m_remainingMs);
        }
    }
}

int Toast::remainingMs() const
{
    if (m_timeoutMs == 0)
        return 0;
    if (m_timer.isActive())
        return std::max(0, m_remainingMs - int(m_running.elapsed()));
    return m_remainingMs;
}

void Toast::pauseTimeout()
{
    if (m_paused)
        return;
    m_paused = true;
    if (m_timer.isActive()) {
        m_remainingMs = std::max(0, m_remainingMs - int(m_running.elapsed()));
        m_timer.stop();
    }
}

void Toast::resumeTimeout()
{
    if (!m_paused)
        return;
    m_paused = false;
    if (m_started && m_timeoutMs > 0 && !m_dismissed) {
        // Give the reader at least a moment after the pointer leaves.
        m_remainingMs = std::max(m_remainingMs, 1500);
        m_running.start();
        m_timer.start(m_remainingMs);
    }
}

void Toast::dismiss()
{
    if (m_dismissed)
        return;
    m_dismissed = true;
    m_timer.stop();
    hide();
    Q_EMIT dismissed();
    deleteLater();
}

void Toast::showEvent(QShowEvent *event)
{
    QFrame::showEvent(event);
    if (!m_started) {
        m_started = true;
        if (m_timeoutMs > 0 && !m_paused) {
            m_running.start();
            m_timer.start(m_remainingMs);
        }
        // Screen readers announce alerts without moving the focus.
        QAccessibleEvent alert(this, QAccessible::Alert);
        QAccessible::updateAccessibility(&alert);
    }
}

void Toast::enterEvent(QEnterEvent *event)
{
    QFrame::enterEvent(event);
    pauseTimeout();
}

void Toast::leaveEvent(QEvent *event)
{
    QFrame::leaveEvent(event);
    resumeTimeout();
}

void Toast::changeEvent(QEvent *event)
{
    QFrame::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyColors();
    if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange)
        fitText();
}

void Toast::applyColors()
{
    QPalette pal = palette();
    pal.setColor(QPalette::WindowText, pal.color(QPalette::Text));
    m_title->setPalette(pal);
    m_text->setPalette(pal);
}

void Toast::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    const QColor accent = kindColor(m_kind, pal);
    const QRectF r = QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5);
    const double radius = fontMetrics().height() / 3.0;
    QColor bg = pal.color(QPalette::Base);
    p.setPen(QPen(pal.color(QPalette::Mid), 1));
    p.setBrush(bg);
    p.drawRoundedRect(r, radius, radius);
    // The kind's stripe on the left edge.
    const double stripe = std::max(4.0, fontMetrics().height() / 4.0);
    QPainterPath clip;
    clip.addRoundedRect(r, radius, radius);
    p.setClipPath(clip);
    p.fillRect(QRectF(r.left(), r.top(), stripe, r.height()), accent);
}
