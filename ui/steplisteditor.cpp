#include "steplisteditor.h"

#include "stepeditor.h"

#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

StepListEditor::StepListEditor(const TaskTypeRegistry &registry, QWidget *parent)
    : QWidget(parent), m_registry(registry), m_list(new QVBoxLayout), m_add(new QPushButton(this))
{
    auto *v = new QVBoxLayout(this);
    v->setContentsMargins(0, 0, 0, 0);
    m_list->setContentsMargins(0, 0, 0, 0);
    v->addLayout(m_list);
    m_add->setObjectName(u"addStep"_s);
    m_add->setText(tr("&Add step"));
    auto *row = new QHBoxLayout;
    row->addWidget(m_add);
    row->addStretch();
    v->addLayout(row);
    connect(m_add, &QPushButton::clicked, this, [this] {
        StepEditor *added = addStep();
        added->setFocus();
    });
}

StepEditor *StepListEditor::addStep(const QString &type)
{
    auto *editor = new StepEditor(m_registry, this);
    if (!type.isEmpty())
        editor->setType(type);
    else if (!m_steps.isEmpty())
        editor->setType(m_steps.last()->type());
    editor->setPathPicker([this](const QString &kind, const QString &current) {
        return m_picker ? m_picker(kind, current) : QString();
    });
    connect(editor, &StepEditor::moveRequested, this,
            [this, editor](int by) { moveStep(int(m_steps.indexOf(editor)), by); });
    connect(editor, &StepEditor::removeRequested, this,
            [this, editor] { removeStep(int(m_steps.indexOf(editor))); });
    connect(editor, &StepEditor::edited, this, &StepListEditor::edited);
    connect(editor, &StepEditor::rebuilt, this, &StepListEditor::rebuilt);
    m_steps.append(editor);
    m_list->addWidget(editor);
    editor->show();
    renumber();
    Q_EMIT rebuilt();
    Q_EMIT edited();
    return editor;
}

void StepListEditor::removeStep(int index)
{
    if (index < 0 || index >= m_steps.size())
        return;
    StepEditor *gone = m_steps.takeAt(index);
    m_list->removeWidget(gone);
    // Later: this may run inside the step's own Remove click. Out of the tree at once, so
    // lookups by name never find it.
    gone->hide();
    gone->setParent(nullptr);
    gone->deleteLater();
    renumber();
    if (!m_steps.isEmpty())
        m_steps.at(std::min<qsizetype>(index, m_steps.size() - 1))->setFocus();
    else
        m_add->setFocus();
    Q_EMIT rebuilt();
    Q_EMIT edited();
}

void StepListEditor::moveStep(int index, int by)
{
    const int to = index + by;
    if (index < 0 || index >= m_steps.size() || to < 0 || to >= m_steps.size())
        return;
    StepEditor *moved = m_steps.takeAt(index);
    m_steps.insert(to, moved);
    m_list->removeWidget(moved);
    m_list->insertWidget(to, moved);
    renumber();
    moved->setFocus();
    Q_EMIT rebuilt();
    Q_EMIT edited();
}

void StepListEditor::renumber()
{
    for (qsizetype i = 0; i < m_steps.size(); ++i)
        m_steps.at(i)->setPosition(int(i), int(m_steps.size()));
}

QJsonArray StepListEditor::steps(QList<FieldError> *errors) const
{
    QJsonArray list;
    for (qsizetype i = 0; i < m_steps.size(); ++i) {
        QList<FieldError> stepErrors;
        list.append(m_steps.at(i)->step(&stepErrors));
        for (FieldError &e : stepErrors) {
            e.field.prepend(u"[%1]."_s.arg(i));
            if (errors)
                errors->append(e);
        }
    }
    return list;
}

void StepListEditor::setSteps(const QJsonArray &steps)
{
    while (!m_steps.isEmpty()) {
        StepEditor *gone = m_steps.takeLast();
        m_list->removeWidget(gone);
        gone->hide();
        gone->setParent(nullptr);
        gone->deleteLater();
    }
    for (const QJsonValue &s : steps)
        addStep(s.toObject().value(u"type"_s).toString())->setStep(s.toObject());
    renumber();
    Q_EMIT rebuilt();
}

QList<FieldError> StepListEditor::showMessages(const QList<FieldError> &messages, bool error)
{
    static const QRegularExpression index(u"^\\[(\\d+)\\]\\.?(.*)$"_s);
    QList<FieldError> unplaced;
    for (const FieldError &e : messages) {
        const QRegularExpressionMatch m = index.match(e.field);
        const int i = m.hasMatch() ? m.captured(1).toInt() : -1;
        if (i < 0 || i >= m_steps.size()) {
            unplaced.append(e);
            continue;
        }
        m_steps.at(i)->showMessages({ { m.captured(2), e.message } }, error);
    }
    return unplaced;
}

void StepListEditor::clearMessages()
{
    for (StepEditor *s : std::as_const(m_steps))
        s->clearMessages();
}

QWidget *StepListEditor::firstFlagged() const
{
    for (StepEditor *s : m_steps) {
        if (!s->summary().isEmpty()) {
            if (QWidget *w = s->form()->firstFlagged())
                return w;
            return s;
        }
    }
    return nullptr;
}

void StepListEditor::setPathPicker(ParamForm::PathPicker picker)
{
    m_picker = std::move(picker);
}

QList<QWidget *> StepListEditor::focusOrder() const
{
    QList<QWidget *> order;
    for (StepEditor *s : m_steps)
        order.append(s->focusOrder());
    order.append(m_add);
    return order;
}
