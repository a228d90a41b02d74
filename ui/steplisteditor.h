#pragma once

#include "app/core/engineerror.h"
#include "paramform.h"

#include <QJsonArray>
#include <QList>
#include <QWidget>

class QPushButton;
class QVBoxLayout;
class StepEditor;
class TaskTypeRegistry;

// A pipeline's steps as a list of step editors (each its type's own form) with Add step, and
// move up/down and remove on each. Messages named "[1].params.source" go to step 2's form.
class StepListEditor final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StepListEditor)

public:
    StepListEditor(const TaskTypeRegistry &registry, QWidget *parent = nullptr);

    int count() const { return int(m_steps.size()); }
    StepEditor *step(int index) const { return m_steps.value(index); }
    // Adds a step at the end: of this type, else of the last step's type.
    StepEditor *addStep(const QString &type = {});
    void removeStep(int index);
    void moveStep(int index, int by);

    // Errors of the steps' forms come back named "[i].params.x".
    QJsonArray steps(QList<FieldError> *errors = nullptr) const;
    void setSteps(const QJsonArray &steps);

    // Names relative to the list ("[1].params.source"); returns those that fit no step.
    QList<FieldError> showMessages(const QList<FieldError> &messages, bool error);
    void clearMessages();
    QWidget *firstFlagged() const;

    void setPathPicker(ParamForm::PathPicker picker);

    QList<QWidget *> focusOrder() const;

Q_SIGNALS:
    void edited();
    void rebuilt();

private:
    void renumber();

    const TaskTypeRegistry &m_registry;
    QVBoxLayout *m_list;
    QPushButton *m_add;
    QList<StepEditor *> m_steps;
    ParamForm::PathPicker m_picker;
};
