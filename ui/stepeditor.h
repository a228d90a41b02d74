#pragma once

#include "app/core/engineerror.h"
#include "paramform.h"

#include <QGroupBox>
#include <QJsonObject>

class QComboBox;
class QLabel;
class QLineEdit;
class QToolButton;
class TaskTypeRegistry;

// One pipeline step: its type, an optional label and the type's own form, with buttons to move
// it up or down or remove it. Its messages name it ("Step 2 (copy): Source: …") above its form
// and stand next to the field they are about.
class StepEditor final : public QGroupBox
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StepEditor)

public:
    StepEditor(const TaskTypeRegistry &registry, QWidget *parent = nullptr);

    // Position in the list: the title and which moves make sense.
    void setPosition(int index, int count);
    QString type() const;
    void setType(const QString &type);
    ParamForm *form() const { return m_form; }

    // {"type", "label"?, "params"}; errors in the form come back named "params.x".
    QJsonObject step(QList<FieldError> *errors = nullptr) const;
    void setStep(const QJsonObject &step);

    // Names relative to the step: "type", "label", "params.source", "" (the step itself).
    void showMessages(const QList<FieldError> &messages, bool error);
    void clearMessages();
    // What the step's own line says ("" = nothing).
    QString summary() const;

    void setPathPicker(ParamForm::PathPicker picker) { m_form->setPathPicker(std::move(picker)); }

    QList<QWidget *> focusOrder() const;

Q_SIGNALS:
    void moveRequested(int by);
    void removeRequested();
    void edited();
    void rebuilt();

private:
    void rebuildForm();

    const TaskTypeRegistry &m_registry;
    int m_index = 0;
    QComboBox *m_type;
    QLineEdit *m_label;
    QToolButton *m_up;
    QToolButton *m_down;
    QToolButton *m_remove;
    QLabel *m_summary;
    ParamForm *m_form;
    bool m_hasError = false;
};
