#include "stepeditor.h"

#include "app/core/tasktyperegistry.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

StepEditor::StepEditor(const TaskTypeRegistry &registry, QWidget *parent)
    : QGroupBox(parent), m_registry(registry), m_type(new QComboBox(this)),
      m_label(new QLineEdit(this)), m_up(new QToolButton(this)), m_down(new QToolButton(this)),
      m_remove(new QToolButton(this)), m_summary(new QLabel(this)),
      m_form(new ParamForm(registry, this))
{
    auto *v = new QVBoxLayout(this);
    auto *top = new QHBoxLayout;
    m_type->setObjectName(u"type"_s);
    for (const TaskType *t : registry.publicTypes()) {
        if (t->create && t->name != u"pipeline") // no nested pipelines
            m_type->addItem(t->title.isEmpty() ? t->name : t->title, t->name);
    }
    m_label->setObjectName(u"label"_s);
    m_label->setPlaceholderText(tr("Label (optional)"));
    top->addWidget(m_type);
    top->addWidget(m_label, 1);
    const auto tool = [this, top](QToolButton *b, const QString &name, const QString &text,
                                  const QString &accessible) {
        b->setObjectName(name);
        b->setText(text);
        b->setToolTip(accessible);
        b->setAccessibleName(accessible);
        top->addWidget(b);
    };
    tool(m_up, u"moveUp"_s, u"↑"_s, tr("Move step up"));
    tool(m_down, u"moveDown"_s, u"↓"_s, tr("Move step down"));
    tool(m_remove, u"remove"_s, u"✕"_s, tr("Remove step"));
    v->addLayout(top);
    m_summary->setObjectName(u"summary"_s);
    m_summary->setWordWrap(true);
    m_summary->setVisible(false);
    v->addWidget(m_summary);
    v->addWidget(m_form);

    connect(m_up, &QToolButton::clicked, this, [this] { Q_EMIT moveRequested(-1); });
    connect(m_down, &QToolButton::clicked, this, [this] { Q_EMIT moveRequested(1); });
    connect(m_remove, &QToolButton::clicked, this, &StepEditor::removeRequested);
    connect(m_type, &QComboBox::currentIndexChanged, this, [this] {
        rebuildForm();
        Q_EMIT edited();
    });
    connect(m_label, &QLineEdit::textChanged, this, &StepEditor::edited);
    connect(m_form, &ParamForm::edited, this, &StepEditor::edited);
    connect(m_form, &ParamForm::rebuilt, this, &StepEditor::rebuilt);
    rebuildForm();
}

void StepEditor::setPosition(int index, int count)
{
    m_index = index;
    setTitle(tr("Step %1").arg(index + 1));
    setObjectName(u"step-%1"_s.arg(index));
    m_type->setAccessibleName(tr("Step %1 type").arg(index + 1));
    m_label->setAccessibleName(tr("Step %1 label").arg(index + 1));
    m_up->setEnabled(index > 0);
    m_down->setEnabled(index + 1 < count);
}

QString StepEditor::type() const
{
    return m_type->currentData().toString();
}

void StepEditor::setType(const QString &type)
{
    const int i = m_type->findData(type);
    if (i >= 0)
        m_type->setCurrentIndex(i);
}

void StepEditor::rebuildForm()
{
    const TaskType *t = m_registry.find(type());
    m_form->setSchema(t ? t->schema : QJsonObject());
    clearMessages();
    Q_EMIT rebuilt();
}

QJsonObject StepEditor::step(QList<FieldError> *errors) const
{
    QJsonObject step { { u"type"_s, type() } };
    if (const QString label = m_label->text().trimmed(); !label.isEmpty())
        step.insert(u"label"_s, label);
    QList<FieldError> formErrors;
    step.insert(u"params"_s, m_form->collect(&formErrors));
    for (FieldError &e : formErrors) {
        e.field.prepend(u"params."_s);
        if (errors)
            errors->append(e);
    }
    return step;
}

void StepEditor::setStep(const QJsonObject &step)
{
    setType(step.value(u"type"_s).toString());
    m_label->setText(step.value(u"label"_s).toString());
    m_form->setParams(step.value(u"params"_s).toObject());
}

void StepEditor::showMessages(const QList<FieldError> &messages, bool error)
{
    QStringList lines;
    for (const FieldError &e : messages) {
        QString where;
        if (e.field.startsWith(u"params."_s)) {
            const QString rest = e.field.mid(7);
            const QList<FieldError> left = error ? m_form->showErrors({ { rest, e.message } })
                                                 : m_form->showWarnings({ { rest, e.message } });
            const QString top = rest.section(QRegularExpression(u"[.\\[]"_s), 0, 0);
            where = left.isEmpty() ? m_form->fieldLabel(top) : rest;
        } else if (e.field == u"type") {
            where = tr("Type");
        } else if (e.field == u"label") {
            where = tr("Label");
        } else if (e.field == u"params") {
            where = tr("Parameters");
        }
        // The step is named with its type, as the API names it.
        const QString head = tr("Step %1 (%2)").arg(m_index + 1).arg(type());
        const QString place = where.isEmpty() ? QString() : where + u": "_s;
        lines.append(head + u": "_s + place + e.message);
    }
    if (lines.isEmpty())
        return;
    if (m_hasError && !error)
        return; // the errors stay in front
    const QString before
        = (m_hasError == error && !m_summary->isHidden()) ? m_summary->text() : QString();
    m_hasError = error;
    const QString prefix = error ? QString() : tr("Warning: ");
    QStringList all = before.isEmpty() ? QStringList() : QStringList { before };
    for (const QString &l : std::as_const(lines))
        all.append(prefix + l);
    m_summary->setText(all.join(u'\n'));
    QPalette pal = m_summary->palette();
    pal.setColor(QPalette::WindowText, ParamForm::messageColor(pal, error));
    m_summary->setPalette(pal);
    m_summary->setVisible(true);
}

void StepEditor::clearMessages()
{
    m_hasError = false;
    m_summary->clear();
    m_summary->setVisible(false);
    m_form->clearMessages();
}

QString StepEditor::summary() const
{
    return m_summary->isHidden() ? QString() : m_summary->text();
}

QList<QWidget *> StepEditor::focusOrder() const
{
    QList<QWidget *> order { m_type, m_label, m_up, m_down, m_remove };
    order.append(m_form->focusOrder());
    return order;
}
