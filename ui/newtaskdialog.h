#pragma once

#include "app/core/engineerror.h"
#include "paramform.h"

#include <QDialog>
#include <QJsonObject>
#include <QList>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QTimer;
class TaskEngine;

// "New task…": pick a type; its form (ParamForm, built from the type's parameter schema) is
// checked by the registry before the task is submitted, every problem at once, each message
// next to its field. Paths the task reads that do not exist are warned about while typing and
// before starting ("Start anyway" then starts).
class NewTaskDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NewTaskDialog)

public:
    explicit NewTaskDialog(TaskEngine &engine, QWidget *parent = nullptr);

    // Selects a type by name; false if unknown.
    bool setType(const QString &type);
    QString type() const;
    // Sets a field's text (see ParamForm::setFieldText); "title" is the task's title.
    bool setFieldText(const QString &name, const QString &text);
    QWidget *fieldWidget(const QString &name) const;
    // The message shown next to a field ("" = none; a warning starts with "Warning: ");
    // name "" = the dialog's general message.
    QString fieldError(const QString &name) const;
    QStringList fieldNames() const;
    ParamForm *form() const { return m_params; }

    // The params as the form states them (empty fields left out); local errors out.
    QJsonObject collectParams(QList<FieldError> *errors = nullptr) const;

    // Validates and submits; on success stores the id and accepts. With warnings (and no
    // errors) the first call shows them and returns false; the next one with the same params
    // starts the task.
    bool submit();
    QString submittedId() const { return m_submittedId; }
    // Looks for warnings now (the dialog does it shortly after each edit).
    void checkWarnings();

    // Replaces the file dialogs (tests): (kind: open-file|open-folder|save-file, current) ->
    // chosen path or "" if canceled.
    void setPathPicker(ParamForm::PathPicker picker) { m_params->setPathPicker(std::move(picker)); }

    void accept() override;

protected:
    void showEvent(QShowEvent *event) override;

private:
    void buildForm();
    void updateTabOrder();
    // Grows (or also shrinks) the dialog to what its content needs at its width.
    void fitHeight(bool shrink);
    void showMessages(const QList<FieldError> &errors, const QList<FieldError> &warnings);
    void setStartText(bool anyway);

    TaskEngine &m_engine;
    QComboBox *m_types;
    QLabel *m_description;
    QLineEdit *m_title;
    ParamForm *m_params;
    QDialogButtonBox *m_buttons;
    QLabel *m_general;
    QTimer *m_checkTimer;
    QList<FieldError> m_errors; // shown since the last submit
    QJsonObject m_warnedParams; // what "Start anyway" applies to
    bool m_warned = false;
    QString m_submittedId;
};
